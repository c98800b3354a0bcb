package org.embreg.cli;

import picocli.CommandLine;

/** Prints embreg's version with the runtime's. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"embreg " + (v == null ? "development" : v) + " (Java " + System.getProperty("java.version") + ")"};
    }
}
