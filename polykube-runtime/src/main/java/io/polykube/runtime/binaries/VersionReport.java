package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What polykube's command lines print for {@code --version}: polykube's version, the Kubernetes and etcd binaries a
 * cluster would use (found, never built) and the Java that runs. One text for every entry point, the command line's verbs
 * and the bench alike.
 */
public final class VersionReport {

    private VersionReport() {
    }

    /** The report's lines, for the binaries found with the default configuration ({@code Binaries.builder().build()}). */
    public static List<String> lines() {
        return lines(Binaries.builder().build());
    }

    /** The report's lines, for the binaries {@code binaries} finds. */
    static List<String> lines(Binaries binaries) {
        return List.of("polykube " + polykubeVersion(),
                line(binaries, ClusterBinary.KUBE_APISERVER, "Kubernetes " + binaries.versions().kubernetes()),
                line(binaries, ClusterBinary.ETCD, "etcd " + binaries.versions().etcd()),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    }

    private static String line(Binaries binaries, Binary binary, String wanted) {
        try {
            ResolvedBinary found = binaries.resolve(binary);
            return wanted + ": " + binary.fileName() + " " + found.version() + " at " + found.path() + " (from "
                    + found.source().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
        } catch (BinaryException e) {
            return wanted + ": " + binary.fileName() + " not found (run ./polykube setup, or set " + Binaries.BIN_DIR_ENV + ")";
        }
    }

    /** polykube's version, as the build wrote it into {@code polykube.properties}; {@code unknown} without it. */
    public static String polykubeVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionReport.class.getResourceAsStream("polykube.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // falls through to "unknown"
        }
        return p.getProperty("polykube.version", "unknown");
    }
}
