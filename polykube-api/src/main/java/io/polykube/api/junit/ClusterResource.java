package io.polykube.api.junit;

import io.polykube.api.Cluster;
import io.polykube.api.LogBundle;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.files.TreeDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started cluster kept in a JUnit store: JUnit closes it (stops the cluster) when the store's scope ends, then the
 * directory is kept or removed according to the {@link KeepDirectory} policies of the classes that used it and whether
 * any of their tests failed.
 */
final class ClusterResource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterResource.class);

    private final Cluster cluster;
    private final WebhookServer webhookServer;
    private final Set<KeepDirectory> policies = ConcurrentHashMap.newKeySet();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final Queue<String> deletedNamespaces = new ConcurrentLinkedQueue<>();
    private volatile boolean exportLogs;
    private volatile Path logsDirectory;
    private volatile boolean used;

    ClusterResource(Cluster cluster, WebhookServer webhookServer) {
        this.cluster = cluster;
        this.webhookServer = webhookServer;
    }

    /** Closes a class's webhook server; a failure to is logged, never thrown (the cluster is already down). */
    static void closeServer(WebhookServer server, String clusterName) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            LOG.warn("Cluster '{}': its webhook server {} did not close cleanly: {}", clusterName, server.getClass().getName(),
                    e.toString());
        }
    }

    Cluster cluster() {
        return cluster;
    }

    /** Marks the cluster as used by a test (it may hold objects the tests made). */
    void markUsed() {
        used = true;
    }

    /** Resets the cluster if a test used it since it started or was last reset. */
    synchronized void resetIfUsed() {
        if (used) {
            long t0 = System.nanoTime();
            cluster.reset();
            deletedNamespaces.clear(); // the reset removed them
            LOG.debug("Reset cluster '{}' in {} ms", cluster.name(), (System.nanoTime() - t0) / 1_000_000);
            used = false;
        }
    }

    void use(KeepDirectory policy) {
        policies.add(policy);
    }

    void exportLogsOnFailure() {
        exportLogs = true;
    }

    void logsDirectory(Path directory) {
        logsDirectory = directory;
    }

    /** The newest of target/failsafe-reports and target/surefire-reports (the reports of this run), else target. */
    static Path defaultLogsDirectory() {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        Path best = null;
        for (Path reports : List.of(target.resolve("failsafe-reports"), target.resolve("surefire-reports"))) {
            try {
                if (Files.isDirectory(reports) && (best == null
                        || Files.getLastModifiedTime(reports).compareTo(Files.getLastModifiedTime(best)) > 0)) {
                    best = reports;
                }
            } catch (IOException e) {
                // unreadable: not a candidate
            }
        }
        return best != null ? best : target;
    }

    /** Records a failed test or class; true the first time, so the path is announced once. */
    boolean recordFailure(String what) {
        boolean first = failures.isEmpty();
        failures.add(what);
        return first;
    }

    /** A per-test namespace whose deletion was asked for; {@link #close()} waits until it is gone. */
    void deleting(String namespace) {
        deletedNamespaces.add(namespace);
    }

    boolean keepsOnFailure() {
        return policies.contains(KeepDirectory.ON_FAILURE) || policies.contains(KeepDirectory.ALWAYS);
    }

    /**
     * Waits until the per-test namespaces are really gone (the namespace controller empties each one 5 s after its
     * deletion; waiting here once, not after each test or class, keeps that off the tests' time), then stops the cluster
     * and keeps or removes its directory. A namespace that does not go away fails here, and keeps the directory.
     */
    @Override
    public void close() {
        if (cluster.isAttached()) {
            closeAttached();
            return;
        }
        RuntimeException stuck = null;
        try {
            Namespaces.awaitGone(cluster.client(), List.copyOf(deletedNamespaces), Namespaces.DELETE_TIMEOUT);
        } catch (RuntimeException e) {
            stuck = e;
            recordFailure("per-test namespaces: " + e.getMessage());
        }
        if (!failures.isEmpty() && (exportLogs || keepsOnFailure())) {
            exportLogs();
        }
        boolean stopped = false;
        try {
            cluster.close();
            stopped = true;
        } finally {
            closeServer(webhookServer, cluster.name());
            settleDirectory(stopped);
        }
        if (stuck != null) {
            throw stuck;
        }
    }

    /** A reused cluster: its logs if a test failed, then the lease goes back (its owner resets it); the directory stays. */
    private void closeAttached() {
        if (!failures.isEmpty() && (exportLogs || keepsOnFailure())) {
            exportLogs();
        }
        cluster.close();
        if (!failures.isEmpty()) {
            System.err.println("[polykube] " + failures.size() + " failure(s) on reused cluster '" + cluster.name() + "'; it keeps "
                    + "running, its logs are in " + new ClusterLayout(cluster.directory()).logs());
        }
    }

    /** While the cluster still runs, so its events and pods' logs are in the bundle. Never fails the close. */
    private void exportLogs() {
        Path dir = logsDirectory != null ? logsDirectory : defaultLogsDirectory();
        try {
            Path bundle = LogBundle.of(cluster).writeInto(dir);
            System.err.println("[polykube] wrote the logs of cluster '" + cluster.name() + "' (" + failures.size() + " failure(s)): "
                    + bundle);
        } catch (RuntimeException e) {
            LOG.warn("Could not write the log bundle of cluster '{}' into {}: {}", cluster.name(), dir, e.toString());
        }
    }

    private void settleDirectory(boolean stopped) {
        Path dir = cluster.directory();
        String reason = null;
        if (!stopped) {
            reason = "the cluster did not stop cleanly";
        } else if (policies.contains(KeepDirectory.ALWAYS)) {
            reason = "keepDirectory = ALWAYS";
        } else if (!failures.isEmpty() && policies.contains(KeepDirectory.ON_FAILURE)) {
            reason = failures.size() + " failure(s), first: " + failures.peek();
        }
        if (reason != null) {
            // Printed, not only logged: this path is what the user needs when a test failed, logging set up or not.
            System.err.println("[polykube] kept the directory of cluster '" + cluster.name() + "' (" + reason + "): " + dir
                    + " (logs in " + new ClusterLayout(dir).logs() + ")");
            return;
        }
        try {
            TreeDeletion.delete(dir);
            LOG.debug("Removed the directory of cluster '{}': {}", cluster.name(), dir);
        } catch (IOException e) {
            LOG.warn("Could not remove the directory of cluster '{}' ({}): {}", cluster.name(), dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "ClusterResource[" + cluster + "]";
    }
}
