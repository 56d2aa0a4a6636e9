package io.tandem.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class TandemVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"Tandem " + (version == null ? "development" : version)
                + " (Java " + Runtime.version() + ")"};
    }
}
