package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a binary to learn the version it reports, remembering the answer per path, size and
 * modification time (for the lifetime of this object).
 */
final class VersionProbe {

    private static final long TIMEOUT_SECONDS = 30;
    private static final Pattern KUBERNETES = Pattern.compile("Kubernetes v(\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern KUBECTL_JSON = Pattern.compile("\"gitVersion\"\\s*:\\s*\"v(\\d+\\.\\d+\\.\\d+[^\"]*)\"");
    private static final Pattern ETCD = Pattern.compile("(?:etcd|etcdctl|etcdutl) [Vv]ersion: (\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern PAUSE = Pattern.compile("polykube-pause (\\S+)");
    private static final Pattern COREDNS = Pattern.compile("CoreDNS-(\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern E2E = Pattern.compile("(?m)^v(\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern AGNHOST = Pattern.compile("version (\\d+\\.\\d+\\S*)");
    private static final Pattern GINKGO = Pattern.compile("Ginkgo Version (\\d+\\.\\d+\\.\\d+\\S*)");
    /** {@code containerd github.com/containerd/containerd/v2 2.4.2 REV} and {@code ctr github.com/... 2.4.2} (or v2.4.2). */
    private static final Pattern CONTAINERD = Pattern.compile("(?:containerd|ctr) \\S+ v?(\\d+\\.\\d+\\.\\d+\\S*)");
    /** The shim's {@code -v}: {@code containerd-shim-runc-v2:} then {@code   Version:  2.4.2}. */
    private static final Pattern SHIM = Pattern.compile("Version:\\s+v?(\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern RUNC = Pattern.compile("runc version (\\d+\\.\\d+\\.\\d+\\S*)");
    /** What a CNI plugin prints when run without {@code CNI_COMMAND}: {@code CNI bridge plugin v1.10.0}. */
    private static final Pattern CNI = Pattern.compile("CNI \\S+ plugin v(\\d+\\.\\d+\\.\\d+\\S*)");
    private static final Pattern CORE = Pattern.compile("\\d+\\.\\d+\\.\\d+|\\d+\\.\\d+|\\d+");

    private record Key(Path path, long size, long modified) {
    }

    private final Map<Key, String> cache = new ConcurrentHashMap<>();

    /** The version {@code path} reports when run as {@code binary}, e.g. {@code 1.34.4}. */
    String reportedVersion(Binary binary, Path path) {
        Key key;
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            key = new Key(path.toAbsolutePath().normalize(), attrs.size(), attrs.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new BinaryException("cannot read " + binary.fileName() + " at " + path + ": " + e.getMessage(), e);
        }
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        String version = parse(binary, run(binary, path), path);
        cache.put(key, version);
        return version;
    }

    /** Whether {@code reported} (e.g. {@code 1.34.4} or {@code 1.34.4-dirty}) is the release {@code asked}. */
    static boolean matches(String reported, String asked) {
        Matcher m = CORE.matcher(reported);
        return m.lookingAt() && m.group().equals(asked);
    }

    static List<String> versionArguments(Binary binary) {
        switch (binary) {
            case KUBECTL:
                return List.of("version", "--client=true", "-o", "json");
            case ETCDCTL:
            case ETCDUTL:
            case GINKGO:
                return List.of("version");
            case PAUSE:
            case COREDNS:
                return List.of("-version");
            case CONTAINERD_SHIM_RUNC_V2:
                return List.of("-v");
            case CNI_BRIDGE:
            case CNI_HOST_LOCAL:
            case CNI_LOOPBACK:
            case CNI_PORTMAP:
                return List.of(); // without CNI_COMMAND a plugin prints its name and version and exits 0
            default:
                return List.of("--version");
        }
    }

    static String parse(Binary binary, String output, Path path) {
        Pattern pattern;
        switch (binary.set()) {
            case KUBERNETES:
                pattern = binary == Binary.KUBECTL ? KUBECTL_JSON : KUBERNETES;
                break;
            case ETCD:
                pattern = ETCD;
                break;
            case COREDNS:
                pattern = COREDNS;
                break;
            case E2E:
                pattern = E2E;
                break;
            case AGNHOST:
                pattern = AGNHOST;
                break;
            case GINKGO:
                pattern = GINKGO;
                break;
            case CONTAINERD:
                pattern = binary == Binary.CONTAINERD_SHIM_RUNC_V2 ? SHIM : CONTAINERD;
                break;
            case RUNC:
                pattern = RUNC;
                break;
            case CNI_PLUGINS:
                pattern = CNI;
                break;
            default:
                pattern = PAUSE;
        }
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new BinaryException(binary.fileName() + " at " + path + " did not report a version I understand when run with "
                    + String.join(" ", versionArguments(binary)) + " (output: " + abbreviate(output) + "). "
                    + "Is it really " + binary.fileName() + "? Point polykube at the right file or run `./polykube setup`");
        }
        return m.group(1);
    }

    private static String run(Binary binary, Path path) {
        List<String> command = new java.util.ArrayList<>();
        command.add(path.toString());
        command.addAll(versionArguments(binary));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().keySet().removeIf(name -> name.startsWith("CNI_")); // a CNI plugin would act on them
            Process process = pb.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BinaryException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s: is it really " + binary.fileName() + "?");
            }
            String output = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new BinaryException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ": " + abbreviate(output) + ". Is it a " + binary.fileName() + " for this machine? Run `./polykube setup`");
            }
            return output;
        } catch (IOException e) {
            throw new BinaryException("cannot run " + binary.fileName() + " at " + path + ": " + e.getMessage()
                    + " (is it an executable for this machine?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while checking the version of " + path, e);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
