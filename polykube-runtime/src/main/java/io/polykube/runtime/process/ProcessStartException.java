package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A process did not become ready: it exited, its readiness probe did not pass before the
 * deadline, or it could not be launched. Carries the evidence: the process name, what was
 * awaited, the exit code if it exited, the last log lines and the log file.
 */
public class ProcessStartException extends ProcessException {
    private static final long serialVersionUID = 1L;

    private final String processName;
    private final String waitedFor;
    private final Integer exitCode;
    private final List<String> logTail;
    private final transient Path logFile;

    ProcessStartException(String processName, String problem, String waitedFor, Integer exitCode,
                          String lastProbeResult, Duration after, List<String> logTail, Path logFile,
                          Throwable cause) {
        super(format(processName, problem, waitedFor, lastProbeResult, after, logTail, logFile), cause);
        this.processName = processName;
        this.waitedFor = waitedFor;
        this.exitCode = exitCode;
        this.logTail = List.copyOf(logTail);
        this.logFile = logFile;
    }

    private static String format(String name, String problem, String waitedFor, String lastProbeResult,
                                 Duration after, List<String> tail, Path logFile) {
        StringBuilder sb = new StringBuilder();
        sb.append("Process '").append(name).append("' did not become ready: ").append(problem);
        if (after != null) {
            sb.append(String.format(" (after %.2f s)", after.toMillis() / 1000.0));
        }
        sb.append(".\nWaited for: ").append(waitedFor);
        if (lastProbeResult != null) {
            sb.append("\nLast probe result: ").append(lastProbeResult);
        }
        sb.append("\nFull log: ").append(logFile);
        if (tail.isEmpty()) {
            sb.append("\nThe process wrote no output.");
        } else {
            sb.append("\nLast ").append(tail.size()).append(" log lines:");
            for (String line : tail) {
                sb.append("\n  | ").append(line);
            }
        }
        return sb.toString();
    }

    /** Name of the process that failed. */
    public String processName() {
        return processName;
    }

    /** Description of the readiness condition that was awaited. */
    public String waitedFor() {
        return waitedFor;
    }

    /** Exit code if the process exited (128+signal when killed by a signal). */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The last lines the process wrote (stdout and stderr), oldest first. */
    public List<String> logTail() {
        return logTail;
    }

    /** The file holding the full output of the process. */
    public Path logFile() {
        return logFile;
    }
}
