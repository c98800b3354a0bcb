package org.embreg.metric;

/**
 * Whether the JDK's vector API can be used in this JVM: an incubator module on Java 17, added by a flag; the scan reads
 * tiles with {@code FloatVector.fromByteBuffer}, which Java 20 replaced, so later JVMs take the plain loops.
 */
final class TileScans {
    private TileScans() {}

    static final boolean VECTOR = Runtime.version().feature() < 20 && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
