package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads binary sets from a mirror in the official release layout and verifies their
 * SHA-256 before anything is kept:
 * <ul>
 *   <li>Kubernetes: {@code <base>/release/v<ver>/bin/linux/<arch>/<name>} with {@code <name>.sha256}
 *       (the hex digest)</li>
 *   <li>etcd: {@code <base>/etcd/v<ver>/etcd-v<ver>-linux-<arch>.tar.gz} with {@code SHA256SUMS} in the
 *       same directory ({@code sha256sum} format)</li>
 * </ul>
 */
public final class ReleaseMirror {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseMirror.class);

    private final URI base;
    private final HttpClient http;
    private final String arch;

    private ReleaseMirror(URI base, HttpClient http, String arch) {
        String s = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = http;
        this.arch = arch;
    }

    /**
     * {@code base} if it may serve binaries: https, or plain http only on this machine (a loopback address or
     * {@code localhost}), since the checksums come from the mirror too.
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
                ? "plain http would bring the binaries and their checksums over a connection anyone on the way can change"
                : "it must be an https URL") + ". Use https, or http only for a mirror on this machine (127.0.0.1, ::1 or "
                + "localhost)");
    }

    /** A mirror at {@code base} (e.g. {@code https://dl.k8s.io/}) for this machine's architecture; see {@link #checkBase}. */
    public static ReleaseMirror of(URI base) {
        checkBase(base);
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ReleaseMirror(base, http, goArch(System.getProperty("os.arch")));
    }

    public URI base() {
        return base;
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

    URI kubernetesUri(String version, String name) {
        return base.resolve("release/v" + version + "/bin/linux/" + arch + "/" + name);
    }

    URI etcdDirUri(String version) {
        return base.resolve("etcd/v" + version + "/");
    }

    String etcdTarballName(String version) {
        return "etcd-v" + version + "-linux-" + arch + ".tar.gz";
    }

    /** Downloads the six Kubernetes binaries into {@code dir}, each verified against its {@code .sha256}. */
    public Provenance downloadKubernetes(String version, Path dir) {
        BinaryVersions.checkFormat("kubernetes", version, 1);
        for (Binary binary : ClusterBinarySet.KUBERNETES.binaries()) {
            URI uri = kubernetesUri(version, binary.fileName());
            String expected = parseDigest(fetchText(URI.create(uri + ".sha256")), null, uri + ".sha256");
            Path file = dir.resolve(binary.fileName());
            String actual = fetchToFile(uri, file);
            checkDigest(uri, file, expected, actual);
            if (!file.toFile().setExecutable(true, false)) {
                throw new BinaryException("cannot make " + file + " executable");
            }
        }
        return new Provenance("download from " + base, null, Instant.now());
    }

    /** Downloads etcd's release tarball, verifies it against {@code SHA256SUMS}, and unpacks etcd, etcdctl, etcdutl. */
    public Provenance downloadEtcd(String version, Path dir) {
        BinaryVersions.checkFormat("etcd", version, 3);
        String name = etcdTarballName(version);
        URI tarUri = etcdDirUri(version).resolve(name);
        URI sumsUri = etcdDirUri(version).resolve("SHA256SUMS");
        String expected = parseDigest(fetchText(sumsUri), name, sumsUri.toString());
        Path tarball = dir.resolve("." + name);
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
        return new Provenance("download from " + base, null, Instant.now());
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

    /** The hex digest in a {@code .sha256} file (digest only) or a SHA256SUMS file (line for {@code name}). */
    static String parseDigest(String text, String name, String from) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            String digest = f[0].toLowerCase(Locale.ROOT);
            if (name == null || (f.length >= 2 && f[1].replaceFirst("^[*]", "").replaceFirst("^\\./", "").equals(name))) {
                if (!Sha256.HEX.matcher(digest).matches()) {
                    throw new BinaryException("checksum file " + from + " holds no SHA-256 digest: '" + line.trim() + "'");
                }
                return digest;
            }
        }
        throw new BinaryException("checksum file " + from + " has no line for " + name);
    }

    private static void checkDigest(URI uri, Path file, String expected, String actual) {
        if (!expected.equals(actual)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", file, e.toString());
            }
            throw new BinaryException("checksum mismatch for " + uri + ": expected sha256 " + expected + ", got " + actual
                    + ". The file was refused and nothing was cached; the mirror is broken or tampered with");
        }
    }

    private String fetchText(URI uri) {
        HttpResponse<String> response = send(uri, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.body();
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
