package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What polykube's command lines print for {@code --version}: polykube's version, the Kubernetes and etcd binaries a
 * cluster would use (found, never built), the known Kubernetes versions and which are built, and the Java that runs. One text for every entry point, the command line's verbs
 * and the bench alike.
 */
public final class VersionReport {

    private VersionReport() {
    }

    /** The report's lines, for the binaries found with the default configuration ({@code Binaries.builder().build()}). */
    public static List<String> lines() {
        return lines(Binaries.builder().build());
    }

    /** The report's lines, for the binaries {@code binaries} finds and the known versions its cache holds. */
    static List<String> lines(Binaries binaries) {
        List<String> lines = new ArrayList<>();
        lines.add("polykube " + polykubeVersion());
        lines.add(line(binaries, ClusterBinary.KUBE_APISERVER, "Kubernetes " + binaries.versions().kubernetes()));
        lines.add(line(binaries, ClusterBinary.ETCD, "etcd " + binaries.versions().etcd()));
        lines.add("Known Kubernetes versions (--kubernetes-version MINOR; support as of " + KnownVersions.SUPPORT_CHECKED_ON + "):");
        BinaryCache cache = binaries.cache();
        for (KubernetesRelease r : KnownVersions.all()) {
            boolean built = cache.check(ClusterBinarySet.KUBERNETES, r.patch()).state() == BinaryCache.State.VALID;
            lines.add(String.format("  %-5s %-8s etcd %-7s CoreDNS %-7s %-22s %s%s", r.minor(), r.patch(), r.etcd(), r.coreDns(),
                    r.inUpstreamSupport() ? "upstream support" : "upstream support ended", built ? "built" : "not built",
                    r.patch().equals(KnownVersions.DEFAULT_VERSION) ? " (default)" : ""));
        }
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return List.copyOf(lines);
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
