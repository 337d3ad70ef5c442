package io.polykube.runtime.process;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A snapshot of one supervised process.
 *
 * @param name         the spec's name
 * @param state        lifecycle state at the time of the snapshot
 * @param pid          pid of the current (or last) run, empty before the first launch
 * @param restartCount how many times it was restarted by the restart policy
 * @param startedAt    when the current run was launched
 * @param readyAt      when the current run passed its readiness probe
 * @param lastExitCode exit code of the last run that ended
 * @param logFile      file with the process's stdout and stderr
 */
public record ProcessInfo(String name, ProcessState state, OptionalLong pid, int restartCount,
                          Optional<Instant> startedAt, Optional<Instant> readyAt,
                          OptionalInt lastExitCode, Path logFile) {
}
