package io.polykube.cli;

import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.BinaryCache;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinarySet;
import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.KubernetesRelease;
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
        lines.add(line(binaries, Binary.KUBE_APISERVER, "Kubernetes " + binaries.versions().kubernetes()));
        lines.add(line(binaries, Binary.ETCD, "etcd " + binaries.versions().etcd()));
        lines.add("Known Kubernetes versions (--kubernetes-version MINOR; support as of " + KnownVersions.SUPPORT_CHECKED_ON + "):");
        BinaryCache cache = binaries.cache();
        for (KubernetesRelease r : KnownVersions.all()) {
            boolean built = cache.check(BinarySet.KUBERNETES, r.patch()).state() == BinaryCache.State.VALID;
            lines.add(String.format("  %-5s %-8s etcd %-7s CoreDNS %-7s %-22s %s%s", r.minor(), r.patch(), r.etcd(), r.coreDns(),
                    r.inUpstreamSupport() ? "upstream support" : "upstream support ended", built ? "built" : "not built",
                    r.patch().equals(KnownVersions.DEFAULT_VERSION) ? " (default)" : ""));
        }
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return lines.toArray(String[]::new);
    }

    private static String line(Binaries binaries, Binary binary, String wanted) {
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
