package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.status.PortName;
import io.polykube.files.AtomicFile;
import io.polykube.files.TreeDeletion;
import io.polykube.runtime.binaries.ClusterBinary;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The etcd snapshot a cluster takes at the end of its start, and its restore into a fresh data directory for a reset:
 * {@code etcdctl snapshot save}, then {@code etcdutl snapshot restore --bump-revision --mark-compacted}, so every watch
 * that survives the reset gets "compacted" (410 Gone through the API) and its informer relists.
 */
final class EtcdSnapshot {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern REVISION = Pattern.compile("\"revision\":\\s*(\\d+)");

    private final Path etcdctl;
    private final Path etcdutl;
    private final URI endpoint;
    private final Path caCert;
    private final Path clientCert;
    private final Path clientKey;
    private final String member;
    private final URI peerUrl;
    private final Path dataDirectory;
    private final Path file;
    /** The snapshot file's revision once read (-1 before): it changes only with {@link #save}. */
    private volatile long snapshotRevision = -1;

    private EtcdSnapshot(ComponentContext ctx) {
        this.etcdctl = ctx.binary(ClusterBinary.ETCDCTL);
        this.etcdutl = ctx.binary(ClusterBinary.ETCDUTL);
        this.endpoint = ctx.etcdUrl();
        this.caCert = ctx.pki().etcdCaCert();
        this.clientCert = ctx.pki().apiServerEtcdClientCert();
        this.clientKey = ctx.pki().apiServerEtcdClientKey();
        this.member = ctx.spec().node().name();
        this.peerUrl = URI.create("https://127.0.0.1:" + ctx.port(PortName.ETCD_PEER));
        this.dataDirectory = ctx.spec().etcd().dataDirectory().orElse(ctx.layout().etcdData()).toAbsolutePath().normalize();
        this.file = ctx.layout().etcdSnapshot();
    }

    static EtcdSnapshot of(ComponentContext ctx) {
        return new EtcdSnapshot(ctx);
    }

    Path file() {
        return file;
    }

    /** Saves the running etcd's data to the snapshot file (replacing an older one only once the new one is complete). */
    void save() {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        deleteQuietly(tmp);
        run("save the etcd snapshot", List.of(etcdctl.toString(), "--endpoints=" + endpoint, "--cacert=" + caCert,
                "--cert=" + clientCert, "--key=" + clientKey, "snapshot", "save", tmp.toString()));
        try {
            AtomicFile.rename(tmp, file);
            snapshotRevision = -1;
        } catch (IOException e) {
            throw new PolykubeException("cannot move the etcd snapshot " + tmp + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores the snapshot into a fresh directory beside the data directory, its revision raised to {@code margin} past
     * {@code seen} (the highest revision a client may have seen) and marked compacted. Returns that directory;
     * {@link #swap} puts it in place once etcd is stopped.
     */
    Path restore(long seen, long margin) {
        if (!Files.isRegularFile(file)) {
            throw new PolykubeException("there is no etcd snapshot " + file + " to reset to: it is taken at the end of start(); "
                    + "start the cluster again");
        }
        // The bump adds to the snapshot's own revision. A bump of all of seen would add that revision again with every reset,
        // so each start on this directory (its snapshot holds the raised revision) would multiply it by the number of resets
        // until it overflows and etcd panics ("negative revision").
        if (snapshotRevision < 0) {
            snapshotRevision = revision();
        }
        long bump = Math.max(0, seen - snapshotRevision) + margin;
        Path target = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".restore");
        deleteTree(target);
        run("restore the etcd snapshot", List.of(etcdutl.toString(), "snapshot", "restore", file.toString(),
                "--data-dir=" + target, "--name=" + member, "--initial-cluster=" + member + "=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl, "--bump-revision=" + bump, "--mark-compacted"));
        return target;
    }

    /** The revision the snapshot file holds ({@code etcdutl snapshot status}). */
    long revision() {
        String status = run("read the etcd snapshot's revision", List.of(etcdutl.toString(), "snapshot", "status", file.toString(),
                "--write-out=json"));
        Matcher m = REVISION.matcher(status);
        if (!m.find()) {
            throw new PolykubeException("cannot read the revision of the etcd snapshot " + file + " from '" + status.strip()
                    + "': delete it and start the cluster again");
        }
        return Long.parseLong(m.group(1));
    }

    /** Replaces the (stopped) etcd's data directory with a restored one. */
    void swap(Path restored) {
        Path old = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".old");
        try {
            deleteTree(old);
            if (Files.exists(dataDirectory)) {
                AtomicFile.rename(dataDirectory, old);
            }
            AtomicFile.rename(restored, dataDirectory);
            deleteTree(old);
        } catch (IOException e) {
            throw new PolykubeException("cannot put the restored etcd data " + restored + " in place of " + dataDirectory + ": "
                    + e.getMessage() + "; stop the cluster and start it again", e);
        }
    }

    private static String run(String what, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PolykubeException("cannot " + what + ": '" + String.join(" ", command) + "' did not finish within "
                        + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new PolykubeException("cannot " + what + ": '" + String.join(" ", command) + "' exited with " + p.exitValue()
                        + ": " + new String(out, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolykubeException("cannot " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while trying to " + what, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover part file is replaced by the next save
        }
    }

    static void deleteTree(Path dir) {
        try {
            TreeDeletion.delete(dir);
        } catch (IOException e) {
            throw new PolykubeException("cannot delete " + dir + ": " + e.getMessage() + "; delete it by hand", e);
        }
    }
}
