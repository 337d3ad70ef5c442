package io.polykube.api;

import io.polykube.runtime.binaries.KnownVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.polykube.api.spec.ApiServerOptions;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.files.LockFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table of bad input, through the builder and the files on disk, against a cluster that already ran: each is refused
 * with a message naming the problem and the fix, starts no process, writes no file outside the cluster directory, and
 * leaves the cluster's PKI, etcd data and logs byte for byte as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    /** A gate GA and locked to true in the default minor. */
    private static final String LOCKED_GATE = KnownVersions.defaultRelease().lockedGaFeatureGate();

    @TempDir
    static Path root;
    Path dir;
    int checked;

    /** One bad input: {@code spoil} damages something on disk (and returns how to undo it), {@code start} tries it. */
    record Case(String what, Runnable attempt, List<String> mustSay, Spoiler spoil) {
    }

    interface Spoiler {
        Runnable apply() throws Exception;
    }

    private ClusterSpec.Builder<ClusterSpec> valid() {
        return ClusterSpec.builder().name("bad-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true));
    }

    @BeforeAll
    void runOnce() {
        dir = root.resolve("cluster");
        try (Cluster cluster = Cluster.of(valid().build()).start()) {
            cluster.client().secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName("keep").endMetadata().addToStringData("k", "v").build()).create();
        }
    }

    @AfterAll
    void count() throws IOException {
        taken.close();
        System.out.println("[bad input] " + checked + " bad inputs checked (builder and files on disk): each refused before any process started, data unchanged");
    }

    private Case build(String what, UnaryOperator<ClusterSpec.Builder<ClusterSpec>> change, String... mustSay) {
        return new Case(what, () -> change.apply(valid()).build(), List.of(mustSay), () -> () -> { });
    }

    private Case start(String what, UnaryOperator<ClusterSpec.Builder<ClusterSpec>> change, Spoiler spoil, String... mustSay) {
        return new Case(what, () -> Cluster.of(change.apply(valid()).build()).start().close(), List.of(mustSay), spoil);
    }

    private Case api(String what, Consumer<ApiServerOptions.Builder> change, String... mustSay) {
        return build(what, b -> b.apiServer(change), mustSay);
    }

    @TestFactory
    Stream<DynamicTest> eachIsRefusedCleanly() {
        List<Case> cases = new ArrayList<>(List.of(
                build("empty name", b -> b.name(""), "name ''", "1 to 16"),
                build("name too long", b -> b.name("a-very-long-cluster-name"), "1 to 16"),
                build("name with capitals", b -> b.name("Bad"), "lower case"),
                build("name ending in '-'", b -> b.name("bad-"), "ending with a letter or digit"),
                build("unknown minor", b -> b.kubernetesVersion("1.32"), "not a version polykube knows", "1.33, 1.34"),
                build("not a version", b -> b.kubernetesVersion("latest"), "invalid Kubernetes version 'latest'"),
                build("zero start timeout", b -> b.startTimeout(java.time.Duration.ZERO), "startTimeout must be positive"),
                build("relative binary directory", b -> b.binaryDirectory(Path.of("bin")), "must be absolute"),
                api("service network overlapping the pod network", a -> a.serviceCidr("10.244.0.0/16"), "overlaps",
                        "do not overlap"),
                api("service network that is no CIDR", a -> a.serviceCidr("banana"), "serviceCidr", "banana"),
                api("service network with a /33", a -> a.serviceCidr("10.96.0.0/33"), "serviceCidr"),
                build("pod network outside the cluster network", b -> b.node(n -> n.podCidr("10.245.0.0/24")),
                        "inside clusterCidr"),
                build("bad taint", b -> b.node(n -> n.taint("nope")), "taint 'nope'"),
                build("API server port out of range", b -> b.apiServer(a -> a.securePort(70000)), "70000 is out of range",
                        "from 1 to 65535", "leave it unset"),
                build("etcd client port 0", b -> b.etcd(e -> e.clientPort(0)), "0 is out of range", "leave it unset"),
                build("node name that is no DNS name", b -> b.node(n -> n.name("Node_1")), "node name 'Node_1'", "lower case"),
                build("maxPods out of range", b -> b.node(n -> n.maxPods(0)), "maxPods 0", "1..1000"),
                build("renewBefore longer than the validity", b -> b.pki(p -> p.validity(java.time.Duration.ofDays(1))
                        .renewBefore(java.time.Duration.ofDays(2))), "renewBefore", "shorter than the validity"),
                build("a flag name that is no flag name", b -> b.scheduler(c -> c.flag("Bad Flag", "1")), "'Bad Flag'",
                        "is not a flag name"),
                build("a flag set twice", b -> b.controllerManager(c -> c.flag("v", "2").flag("--v", "4")), "--v is set twice",
                        "set it once"),
                build("a manifest that is not YAML", b -> b.manifest("inline", "a: [unclosed"), "manifest inline",
                        "not valid YAML"),
                build("a manifest file that does not exist", b -> b.manifests(Path.of("/nonexistent/app.yaml")),
                        "/nonexistent/app.yaml", "cannot be read"),
                build("negative PKI validity", b -> b.pki(p -> p.validity(java.time.Duration.ofDays(-1))), "validity"),
                build("relative etcd data directory", b -> b.etcd(e -> e.dataDirectory(Path.of("etcd"))), "absolute"),
                api("audit policy file that does not exist", a -> a.auditPolicy(Path.of("/nonexistent/policy.yaml")),
                        "/nonexistent/policy.yaml", "does not exist"),
                api("audit log of 0 MB", a -> a.auditLogLimits(0, 1), "at least 1"),
                api("ConfigMaps encrypted with encryption off", a -> a.encryptionAtRest(false).encryptConfigMaps(true),
                        "encryption is off"),
                api("an audit flag polykube sets", a -> a.flag("audit-log-path", "/tmp/x"), "set by polykube", "auditPolicy"),
                api("the encryption flag polykube sets", a -> a.flag("encryption-provider-config", "/tmp/x"), "set by polykube",
                        "encryptionAtRest"),
                start("binaries missing from the binary directory", b -> b.binaryDirectory(root.resolve("empty-bin")),
                        () -> {
                            Files.createDirectories(root.resolve("empty-bin"));
                            return () -> { };
                        }, "cannot find its binaries", "empty-bin"),
                start("a secure port that is taken", b -> b.apiServer(a -> a.securePort(taken.getLocalPort())),
                        () -> () -> { }, "in use"),
                start("encryption turned off for data encrypted before", b -> b.apiServer(a -> a.encryptionAtRest(false)),
                        () -> () -> { }, "encrypted", "encryptionAtRest(true)"),
                start("a changed encryption key", UnaryOperator.identity(), replace(Path.of("pki/encryption.key"),
                        Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32)) + "\n"), "changed",
                        "encryption.key", "restore"),
                start("a missing encryption key", UnaryOperator.identity(), delete(Path.of("pki/encryption.key")), "missing",
                        "encryption.key", "restore"),
                start("an encryption key that is not base64", UnaryOperator.identity(), replace(Path.of("pki/encryption.key"),
                        "not base64!\n"), "not base64", "encryption.key"),
                start("an encryption key of the wrong size", UnaryOperator.identity(), replace(Path.of("pki/encryption.key"),
                        "c2hvcnQ=\n"), "holds 5 bytes", "encryption.key"),
                start("a corrupt cluster.json", UnaryOperator.identity(), replace(Path.of("cluster.json"), "{not json"),
                        "cluster.json"),
                start("a truncated cluster.json", UnaryOperator.identity(), truncate(Path.of("cluster.json")), "cluster.json",
                        "not a polykube cluster record", "remove it"),
                start("a truncated CA certificate", UnaryOperator.identity(), truncate(Path.of("pki/ca.crt")), "ca.crt"),
                start("binaries that are not executable", b -> b.binaryDirectory(root.resolve("plain-bin")), () -> {
                    Path bin = Files.createDirectories(root.resolve("plain-bin"));
                    for (String name : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                        Files.writeString(bin.resolve(name), "#!/bin/sh\n");
                    }
                    return () -> { };
                }, "cannot find its binaries", "plain-bin"),
                start("a CA key that does not match its certificate", UnaryOperator.identity(),
                        replace(Path.of("pki/ca.key"), read(Path.of("pki/front-proxy-ca.key"))), "ca"),
                start("a CA certificate whose key is gone", UnaryOperator.identity(), delete(Path.of("pki/ca.key")), "ca.key",
                        "restore the key"),
                start("a truncated leaf certificate", UnaryOperator.identity(), truncate(Path.of("pki/apiserver.crt")),
                        "apiserver.crt is not a valid certificate", "delete", "issue new ones from the cluster CA"),
                start("a truncated leaf key", UnaryOperator.identity(), truncate(Path.of("pki/etcd/server.key")),
                        "etcd/server.key is not a valid private key", "delete", "issue new ones from the cluster CA"),
                start("a leaf key that does not match its certificate", UnaryOperator.identity(),
                        replace(Path.of("pki/scheduler.key"), read(Path.of("pki/admin.key"))),
                        "scheduler.key does not belong to certificate", "scheduler.crt", "restore the matching key"),
                start("a truncated serving key of the scheduler", UnaryOperator.identity(),
                        truncate(Path.of("pki/scheduler-serving.key")), "scheduler-serving.key is not a valid private key",
                        "delete", "issue new ones from the cluster CA"),
                start("a corrupt service account public key", UnaryOperator.identity(), replace(Path.of("pki/sa.pub"),
                        "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n"), "sa.pub is not a valid public key",
                        "delete", "sa.key"),
                start("an unknown kube-apiserver flag", b -> b.apiServer(a -> a.flag("no-such-flag", "x")), () -> () -> { },
                        "kube-apiserver", "no flag --no-such-flag", "apiServer(a -> a.flag(..))", "Fix or remove the flag"),
                start("a misspelt etcd flag", b -> b.etcd(e -> e.flag("quota-backend-byte", "8589934592")), () -> () -> { },
                        "etcd", "no flag --quota-backend-byte", "did you mean --quota-backend-bytes?"),
                start("a misspelt kube-controller-manager flag", b -> b.controllerManager(c -> c.flag("concurent-gc-syncs", "5")),
                        () -> () -> { }, "kube-controller-manager", "no flag --concurent-gc-syncs",
                        "did you mean --concurrent-gc-syncs?"),
                start("a misspelt feature gate", b -> b.apiServer(a -> a.featureGate("APIServerIdentit", true)),
                        () -> () -> { }, "kube-apiserver", "refuses feature gate APIServerIdentit=true",
                        "unrecognized feature gate", "Did you mean APIServerIdentity?", "Fix or remove the gate"),
                start("a GA feature gate turned off", b -> b.scheduler(s -> s.featureGate(LOCKED_GATE, false)),
                        () -> () -> { }, "kube-scheduler", "refuses feature gate " + LOCKED_GATE + "=false", "locked to true",
                        "scheduler(s -> s.featureGate(..))"),
                start("an unknown kube-scheduler flag", b -> b.scheduler(c -> c.flag("bind-adress", "127.0.0.1")),
                        () -> () -> { }, "kube-scheduler", "no flag --bind-adress", "did you mean --bind-address?")));
        cases.add(start("a second owner of a cluster directory that is held", UnaryOperator.identity(), this::holdDirectory,
                "belongs to cluster 'bad-it'", "which is running", "stop it first", "another directory"));
        cases.add(start("a cluster directory that is a file", b -> b.directory(root.resolve("a-file")), () -> {
            Files.writeString(root.resolve("a-file"), "not a directory");
            return () -> { };
        }, "cluster directory", "a-file", "is not a directory", "choose another path"));
        cases.add(start("a cluster directory others can write in", UnaryOperator.identity(), this::openToOthers,
                "cluster directory " + dir, "is writable by its group and others (rwxrwxrwx)", "chmod go-w " + dir));
        if ("root".equals(System.getProperty("user.name"))) {
            cases.add(start("a read-only state directory", b -> b.directory(root.resolve("read-only").resolve("cluster")),
                    this::readOnlyMount, "cannot create cluster directory", "Read-only file system", "choose a writable location"));
            cases.add(start("a cluster directory another user owns", UnaryOperator.identity(), this::givenToNobody,
                    "cluster directory " + dir, "is owned by uid 65534, not by this user (uid 0)",
                    "Remove it after checking who made it"));
            cases.add(start("a link to a cluster directory another user owns", b -> b.directory(root.resolve("link")),
                    this::linkToNobodysDirectory, "cluster directory " + root.resolve("link"), "(really ",
                    "is owned by uid 65534"));
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.what(), () -> check(c)));
    }

    private final ServerSocket taken = bind();

    private static ServerSocket bind() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds the directory's lock as the owner of a running cluster does (a second owner must be refused). */
    private Runnable holdDirectory() throws IOException {
        LockFile lock = LockFile.tryLock(dir.resolve("cluster.lock")).orElseThrow();
        return lock::close;
    }

    /** The cluster directory made writable by everyone (as a directory made under a wide umask would be). */
    private Runnable openToOthers() throws IOException {
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return () -> setPermissions(dir, before);
    }

    /** The cluster directory given to uid 65534 (nobody), as if another user had made it. */
    private Runnable givenToNobody() throws IOException {
        Object owner = Files.getAttribute(dir, "unix:uid");
        Files.setAttribute(dir, "unix:uid", 65534);
        return () -> setOwner(dir, owner);
    }

    /** A link to a directory of uid 65534 with a cluster's files in it, given as the cluster directory. */
    private Runnable linkToNobodysDirectory() throws IOException {
        Path theirs = Files.createDirectories(root.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        Path link = Files.createSymbolicLink(root.resolve("link"), theirs);
        return () -> {
            try {
                Files.delete(link);
                Files.delete(theirs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setOwner(Path path, Object uid) {
        try {
            Files.setAttribute(path, "unix:uid", uid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty read-only file system (tmpfs mounted ro): the state directory cannot be created in it. */
    private Runnable readOnlyMount() throws IOException, InterruptedException {
        Path mountPoint = Files.createDirectories(root.resolve("read-only"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mountPoint.toString())
                .inheritIO().start();
        assertThat(mount.waitFor()).as("mount a read-only tmpfs on %s", mountPoint).isZero();
        return () -> {
            try {
                assertThat(new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor()).isZero();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    private Spoiler replace(Path relative, String content) {
        return () -> {
            Path file = dir.resolve(relative);
            byte[] before = Files.readAllBytes(file);
            Files.writeString(file, content);
            return () -> write(file, before);
        };
    }

    private String read(Path relative) {
        try {
            return Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Spoiler truncate(Path relative) {
        return () -> {
            Path file = dir.resolve(relative);
            byte[] before = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(before, before.length / 2));
            return () -> write(file, before);
        };
    }

    private Spoiler delete(Path relative) {
        return () -> {
            Path file = dir.resolve(relative);
            byte[] before = Files.readAllBytes(file);
            Files.delete(file);
            return () -> write(file, before);
        };
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(Case c) throws Exception {
        Runnable undo = c.spoil().apply();
        try {
            Map<String, String> before = snapshot();
            Set<String> outside = listing(root);
            Set<Long> processes = descendants();
            Throwable error = catchThrowable(c.attempt()::run);
            assertThat(error).as(c.what()).isNotNull();
            String message = String.valueOf(error.getMessage());
            assertThat(message).as("the message for %s", c.what()).contains(c.mustSay());
            assertThat(descendants()).as("processes after %s", c.what()).isSubsetOf(processes);
            assertThat(snapshot()).as("PKI, etcd data and logs after %s", c.what()).isEqualTo(before);
            assertThat(listing(root)).as("files beside the cluster directory after %s", c.what()).isEqualTo(outside);
            checked++;
        } finally {
            undo.run();
        }
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static Set<String> listing(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Every file of pki/, etcd/ and logs/ with its SHA-256. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String sub : List.of("pki", "etcd", "logs")) {
            try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }
}
