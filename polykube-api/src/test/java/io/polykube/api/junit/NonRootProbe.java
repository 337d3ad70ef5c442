package io.polykube.api.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Runs the {@code mode = FULL} fixtures and prints what happened, one line each; {@link NonRootIT} runs it as user
 * nobody in a child JVM and checks the lines.
 */
public final class NonRootProbe {
    private NonRootProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("user: " + System.getProperty("user.name"));
        Path clusters = Files.createTempDirectory("polykube-nonroot");
        EngineExecutionResults results = EngineRuns.run(clusters, false, Fixtures.FullFails.class, Fixtures.FullSkips.class);
        results.containerEvents().failed().stream().forEach(e -> System.out.println("failed " + name(e) + ": "
                + e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage()));
        results.containerEvents().skipped().stream().forEach(e -> System.out.println("skipped " + name(e) + ": "
                + e.getPayload(String.class).orElse("")));
        System.out.println("starts: " + EngineRuns.starts(results).size());
        System.out.println("tests started: " + results.testEvents().started().count());
        try (var list = Files.list(clusters)) {
            System.out.println("cluster directories: " + list.count());
        }
        Files.delete(clusters);
    }

    private static String name(org.junit.platform.testkit.engine.Event e) {
        String name = e.getTestDescriptor().getDisplayName();
        return name.substring(name.lastIndexOf('$') + 1);
    }
}
