package io.polykube.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.files.AtomicFile;

import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the run directory remembers about a started process ({@code <name>.json}), so a later
 * supervisor can recognise it after a crash: the pid alone is not enough, the kernel reuses pids,
 * so the start time (clock ticks since boot, from /proc/pid/stat) and the command line must match too.
 *
 * @param name            process name
 * @param pid             process id
 * @param startTicks      field 22 of /proc/pid/stat
 * @param commandLine     /proc/pid/cmdline as launched
 * @param startedAt       wall-clock launch time (informative)
 * @param stopGracePeriod grace between SIGTERM and SIGKILL when reaping
 * @param supervisorPid   pid of the JVM that started it
 */
public record ProcessRecord(String name, long pid, long startTicks, List<String> commandLine,
                            Instant startedAt, Duration stopGracePeriod, long supervisorPid) {

    static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ProcessRecord {
        Objects.requireNonNull(name, "name");
        commandLine = List.copyOf(commandLine);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
    }

    /** How a record relates to what runs now under its pid. */
    enum Match {
        /** The very process that was recorded still runs. */
        SAME,
        /** No process with that pid. */
        GONE,
        /** A different process has the pid now (start time or command line differ). */
        REUSED
    }

    static Match match(ProcessRecord record, Optional<ProcFs.Identity> live) {
        if (live.isEmpty()) {
            return Match.GONE;
        }
        ProcFs.Identity id = live.get();
        if (id.pid() != record.pid() || id.startTicks() != record.startTicks() || !sameCommand(record.commandLine(), id.commandLine())) {
            return Match.REUSED;
        }
        return Match.SAME;
    }

    /**
     * The live command line is the recorded one, or its tail: a wrapper such as {@code nsenter --net=... -- kubelet ...}
     * exec'd the command it wraps, keeping pid and start time (the record may hold either, depending on when it was read).
     */
    static boolean sameCommand(List<String> recorded, List<String> live) {
        if (live.equals(recorded)) {
            return true;
        }
        int wrapper = recorded.size() - live.size();
        return !live.isEmpty() && wrapper > 0 && recorded.subList(wrapper, recorded.size()).equals(live)
                && "--".equals(recorded.get(wrapper - 1));
    }

    Path file(Path runDirectory) {
        return runDirectory.resolve(name + SUFFIX);
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", name);
        node.put("pid", pid);
        node.put("startTicks", startTicks);
        ArrayNode cmd = node.putArray("commandLine");
        commandLine.forEach(cmd::add);
        node.put("startedAt", startedAt.toString());
        node.put("stopGracePeriod", stopGracePeriod.toString());
        node.put("supervisorPid", supervisorPid);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new ProcessException("cannot serialise process record for '" + name + "'", e);
        }
    }

    static ProcessRecord fromJson(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        List<String> cmd = new ArrayList<>();
        node.required("commandLine").forEach(n -> cmd.add(n.asText()));
        return new ProcessRecord(node.required("name").asText(), node.required("pid").asLong(),
                node.required("startTicks").asLong(), cmd, Instant.parse(node.required("startedAt").asText()),
                Duration.parse(node.required("stopGracePeriod").asText()), node.path("supervisorPid").asLong(0));
    }

    /** Writes the record atomically (temp file + rename). */
    void write(Path runDirectory) {
        Path target = file(runDirectory);
        try {
            AtomicFile.at(target).write(toJson());
        } catch (IOException e) {
            throw new ProcessException("cannot write process record " + target + ": " + e
                    + "; the run directory must be writable", e);
        }
    }
}
