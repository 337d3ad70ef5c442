package io.polykube.api.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes in one JUnit launcher session (one root store, so shared clusters are shared among them). */
final class EngineRuns {
    private EngineRuns() {
    }

    /** Log bundles of failed fixtures go where the extension puts them by default (next to this module's test reports). */
    static EngineExecutionResults run(Path clusterDirectories, boolean parallel, Class<?>... classes) {
        return run(clusterDirectories, null, parallel, classes);
    }

    /** Log bundles of failed fixtures go to {@code logs}. */
    static EngineExecutionResults run(Path clusterDirectories, Path logs, boolean parallel, Class<?>... classes) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyInEngineRuns.PARAMETER, "true")
                .configurationParameter(PolykubeExtension.DIRECTORY_PARAMETER, clusterDirectories.toString())
                .configurationParameter("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new));
        if (logs != null) {
            builder.configurationParameter(PolykubeExtension.LOGS_PARAMETER, logs.toString());
        }
        if (parallel) {
            builder.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        return builder.execute();
    }

    /** The report entries that announced a cluster start. */
    static List<ReportEntry> starts(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .filter(r -> r.getKeyValuePairs().containsKey(PolykubeExtension.REPORT_STARTED))
                .collect(Collectors.toList());
    }

    /** Every failure (test or container) with its stack trace, for assertion messages. */
    static String failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(EngineRuns::describe).collect(Collectors.joining("\n"));
    }

    /** The failure message of the test or container whose display name is {@code name}. */
    static String failureOf(EngineExecutionResults results, String name) {
        return results.allEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(name)
                        || e.getTestDescriptor().getDisplayName().endsWith("$" + name))
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
                .findFirst().orElseThrow(() -> new AssertionError(name + " did not fail; failures: " + failures(results)));
    }

    static String describe(Event event) {
        StringWriter out = new StringWriter();
        out.append(event.getTestDescriptor().getDisplayName()).append(": ");
        event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .ifPresent(t -> t.printStackTrace(new PrintWriter(out)));
        return out.toString();
    }
}
