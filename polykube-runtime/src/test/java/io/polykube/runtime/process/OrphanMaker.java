package io.polykube.runtime.process;

import io.polykube.runtime.probe.Probe;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Child JVM for {@link OrphanReapIT}: starts processes with a Supervisor, prints their pids, then
 * waits to be killed with SIGKILL (so it leaves orphans behind).
 */
public final class OrphanMaker {
    private OrphanMaker() {
    }

    public static void main(String[] args) throws Exception {
        Path runDirectory = Path.of(args[0]);
        Path treeScript = Path.of(args[1]);
        Supervisor supervisor = Supervisor.builder().runDirectory(runDirectory).shutdownHook(false).build();
        supervisor.start(List.of(
                ProcessSpec.builder("sleeper").command(Path.of("/bin/sleep"), "600").build(),
                ProcessSpec.builder("tree").executable(treeScript).readiness(Probe.logLine(Pattern.compile("^ready$")))
                        .stopGracePeriod(Duration.ofMillis(300)).dependsOn("sleeper").build()));
        long sleeper = supervisor.process("sleeper").orElseThrow().pid().getAsLong();
        long tree = supervisor.process("tree").orElseThrow().pid().getAsLong();
        long grandchild = ProcessHandle.of(tree).orElseThrow().children() // the oldest child: the one started first
                .min(Comparator.comparing(h -> h.info().startInstant().orElse(Instant.MAX))).orElseThrow().pid();
        System.out.println("PIDS " + sleeper + " " + tree + " " + grandchild);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
