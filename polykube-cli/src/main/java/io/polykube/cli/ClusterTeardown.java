package io.polykube.cli;

import io.polykube.api.NodeReset;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.files.TreeDeletion;
import io.polykube.runtime.process.ReapReport;
import io.polykube.runtime.process.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops what a cluster directory's records name, and removes the directory: the work of {@code down}, {@code delete}, and
 * of {@code up --fresh}, {@code quickstart} and {@code conformance}, which start from an empty directory. */
final class ClusterTeardown {
    private final ClusterFiles files;
    private final String name;
    private final PrintWriter out;

    /** @throws PolykubeException if the directory is not this user's own (its records are not acted on then) */
    ClusterTeardown(ClusterFiles files, String name, PrintWriter out) {
        files.layout().checkOwnership();
        this.files = files;
        this.name = name;
        this.out = out;
    }

    /**
     * Throws, before anything is stopped, when a live process other than the {@code supervise} owner started by {@code up}
     * holds the cluster (a test JVM, a program using the library): only that process can stop it.
     */
    void refuseIfOwnedByAnotherProcess(String verb) {
        if (!files.locked()) {
            return; // stopped, or its owner died: nothing holds it
        }
        Optional<ProcessHandle> owner = files.owner();
        if (owner.isPresent() && files.isSupervisor(owner.get())) {
            return;
        }
        String who = owner.map(p -> "another live process, pid " + p.pid() + " (" + p.info().command().orElse("?") + "),")
                .orElse("a live process");
        throw new PolykubeException("cannot " + verb + " cluster '" + name + "': " + who + " runs it and holds "
                + files.layout().lockFile() + ". Stop it there (Cluster.close(), or end that process), "
                + "then run this again");
    }

    /**
     * Asks a live owner in another process to stop (SIGTERM: its shutdown hook stops the cluster), then stops what a
     * crashed owner left and cleans the node's host state. False when some host state could not be removed.
     */
    boolean stop() throws InterruptedException, ExecutionException {
        Optional<ProcessHandle> owner = files.owner();
        boolean stopped = files.record().map(r -> ClusterFiles.liveness(r) == ClusterFiles.Liveness.STOPPED).orElse(true);
        if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid() && !stopped) {
            out.println("[polykube] stopping cluster '" + name + "' (owner pid " + owner.get().pid() + ")");
            out.flush();
            owner.get().destroy(); // SIGTERM: the owner's shutdown hook stops every component
            try {
                owner.get().onExit().get(90, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("[polykube] owner did not stop within 90 s; killing it and its components");
                owner.get().destroyForcibly();
                try {
                    owner.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException again) {
                    throw new PolykubeException("owner pid " + owner.get().pid() + " of cluster '" + name + "' survived SIGKILL for 10 s: "
                            + "check it with ps, then run this again");
                }
            }
        }
        ReapReport report = Supervisor.reapOrphans(files.runDirectory());
        if (!report.stopped().isEmpty()) {
            out.println("[polykube] stopped " + report.stopped().size() + " process(es) left behind");
        }
        if (NodeReset.needed(files.directory())) { // a FULL cluster whose owner died: containers, mounts, guard, bridge
            List<String> left = NodeReset.clean(files.directory());
            out.println("[polykube] removed the node's host state" + (left.isEmpty() ? "" : "; could not remove: " + left));
            return left.isEmpty();
        }
        return true;
    }

    /**
     * Makes way for a fresh start: if the directory holds a cluster, stops it (refused when another process than an
     * {@code up} owner runs it) and removes the directory. False, with the reason printed, when some host state could not
     * be removed.
     *
     * @param verb what the caller is about to do, for the refusal ("run the lab on a fresh cluster")
     */
    boolean clearForFreshStart(String verb) throws IOException, InterruptedException, ExecutionException {
        if (!looksLikeClusterDirectory(files.directory())) {
            return true;
        }
        refuseIfOwnedByAnotherProcess(verb);
        if (!stop()) {
            out.println("[polykube] error: could not remove the host state of cluster '" + name + "' (see above)");
            out.flush();
            return false;
        }
        removeDirectory();
        out.println("[polykube] removed the earlier cluster directory " + files.directory());
        out.flush();
        return true;
    }

    /**
     * Removes the directory and everything in it; refuses a directory that does not look like a cluster's. Links are
     * removed, not followed, and a directory still mounted under it is neither entered nor removed.
     */
    void removeDirectory() throws IOException {
        Path dir = files.directory();
        if (!looksLikeClusterDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a polykube cluster directory (no cluster.json, cluster.lock or pki/): "
                    + "nothing was removed; check --name/--dir");
        }
        TreeDeletion.delete(dir); // leaves a volume still mounted under it, and says so
    }

    static boolean looksLikeClusterDirectory(Path dir) {
        return new ClusterLayout(dir).looksLikeClusterDirectory();
    }
}
