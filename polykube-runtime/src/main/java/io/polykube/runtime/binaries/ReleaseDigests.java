package io.polykube.runtime.binaries;

import io.polykube.files.PrivateDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SHA-256 of each release file a {@link ReleaseMirror} may download, pinned by the user from a source other than the
 * mirror (a release announcement, a machine that downloaded and checked them): a mirror's own checksum files are never
 * trusted, since whoever controls the mirror controls them too.
 *
 * <p>The text is {@code sha256sum} output, one file per line, named by its path under the mirror's base:
 * <pre>
 * # Kubernetes 1.37.2, linux/amd64
 * 3f0c...  release/v1.37.2/bin/linux/amd64/kube-apiserver
 * 9a41...  etcd/v3.7.0/etcd-v3.7.0-linux-amd64.tar.gz
 * </pre>
 * Blank lines and lines starting with {@code #} are ignored; {@code *} before a name (binary mode) is accepted.
 */
public final class ReleaseDigests {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9][A-Za-z0-9._+-]*)*");

    private final Map<String, String> digests;
    private final String source;

    private ReleaseDigests(Map<String, String> digests, String source) {
        this.digests = Map.copyOf(digests);
        this.source = source;
    }

    /**
     * Reads the digests from {@code file}, which must be a regular file (not a link) owned by this user or root and
     * writable by nobody else: a digest another user could change pins nothing.
     *
     * @throws BinaryException naming the problem and the fix
     */
    public static ReleaseDigests read(Path file) {
        Objects.requireNonNull(file, "file");
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new BinaryException("cannot read the release digests " + file + ": " + e.getMessage()
                    + ". Give a file of 'sha256  path' lines (sha256sum format), e.g. made with sha256sum on a machine you trust");
        }
        if (!attributes.isRegularFile()) {
            throw new BinaryException("the release digests " + file + " are not a regular file" + (attributes.isSymbolicLink()
                    ? " but a symbolic link, which polykube does not follow: give the file itself" : ": give a file"));
        }
        int owner;
        int self;
        try {
            owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            self = PrivateDirectory.currentUid();
        } catch (IOException e) {
            throw new BinaryException("cannot tell who owns the release digests " + file + ": " + e.getMessage(), e);
        }
        if (owner != self && owner != 0) {
            throw new BinaryException("the release digests " + file + " belong to uid " + owner + ", neither this user (uid "
                    + self + ") nor root, so they pin nothing: copy them into a file of your own after checking them");
        }
        if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new BinaryException("the release digests " + file + " are writable by another user, so they pin nothing: "
                    + "chmod go-w " + file);
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new BinaryException("cannot read the release digests " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code sha256sum}-format {@code text}; {@code source} names it in messages.
     *
     * @throws BinaryException naming the line at fault
     */
    public static ReleaseDigests parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Map<String, String> digests = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new BinaryException(where + " is not 'sha256  path': '" + line + "'");
            }
            String digest = fields[0].toLowerCase(Locale.ROOT);
            if (!Sha256.HEX.matcher(digest).matches()) {
                throw new BinaryException(where + " holds no SHA-256 (64 hex digits): '" + fields[0] + "'");
            }
            String path = fields[1].startsWith("*") ? fields[1].substring(1) : fields[1];
            if (!PATH.matcher(path).matches() || path.contains("..")) {
                throw new BinaryException(where + " names '" + path + "', not a path under the mirror such as "
                        + "release/v1.37.2/bin/linux/amd64/kubelet or etcd/v3.7.0/etcd-v3.7.0-linux-amd64.tar.gz");
            }
            String earlier = digests.putIfAbsent(path, digest);
            if (earlier != null && !earlier.equals(digest)) {
                throw new BinaryException(where + " pins " + path + " a second time, to another digest: keep the right one");
            }
        }
        return new ReleaseDigests(digests, source);
    }

    /** Digests given in code, keyed by path under the mirror; {@code source} names them in messages. */
    public static ReleaseDigests of(Map<String, String> digests, String source) {
        StringBuilder text = new StringBuilder();
        digests.forEach((path, digest) -> text.append(digest).append("  ").append(path).append('\n'));
        return parse(text.toString(), source);
    }

    /** The pinned digest of the file at {@code path} under the mirror, if any. */
    public Optional<String> digest(String path) {
        return Optional.ofNullable(digests.get(path));
    }

    /** Where the digests came from (a file name, or what the caller named them). */
    public String source() {
        return source;
    }

    /** How many files are pinned. */
    public int size() {
        return digests.size();
    }

    @Override
    public String toString() {
        return "ReleaseDigests[" + digests.size() + " from " + source + "]";
    }
}
