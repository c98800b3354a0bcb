package org.embreg.metric;

/** Whether the JDK's vector API can be used in this JVM (it is an incubator module on Java 17, added by a flag). */
final class TileScans {
    private TileScans() {}

    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
