package io.polykube.runtime.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        if (root.isAlive()) {
            if (!grace.isZero()) {
                root.destroy();
                waitFor(root, deadline);
            }
            root.descendants().forEach(h -> tree.put(h.pid(), h));
            if (root.isAlive()) {
                LOG.info("{} (pid {}) did not exit within {} after SIGTERM; sending SIGKILL", name, root.pid(), grace);
                root.destroyForcibly();
            }
        }
        for (ProcessHandle child : tree.values()) {
            if (child.isAlive()) {
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

    private static boolean waitFor(ProcessHandle handle, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (!handle.isAlive()) {
            return true;
        }
        if (remaining <= 0) {
            return false;
        }
        try {
            handle.onExit().get(remaining, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
