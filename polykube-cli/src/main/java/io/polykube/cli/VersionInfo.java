package io.polykube.cli;

import io.polykube.runtime.binaries.VersionReport;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} on the command line and every verb: the {@link VersionReport}. */
final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return VersionReport.lines().toArray(String[]::new);
    }
}
