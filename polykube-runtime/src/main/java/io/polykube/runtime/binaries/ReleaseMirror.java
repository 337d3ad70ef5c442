package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads binary sets from a mirror in the official release layout and checks each file against the SHA-256 the user
 * pinned for it ({@link ReleaseDigests}) before anything is kept; the mirror's own checksum files are not read:
 * <ul>
 *   <li>Kubernetes: {@code <base>/release/v<ver>/bin/linux/<arch>/<name>}</li>
 *   <li>etcd: {@code <base>/etcd/v<ver>/etcd-v<ver>-linux-<arch>.tar.gz}</li>
 * </ul>
 * A file with no pinned digest is not downloaded: every missing pin is named before the first request.
 */
public final class ReleaseMirror {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseMirror.class);

    private final URI base;
    private final ReleaseDigests digests;
    private final HttpClient http;
    private final String arch;

    private ReleaseMirror(URI base, ReleaseDigests digests, HttpClient http, String arch) {
        String s = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.http = http;
        this.arch = arch;
    }

    /**
     * {@code base} if it may serve binaries: https, or plain http only on this machine (a loopback address or
     * {@code localhost}).
     *
     * @throws BinaryException naming the problem and the fix
     */
    public static URI checkBase(URI base) {
        Objects.requireNonNull(base, "mirror");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("[::1]") || host.equals("::1") || host.startsWith("127.");
        if (scheme.equals("https") && !host.isEmpty()) {
            return base;
        }
        if (scheme.equals("http") && loopback) {
            return base;
        }
        throw new BinaryException("release mirror " + base + " is not usable: " + (scheme.equals("http")
                ? "plain http would bring the binaries over a connection anyone on the way can read and change"
                : "it must be an https URL") + ". Use https, or http only for a mirror on this machine (127.0.0.1, ::1 or "
                + "localhost)");
    }

    /**
     * A mirror at {@code base} (e.g. {@code https://dl.k8s.io/}) for this machine's architecture, whose files are checked
     * against {@code digests}; see {@link #checkBase}.
     */
    public static ReleaseMirror of(URI base, ReleaseDigests digests) {
        checkBase(base);
        Objects.requireNonNull(digests, "digests");
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ReleaseMirror(base, digests, http, goArch(System.getProperty("os.arch")));
    }

    public URI base() {
        return base;
    }

    /** The pins every downloaded file is checked against. */
    public ReleaseDigests digests() {
        return digests;
    }

    static String goArch(String osArch) {
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            default:
                throw new BinaryException("no release binaries for architecture " + osArch + ": build from source instead");
        }
    }

    /** Whether release mirrors carry {@code set}: Kubernetes and etcd; every other set is built from source. */
    public static boolean carries(BinarySet set) {
        return set == ClusterBinarySet.KUBERNETES || set == ClusterBinarySet.ETCD;
    }

    /** Downloads {@code set} at {@code version} into {@code dir}; only the sets mirrors {@link #carries carry}. */
    public Provenance download(BinarySet set, String version, Path dir) {
        if (set == ClusterBinarySet.KUBERNETES) {
            return downloadKubernetes(version, dir);
        }
        if (set == ClusterBinarySet.ETCD) {
            return downloadEtcd(version, dir);
        }
        throw new BinaryException(set.id() + " is not published on release mirrors: allow building it from "
                + "source (Binaries.builder().allowBuild(true), needs Go) or run `./polykube setup`");
    }

    /** The path of a Kubernetes binary under the mirror's base, as {@link ReleaseDigests} names it. */
    String kubernetesPath(String version, String name) {
        return "release/v" + version + "/bin/linux/" + arch + "/" + name;
    }

    /** The path of etcd's release tarball under the mirror's base. */
    String etcdPath(String version) {
        return "etcd/v" + version + "/" + etcdTarballName(version);
    }

    String etcdTarballName(String version) {
        return "etcd-v" + version + "-linux-" + arch + ".tar.gz";
    }

    /** Downloads the six Kubernetes binaries into {@code dir}, each checked against its pinned digest. */
    public Provenance downloadKubernetes(String version, Path dir) {
        BinaryVersions.checkFormat("kubernetes", version, 1);
        List<String> paths = ClusterBinarySet.KUBERNETES.binaries().stream()
                .map(binary -> kubernetesPath(version, binary.fileName())).toList();
        Map<String, String> pinned = pinned("Kubernetes " + version, paths);
        for (Binary binary : ClusterBinarySet.KUBERNETES.binaries()) {
            String path = kubernetesPath(version, binary.fileName());
            URI uri = base.resolve(path);
            Path file = dir.resolve(binary.fileName());
            String actual = fetchToFile(uri, file);
            checkDigest(uri, file, pinned.get(path), actual);
            if (!file.toFile().setExecutable(true, false)) {
                throw new BinaryException("cannot make " + file + " executable");
            }
        }
        return provenance();
    }

    /** Downloads etcd's release tarball, checks it against its pinned digest, and unpacks etcd, etcdctl, etcdutl. */
    public Provenance downloadEtcd(String version, Path dir) {
        BinaryVersions.checkFormat("etcd", version, 3);
        String path = etcdPath(version);
        String expected = pinned("etcd " + version, List.of(path)).get(path);
        URI tarUri = base.resolve(path);
        Path tarball = dir.resolve("." + etcdTarballName(version));
        try {
            String actual = fetchToFile(tarUri, tarball);
            checkDigest(tarUri, tarball, expected, actual);
            unpackEtcd(tarball, dir, tarUri);
        } finally {
            try {
                Files.deleteIfExists(tarball);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", tarball, e.toString());
            }
        }
        return provenance();
    }

    private Provenance provenance() {
        return new Provenance("download from " + base + ", checked against the SHA-256s pinned in " + digests.source(), null,
                Instant.now());
    }

    /** The pinned digest of each of {@code paths}; if any is missing, an error naming all of them, before any download. */
    private Map<String, String> pinned(String what, List<String> paths) {
        Map<String, String> pinned = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String path : paths) {
            digests.digest(path).ifPresentOrElse(d -> pinned.put(path, d), () -> missing.add(path));
        }
        if (!missing.isEmpty()) {
            throw new BinaryException("no SHA-256 is pinned for " + what + " in " + digests.source() + ": " + missing.size()
                    + " file(s) missing (" + String.join(", ", missing) + "). Add a line 'sha256  path' for each, with the digest "
                    + "from the release announcement or a machine you trust (never from the mirror itself), or build from source "
                    + "(./polykube setup without --mirror)");
        }
        return pinned;
    }

    private static void unpackEtcd(Path tarball, Path dir, URI from) {
        Set<String> wanted = new HashSet<>();
        ClusterBinarySet.ETCD.binaries().forEach(b -> wanted.add(b.fileName()));
        try (InputStream in = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String entryName = entry.getName();
                String fileName = entryName.substring(entryName.lastIndexOf('/') + 1);
                if (!entry.isFile() || !wanted.contains(fileName)) {
                    continue;
                }
                Path target = dir.resolve(fileName);
                Files.copy(tar, target);
                if (!target.toFile().setExecutable(true, false)) {
                    throw new BinaryException("cannot make " + target + " executable");
                }
                wanted.remove(fileName);
            }
        } catch (IOException e) {
            throw new BinaryException("cannot unpack " + from + ": " + e.getMessage(), e);
        }
        if (!wanted.isEmpty()) {
            throw new BinaryException("etcd tarball " + from + " does not contain " + wanted);
        }
    }

    private void checkDigest(URI uri, Path file, String expected, String actual) {
        if (!expected.equals(actual)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", file, e.toString());
            }
            throw new BinaryException("checksum mismatch for " + uri + ": expected sha256 " + expected + ", got " + actual
                    + " (pinned in " + digests.source() + "). The file was refused and nothing was cached; the mirror is broken or "
                    + "tampered with, or the pin is wrong");
        }
    }

    /** Streams {@code uri} to {@code file} and returns its SHA-256. */
    private String fetchToFile(URI uri, Path file) {
        HttpResponse<InputStream> response = send(uri, HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = response.body();
             OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new BinaryException("download of " + uri + " broke off: " + e.getMessage(), e);
        }
        return Sha256.hex(digest.digest());
    }

    private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> handler) {
        LOG.info("downloading {}", uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (IOException e) {
            throw new BinaryException("cannot download " + uri + ": " + e
                    + " (is the mirror " + base + " reachable from here?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while downloading " + uri, e);
        }
        if (response.statusCode() != 200) {
            if (response.body() instanceof InputStream) {
                try {
                    ((InputStream) response.body()).close();
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", uri, e.toString());
                }
            }
            throw new BinaryException("cannot download " + uri + ": HTTP " + response.statusCode()
                    + (response.statusCode() == 404 ? " (is the version right, and does the mirror use the official layout?)" : ""));
        }
        return response;
    }
}
