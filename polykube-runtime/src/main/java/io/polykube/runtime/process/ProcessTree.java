package io.polykube.runtime.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops a process and its descendants: SIGTERM to the process, wait the grace period, then SIGKILL
 * it and every descendant still alive. Descendants are captured before the SIGTERM too, so children
 * that outlive their parent (and get reparented) are still found. ProcessHandle checks the start
 * time before signalling, so a pid reused in the meantime is not hit.
 */
final class ProcessTree {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessTree() {
    }

    /** @return true if the process and all its known descendants are gone */
    static boolean terminate(ProcessHandle root, Duration grace, String name) {
        Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
        root.descendants().forEach(h -> tree.put(h.pid(), h));
        long deadline = System.nanoTime() + grace.toNanos();
        if (running(root)) {
            if (!grace.isZero()) {
                root.destroy();
                waitFor(root, deadline);
            }
            root.descendants().forEach(h -> tree.put(h.pid(), h));
            if (running(root)) {
                LOG.info("{} (pid {}) did not exit within {} after SIGTERM; sending SIGKILL", name, root.pid(), grace);
                root.destroyForcibly();
            }
        }
        for (ProcessHandle child : tree.values()) {
            if (running(child)) {
                LOG.debug("{}: killing descendant pid {}", name, child.pid());
                child.destroyForcibly();
            }
        }
        long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
        boolean gone = waitFor(root, killDeadline);
        for (ProcessHandle child : tree.values()) {
            gone &= waitFor(child, killDeadline);
        }
        if (!gone) {
            LOG.warn("{}: pid {} or a descendant survived SIGKILL for {}", name, root.pid(), KILL_WAIT);
        }
        return gone;
    }

    /**
     * Waits until the process is gone. Polls every 10 ms rather than using onExit(), which for a
     * process that is not our child polls with a coarse interval; a zombie counts as gone.
     */
    private static boolean waitFor(ProcessHandle handle, long deadline) {
        while (running(handle)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(handle);
            }
        }
        return true;
    }

    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
        }
    }
}
