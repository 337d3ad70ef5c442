package io.polykube.cli;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.status.ClusterRecord;
import io.polykube.files.LockFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a cluster directory tells about the cluster in it. */
record ClusterFiles(Path directory) {

    /** How a cluster stands, as {@code list} shows it. */
    enum Liveness {
        RUNNING("running"), STARTING("starting"), STOPPING("stopping"), STOPPED("stopped"), STALE_OWNER("stale owner");

        final String text;

        Liveness(String text) {
            this.text = text;
        }
    }

    /** The directory's layout: every path in it. */
    ClusterLayout layout() {
        return new ClusterLayout(directory);
    }

    Path clusterJson() {
        return layout().clusterJson();
    }

    Path adminKubeconfig() {
        return layout().adminKubeconfig();
    }

    Path supervisorLog() {
        return layout().supervisorLog();
    }

    Path runDirectory() {
        return layout().run();
    }

    Optional<ClusterRecord> record() {
        return ClusterRecord.read(clusterJson());
    }

    Optional<ProcessHandle> owner() {
        return record().flatMap(ClusterRecord::owner);
    }

    boolean running() {
        return record().map(ClusterRecord::running).orElse(false);
    }

    /** Running, starting or stopping (a live owner), stopped (cleanly), or stale owner (its owner died without stopping it). */
    static Liveness liveness(ClusterRecord r) {
        if (r.owner().isPresent()) {
            switch (r.state() == null ? "" : r.state()) {
                case "RUNNING":
                    return Liveness.RUNNING;
                case "STOPPED":
                    return Liveness.STOPPED;
                case "STOPPING":
                    return Liveness.STOPPING;
                default:
                    return Liveness.STARTING;
            }
        }
        return "STOPPED".equals(r.state()) ? Liveness.STOPPED : Liveness.STALE_OWNER;
    }

    /** Whether a live process holds the directory's lock (a running cluster, in this JVM or another). */
    boolean locked() {
        try {
            return LockFile.isLocked(layout().lockFile());
        } catch (IOException e) {
            return false; // cannot open it: nobody can lock it either
        }
    }

    /** The command line's main class before it left the samples module. */
    private static final String FORMER_MAIN = "io.polykube.samples.cli.Main";

    /** The main class of a reused cluster's owner, which a test JVM with {@code @WithPolykube(reuse = true)} started. */
    private static final String REUSE_OWNER_MAIN = "io.polykube.api.junit.ReusedClusterOwner";

    /**
     * Whether {@code process} is a detached owner of this directory: the one {@code up} started ({@code polykube supervise}),
     * or a reused cluster's owner.
     */
    boolean isSupervisor(ProcessHandle process) {
        if (process.pid() == ProcessHandle.current().pid()) {
            return false;
        }
        List<String> args = commandLine(process.pid());
        int reuseOwner = args.indexOf(REUSE_OWNER_MAIN);
        if (reuseOwner >= 0) {
            int dir = args.indexOf("--dir");
            return dir > reuseOwner && dir + 1 < args.size() && args.get(dir + 1).equals(directory.toString());
        }
        int main = args.indexOf(Main.class.getName());
        if (main < 0) {
            main = args.indexOf(FORMER_MAIN); // an owner that an 'up' of an earlier polykube started
        }
        return main >= 0 && main + 1 < args.size() && args.get(main + 1).equals("supervise")
                && args.contains(directory.toString());
    }

    /** The process's arguments from /proc (ProcessHandle.Info leaves out long command lines). */
    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
