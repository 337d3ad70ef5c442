package io.polykube.api.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.api.PolykubeException;
import io.polykube.files.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds a single-layer container image from local files, written as an OCI image layout tarball
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) that {@code ctr images import} and
 * {@link Images#load(Path)} accept. No registry and no daemon are involved.
 *
 * <pre>{@code
 * Path tar = Images.fromFiles("polykube.local/web:1")
 *         .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
 *         .symlink("/bin/sh", "busybox")
 *         .content("/start.sh", "echo hello; exec httpd -f -p 80\n", 0755)
 *         .entrypoint("/bin/sh", "/start.sh")
 *         .writeTo(dir.resolve("web.tar"));
 * }</pre>
 *
 * <p>Tar writing is done by commons-compress; the layout is plain JSON. Entries are written in the order given, with
 * uid/gid 0 and a fixed modification time, so the same input gives the same image digest.
 */
public final class ImageBuilder {
    private static final Pattern REFERENCE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MTIME_MILLIS = 0L;

    private interface Entry {
        String path();
    }

    private record FileEntry(String path, Path source, int mode) implements Entry {
    }

    private record ContentEntry(String path, byte[] content, int mode) implements Entry {
    }

    private record LinkEntry(String path, String target) implements Entry {
    }

    private final String reference;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workingDir = "/";

    ImageBuilder(String reference) {
        this.reference = Objects.requireNonNull(reference, "reference");
        if (!REFERENCE.matcher(reference).matches()) {
            throw new PolykubeException("image name '" + reference + "' is not a full reference with a tag, e.g. "
                    + "polykube.local/web:1 (lower case repository, explicit tag)");
        }
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /** The image's name, e.g. {@code polykube.local/web:1}. */
    public String reference() {
        return reference;
    }

    /**
     * Copies a local file into the image at the absolute {@code imagePath} with the given permission bits (e.g. {@code 0755};
     * setuid, setgid and sticky are kept: {@code 04755} is a setuid root program, as a Dockerfile's {@code chmod +s}).
     */
    public ImageBuilder file(Path source, String imagePath, int mode) {
        if (!Files.isRegularFile(source)) {
            throw new PolykubeException("cannot add " + source + " to image " + reference + ": it is not a regular file");
        }
        return add(new FileEntry(normalize(imagePath), source, permissions(imagePath, mode)));
    }

    /** A file with the given text content (UTF-8) and permission bits (as {@link #file}). */
    public ImageBuilder content(String imagePath, String text, int mode) {
        return content(imagePath, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** A file with the given bytes and permission bits (as {@link #file}). */
    public ImageBuilder content(String imagePath, byte[] bytes, int mode) {
        return add(new ContentEntry(normalize(imagePath), bytes.clone(), permissions(imagePath, mode)));
    }

    /** The file type comes from the entry, so only permission bits (up to 07777) are accepted. */
    private int permissions(String imagePath, int mode) {
        if ((mode & ~07777) != 0) {
            throw new PolykubeException("mode 0" + Integer.toOctalString(mode) + " of " + imagePath + " in image " + reference
                    + " is not permission bits: give at most 07777, e.g. 0755 or 04755 for setuid");
        }
        return mode;
    }

    /** A symbolic link at {@code imagePath} pointing to {@code target} (relative or absolute). */
    public ImageBuilder symlink(String imagePath, String target) {
        return add(new LinkEntry(normalize(imagePath), Objects.requireNonNull(target, "target")));
    }

    public ImageBuilder entrypoint(String... command) {
        this.entrypoint = List.of(command);
        return this;
    }

    public ImageBuilder cmd(String... args) {
        this.cmd = List.of(args);
        return this;
    }

    public ImageBuilder env(String key, String value) {
        env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public ImageBuilder workingDir(String dir) {
        this.workingDir = normalize(dir);
        return this;
    }

    private ImageBuilder add(Entry entry) {
        entries.put(entry.path(), entry);
        return this;
    }

    private static String normalize(String imagePath) {
        if (imagePath == null || !imagePath.startsWith("/") || imagePath.contains("/../") || imagePath.endsWith("/..")) {
            throw new PolykubeException("image path '" + imagePath + "' must be absolute, without '..'");
        }
        return imagePath.replaceAll("/+", "/");
    }

    /**
     * Writes the image as an OCI layout tarball (atomically) and returns {@code file}.
     *
     * @throws PolykubeException if a source cannot be read or the file cannot be written
     */
    public Path writeTo(Path file) {
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw new PolykubeException("image " + reference + " has neither an entrypoint nor a cmd: set one");
        }
        try {
            byte[] layer = layer();
            String layerDigest = sha256(layer);
            byte[] config = json(config(layerDigest));
            byte[] manifest = json(manifest(config, layer));
            byte[] index = json(index(manifest));
            AtomicFile.at(file).permissions(AtomicFile.OWNER_ONLY).createParents(true).write(out -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    dir(tar, "blobs/");
                    dir(tar, "blobs/sha256/");
                    put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
                    put(tar, "index.json", index);
                    put(tar, "blobs/sha256/" + sha256(manifest), manifest);
                    put(tar, "blobs/sha256/" + sha256(config), config);
                    put(tar, "blobs/sha256/" + layerDigest, layer);
                }
            });
            return file;
        } catch (IOException e) {
            throw new PolykubeException("cannot write image " + reference + " to " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] layer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Set<String> dirs = new LinkedHashSet<>();
            for (String path : entries.keySet()) {
                String[] parts = path.substring(1).split("/");
                StringBuilder dir = new StringBuilder();
                for (int i = 0; i < parts.length - 1; i++) {
                    dir.append(parts[i]).append('/');
                    dirs.add(dir.toString());
                }
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                stamp(e);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Entry entry : entries.values()) {
                String name = entry.path().substring(1);
                if (entry instanceof FileEntry f) {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setMode(0100000 | f.mode());
                    e.setSize(Files.size(f.source()));
                    stamp(e);
                    tar.putArchiveEntry(e);
                    Files.copy(f.source(), tar);
                    tar.closeArchiveEntry();
                } else if (entry instanceof ContentEntry c) {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setMode(0100000 | c.mode());
                    e.setSize(c.content().length);
                    stamp(e);
                    tar.putArchiveEntry(e);
                    tar.write(c.content());
                    tar.closeArchiveEntry();
                } else if (entry instanceof LinkEntry l) {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(l.target());
                    e.setMode(0120777);
                    stamp(e);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static void stamp(TarArchiveEntry e) {
        e.setUserId(0);
        e.setGroupId(0);
        e.setModTime(MTIME_MILLIS);
    }

    private ObjectNode config(String layerDigest) {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", architecture());
        root.put("os", "linux");
        root.put("created", "1970-01-01T00:00:00Z");
        ObjectNode config = root.putObject("config");
        ArrayNode envs = config.putArray("Env");
        env.forEach((k, v) -> envs.add(k + "=" + v));
        if (!entrypoint.isEmpty()) {
            ArrayNode ep = config.putArray("Entrypoint");
            entrypoint.forEach(ep::add);
        }
        if (!cmd.isEmpty()) {
            ArrayNode c = config.putArray("Cmd");
            cmd.forEach(c::add);
        }
        config.put("WorkingDir", workingDir);
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add("sha256:" + layerDigest);
        root.putArray("history").addObject().put("created_by", "polykube ImageBuilder");
        return root;
    }

    private static ObjectNode manifest(byte[] config, byte[] layer) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ObjectNode c = root.putObject("config");
        c.put("mediaType", "application/vnd.oci.image.config.v1+json");
        c.put("digest", "sha256:" + sha256(config));
        c.put("size", config.length);
        ObjectNode l = root.putArray("layers").addObject();
        l.put("mediaType", "application/vnd.oci.image.layer.v1.tar");
        l.put("digest", "sha256:" + sha256(layer));
        l.put("size", layer.length);
        return root;
    }

    private ObjectNode index(byte[] manifest) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ObjectNode m = root.putArray("manifests").addObject();
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("digest", "sha256:" + sha256(manifest));
        m.put("size", manifest.length);
        ObjectNode platform = m.putObject("platform");
        platform.put("architecture", architecture());
        platform.put("os", "linux");
        ObjectNode annotations = m.putObject("annotations");
        annotations.put("io.containerd.image.name", reference);
        annotations.put("org.opencontainers.image.ref.name", reference.substring(reference.lastIndexOf(':') + 1));
        return root;
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        stamp(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(bytes.length);
        stamp(e);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static byte[] json(ObjectNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

}
