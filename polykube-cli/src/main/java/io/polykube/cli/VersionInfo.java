package io.polykube.cli;

import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: polykube's version and the Kubernetes and etcd binaries a cluster would use (found, never built). */
final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("polykube " + polykubeVersion());
        Binaries binaries = Binaries.builder().build();
        lines.add(line(binaries, ClusterBinary.KUBE_APISERVER, "Kubernetes " + binaries.versions().kubernetes()));
        lines.add(line(binaries, ClusterBinary.ETCD, "etcd " + binaries.versions().etcd()));
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return lines.toArray(String[]::new);
    }

    private static String line(Binaries binaries, ClusterBinary binary, String wanted) {
        try {
            ResolvedBinary found = binaries.resolve(binary);
            return wanted + ": " + binary.fileName() + " " + found.version() + " at " + found.path() + " (from "
                    + found.source().name().toLowerCase().replace('_', ' ') + ")";
        } catch (BinaryException e) {
            return wanted + ": " + binary.fileName() + " not found (run ./polykube setup, or set " + Binaries.BIN_DIR_ENV + ")";
        }
    }

    static String polykubeVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("polykube.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // falls through to "unknown"
        }
        return p.getProperty("polykube.version", "unknown");
    }
}
