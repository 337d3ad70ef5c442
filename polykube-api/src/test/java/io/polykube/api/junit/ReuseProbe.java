package io.polykube.api.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A test JVM of its own for {@link ReusedClusterIT}: runs one fixture class of {@link ReuseFixtures} with the JUnit
 * launcher and appends what happened ({@code key=value} lines) to the file named by {@value ReuseFixtures#OUT}.
 */
public final class ReuseProbe {
    private static final long STARTED = System.nanoTime();

    private ReuseProbe() {
    }

    /** Nanoseconds since the probe's main began (the JUnit run's start). */
    static long sinceStart() {
        return System.nanoTime() - STARTED;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty(ReuseFixtures.OUT));
        StringBuilder lines = new StringBuilder();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Class.forName(args[0])))
                .configurationParameter(OnlyInEngineRuns.PARAMETER, "true")
                .build(), new TestExecutionListener() {
                    @Override
                    public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                        entry.getKeyValuePairs().forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            lines.append("failed=").append(id.getDisplayName()).append(": ")
                                    .append(result.getThrowable().map(Throwable::toString).orElse("?").replace('\n', ' ')).append('\n');
                        } else if (id.isTest()) {
                            lines.append("passed=").append(id.getDisplayName()).append('\n');
                        }
                    }
                });
        lines.append("pid=").append(ProcessHandle.current().pid()).append('\n');
        Files.writeString(out, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
