package io.polykube.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.FaultLog;
import io.polykube.api.faults.Faults;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.api.status.ClusterRecord;
import io.polykube.files.AtomicFile;
import io.polykube.pki.Pem;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.KnownVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to understand a cluster after the fact, in one {@code .tar.gz} (like {@code kind export logs}): every
 * component log (containerd and kubelet too in mode FULL, the owner's {@code supervisor.log}), the pods' log files,
 * {@code cluster.json}, a summary of every certificate (subject, issuer, SANs, validity; never a private key, never a
 * kubeconfig), the versions and, when the cluster runs, the events of all namespaces, the pods and each container's log
 * from the API. A part that cannot be read is listed in {@code errors.txt} instead of failing the bundle.
 *
 * <pre>{@code
 * Path tarGz = LogBundle.of(cluster).writeInto(Path.of("target"));          // a running or stopped Cluster
 * Path tarGz = LogBundle.ofDirectory(clusterDirectory).writeInto(outDir);   // from the directory alone
 * }</pre>
 */
public final class LogBundle {
    private static final Logger LOG = LoggerFactory.getLogger(LogBundle.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final long MAX_FILE_BYTES = 64L << 20;

    private final Path directory;
    private final KubernetesClient client;
    private final FaultLog faults;

    private LogBundle(Path directory, KubernetesClient client, FaultLog faults) {
        this.directory = directory.toAbsolutePath().normalize();
        this.client = client;
        this.faults = faults;
    }

    /** The bundle of a cluster; the API's events and pods' logs are included when it runs. */
    public static LogBundle of(Cluster cluster) {
        Objects.requireNonNull(cluster, "cluster");
        return new LogBundle(cluster.directory(), cluster.state() == Cluster.State.RUNNING ? cluster.client() : null,
                cluster.faultsIfStarted().map(Faults::log).orElse(null));
    }

    /**
     * The bundle of the cluster in {@code clusterDirectory}; when its record says it runs, the events and pods' logs are read
     * through its admin kubeconfig.
     */
    public static LogBundle ofDirectory(Path clusterDirectory) {
        Objects.requireNonNull(clusterDirectory, "clusterDirectory");
        if (!Files.isRegularFile(new ClusterLayout(clusterDirectory).clusterJson())) {
            throw new PolykubeException("no cluster in " + clusterDirectory + " (no cluster.json): give the directory of a cluster "
                    + "that has been started");
        }
        return new LogBundle(clusterDirectory, null, null);
    }

    /**
     * Writes {@code polykube-<name>-logs-<UTC time>.tar.gz} into {@code outputDirectory} (created if needed) and returns its
     * path.
     */
    public Path writeInto(Path outputDirectory) {
        String name = clusterName(record()).orElse("cluster");
        Path file = outputDirectory.resolve("polykube-" + name + "-logs-" + STAMP.format(Instant.now()) + ".tar.gz");
        writeTo(file);
        return file;
    }

    /** Writes the bundle to {@code file} (replaced if it exists). */
    public void writeTo(Path file) {
        Optional<ClusterRecord> record = record();
        String root = "polykube-" + clusterName(record).orElse("cluster") + "-logs/";
        List<String> errors = new ArrayList<>();
        List<String> index = new ArrayList<>();
        try {
            AtomicFile.at(file).createParents(true).permissions(AtomicFile.OWNER_ONLY).write(raw -> {
                try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(raw);
                        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    Archive archive = new Archive(tar, root, index, errors);
                    ClusterLayout layout = new ClusterLayout(directory);
                    archive.file("cluster.json", layout.clusterJson());
                    archive.file("node/host.json", layout.node().hostRecord());
                    archive.tree("logs", layout.logs());
                    archive.tree("pod-logs", layout.node().podLogs());
                    if (Files.isDirectory(layout.workers())) {
                        try (var names = Files.list(layout.workers())) {
                            for (Path worker : names.sorted().toList()) {
                                String name = worker.getFileName().toString();
                                archive.tree("pod-logs-" + name, layout.worker(name).podLogs());
                            }
                        }
                    }
                    archive.text("certificates.txt", certificates(layout.pki(), errors));
                    if (faults != null) {
                        archive.text("faults.txt", faults.format());
                    }
                    KubernetesClient live = client != null ? client : liveClient(record, layout, errors);
                    try {
                        archive.text("versions.txt", versions(record, live, errors));
                        if (live != null) {
                            cluster(archive, live, errors);
                        }
                    } finally {
                        if (live != null && live != client) {
                            live.close();
                        }
                    }
                    archive.text("errors.txt", errors.isEmpty() ? "(none)\n" : String.join("\n", errors) + "\n");
                    archive.text("index.txt", "polykube log bundle of " + directory + ", written " + Instant.now() + "\n"
                            + String.join("\n", index) + "\n");
                }
            });
        } catch (IOException e) {
            throw new PolykubeException("cannot write the log bundle " + file + " (" + e.getMessage() + "): choose a writable "
                    + "location", e);
        }
        LOG.info("Wrote the log bundle of {} to {} ({} entries, {} problems)", directory, file, index.size(), errors.size());
    }

    private Optional<ClusterRecord> record() {
        try {
            return ClusterRecord.read(new ClusterLayout(directory).clusterJson());
        } catch (PolykubeException e) {
            return Optional.empty();
        }
    }

    private static KubernetesClient liveClient(Optional<ClusterRecord> record, ClusterLayout layout, List<String> errors) {
        if (record.isEmpty() || !record.get().running() || !Files.isRegularFile(layout.adminKubeconfig())) {
            return null;
        }
        try {
            Path kubeconfig = layout.adminKubeconfig();
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            if (config.getClientKeyData() != null) { // fabric8 reads a PKCS#8 key as RSA unless told the algorithm
                String pem = new String(Base64.getDecoder().decode(config.getClientKeyData()), StandardCharsets.US_ASCII);
                config.setClientKeyAlgo(Pem.parsePrivateKey(pem).getAlgorithm());
            }
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException | RuntimeException e) {
            errors.add("cluster API: cannot create a client from " + layout.adminKubeconfig() + ": " + e);
            return null;
        }
    }

    /**
     * The recorded cluster name if it is one a cluster can have: the record is a file in the directory, and its name
     * becomes part of a file name and of the archive's paths.
     */
    static Optional<String> clusterName(Optional<ClusterRecord> record) {
        return record.map(ClusterRecord::name).filter(n -> {
            try {
                ClusterHostNames.of(n);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }

    /** Subject, issuer, SANs and validity of each certificate under {@code pki}; keys are never read. */
    static String certificates(Path pki, List<String> errors) {
        if (!Files.isDirectory(pki, LinkOption.NOFOLLOW_LINKS)) {
            return "(no pki directory)\n";
        }
        StringBuilder sb = new StringBuilder();
        Instant now = Instant.now();
        try (Stream<Path> files = Files.walk(pki)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String name = f.getFileName().toString();
                if (!(name.endsWith(".crt") || name.endsWith(".pem") || name.endsWith(".cert"))) {
                    continue;
                }
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    errors.add("certificate " + f + ": " + e.getMessage());
                    continue;
                }
                if (!text.contains("BEGIN CERTIFICATE")) {
                    continue; // a key or something else: never copied
                }
                try {
                    for (X509Certificate c : Pem.parseCertificates(text)) {
                        sb.append(pki.relativize(f)).append('\n')
                                .append("  subject:    ").append(c.getSubjectX500Principal().getName()).append('\n')
                                .append("  issuer:     ").append(c.getIssuerX500Principal().getName()).append('\n')
                                .append("  serial:     ").append(c.getSerialNumber().toString(16)).append('\n')
                                .append("  not before: ").append(c.getNotBefore().toInstant()).append('\n')
                                .append("  not after:  ").append(c.getNotAfter().toInstant())
                                .append(c.getNotAfter().toInstant().isBefore(now) ? "  EXPIRED" : "").append('\n');
                        Collection<List<?>> sans = c.getSubjectAlternativeNames();
                        if (sans != null && !sans.isEmpty()) {
                            sb.append("  SANs:       ").append(String.join(", ", sans.stream().map(s -> String.valueOf(s.get(1))).toList()))
                                    .append('\n');
                        }
                    }
                } catch (CertificateParsingException | RuntimeException e) {
                    errors.add("certificate " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            errors.add("certificates under " + pki + ": " + e.getMessage());
        }
        return sb.length() == 0 ? "(no certificates)\n" : sb.toString();
    }

    private static String versions(Optional<ClusterRecord> record, KubernetesClient live, List<String> errors) {
        StringBuilder sb = new StringBuilder();
        String pkg = LogBundle.class.getPackage().getImplementationVersion();
        sb.append("polykube: ").append(pkg == null ? "(development build)" : pkg).append('\n');
        record.ifPresent(r -> sb.append("cluster: ").append(r.name()).append(", mode ").append(r.mode()).append(", last state ")
                .append(r.state()).append(", Kubernetes ").append(r.kubernetesVersion())
                .append(r.madeWithVersion() == null ? "" : " (directory made with " + r.madeWithVersion() + ")").append('\n'));
        try {
            BinaryVersions pinned = record.map(r -> BinaryVersions.forKubernetes(r.kubernetesVersion())).orElse(BinaryVersions.defaults());
            sb.append("binaries: Kubernetes ").append(pinned.kubernetes()).append(", etcd ").append(pinned.etcd()).append(", CoreDNS ")
                    .append(pinned.coreDns()).append("; node runtime: containerd ")
                    .append(KnownVersions.nodeRuntime().containerd()).append(", runc ").append(KnownVersions.nodeRuntime().runc())
                    .append(", CNI plugins ").append(KnownVersions.nodeRuntime().cniPlugins()).append('\n');
        } catch (RuntimeException e) {
            errors.add("binary versions: " + e.getMessage());
        }
        if (live != null) {
            try {
                VersionInfo v = live.getKubernetesVersion();
                sb.append("API server reports: ").append(v.getGitVersion()).append(" (").append(v.getGoVersion()).append(", built ")
                        .append(v.getBuildDate()).append(")\n");
            } catch (RuntimeException e) {
                errors.add("API server version: " + e.getMessage());
            }
        }
        sb.append("Java: ").append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vendor"))
                .append(")\n");
        sb.append("OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(' ')
                .append(System.getProperty("os.arch")).append('\n');
        return sb.toString();
    }

    /** Events of all namespaces, the pods, and each container's log (current, and previous after a restart). */
    private static void cluster(Archive archive, KubernetesClient client, List<String> errors) throws IOException {
        try {
            List<Event> events = new ArrayList<>(client.v1().events().inAnyNamespace().list().getItems());
            events.sort(Comparator.comparing(LogBundle::eventTime));
            StringBuilder sb = new StringBuilder(String.format("%-25s %-20s %-8s %-24s %-40s %s%n", "TIME", "NAMESPACE", "TYPE",
                    "REASON", "OBJECT", "MESSAGE"));
            for (Event e : events) {
                sb.append(String.format("%-25s %-20s %-8s %-24s %-40s %s%n", eventTime(e), e.getMetadata().getNamespace(), e.getType(),
                        e.getReason(), e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName(), e.getMessage()));
            }
            archive.text("cluster/events.txt", sb.toString());
        } catch (RuntimeException e) {
            errors.add("events: " + e.getMessage());
        }
        List<Pod> pods;
        try {
            pods = client.pods().inAnyNamespace().list().getItems();
        } catch (RuntimeException e) {
            errors.add("pods: " + e.getMessage());
            return;
        }
        StringBuilder list = new StringBuilder(String.format("%-20s %-50s %-10s %s%n", "NAMESPACE", "NAME", "PHASE", "NODE"));
        for (Pod p : pods) {
            list.append(String.format("%-20s %-50s %-10s %s%n", p.getMetadata().getNamespace(), p.getMetadata().getName(),
                    p.getStatus() == null ? "" : p.getStatus().getPhase(), p.getSpec().getNodeName()));
        }
        archive.text("cluster/pods.txt", list.toString());
        for (Pod p : pods) {
            String ns = p.getMetadata().getNamespace();
            String name = p.getMetadata().getName();
            if (p.getSpec().getNodeName() == null) {
                continue; // never scheduled: no logs
            }
            for (Container c : p.getSpec().getContainers()) {
                try {
                    String log = client.pods().inNamespace(ns).withName(name).inContainer(c.getName()).getLog();
                    archive.text("cluster/pods/" + ns + "/" + name + "/" + c.getName() + ".log", log == null ? "" : log);
                } catch (RuntimeException e) {
                    errors.add("log of " + ns + "/" + name + "/" + c.getName() + ": " + e.getMessage());
                }
            }
        }
    }

    private static String eventTime(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getEventTime() != null ? e.getEventTime().getTime()
                : e.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }

    /** Adds entries under one root; never follows a file that looks like a key or a kubeconfig. */
    private static final class Archive {
        private final TarArchiveOutputStream tar;
        private final String root;
        private final List<String> index;
        private final List<String> errors;

        Archive(TarArchiveOutputStream tar, String root, List<String> index, List<String> errors) {
            this.tar = tar;
            this.root = root;
            this.index = index;
            this.errors = errors;
        }

        void text(String name, String content) throws IOException {
            bytes(name, content.getBytes(StandardCharsets.UTF_8));
        }

        void file(String name, Path file) throws IOException {
            if (Files.isSymbolicLink(file)) {
                errors.add("skipped " + file + ": a symbolic link, which is never followed");
                return;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (secret(file)) {
                errors.add("skipped " + file + ": it may hold a private key");
                return;
            }
            byte[] content;
            try {
                long size = Files.size(file);
                if (size > MAX_FILE_BYTES) { // keep the last part: the end of a log is what explains a failure
                    try (var ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        ch.position(size - MAX_FILE_BYTES);
                        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) MAX_FILE_BYTES);
                        while (buf.hasRemaining() && ch.read(buf) > 0) {
                            // fill
                        }
                        content = java.util.Arrays.copyOf(buf.array(), buf.position());
                    }
                    errors.add(file + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB, only its end is included");
                } else {
                    try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        content = in.readAllBytes();
                    }
                }
            } catch (IOException e) {
                errors.add("cannot read " + file + ": " + e.getMessage());
                return;
            }
            bytes(name, content);
        }

        void tree(String name, Path dir) throws IOException {
            if (Files.isSymbolicLink(dir)) {
                errors.add("skipped " + dir + ": a symbolic link, which is never followed");
                return;
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) { // does not follow links; file() skips and names each
                files = walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                errors.add("cannot list " + dir + ": " + e.getMessage());
                return;
            }
            for (Path f : files) {
                file(name + "/" + dir.relativize(f).toString().replace('\\', '/'), f);
            }
        }

        private void bytes(String name, byte[] content) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(root + name);
            entry.setSize(content.length);
            entry.setModTime(System.currentTimeMillis());
            entry.setMode(0644);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            index.add(name + " (" + content.length + " bytes)");
        }

        private static boolean secret(Path file) {
            String n = file.getFileName().toString();
            return n.endsWith(".key") || n.endsWith(".kubeconfig") || n.contains("private");
        }
    }
}
