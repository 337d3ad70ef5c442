package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessSpecTest {
    private static final Path SLEEP = Path.of("/bin/sleep");

    @Test
    void buildsWithDefaults() {
        ProcessSpec spec = ProcessSpec.builder("sleeper").command(SLEEP, "10").dependsOn("other").build();

        assertThat(spec.command()).containsExactly("/bin/sleep", "10");
        assertThat(spec.readinessTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.probeInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.never());
        assertThat(spec.dependsOn()).containsExactly("other");
    }

    @Test
    void rejectsMissingExecutable(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ProcessSpec.builder("x").executable(missing).build())
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("ProcessSpec 'x': executable " + missing + " does not exist");
    }

    @Test
    void rejectsNonExecutableFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\n");
        assertThatThrownBy(() -> ProcessSpec.builder("x").executable(file).build())
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("is not executable; run chmod +x " + file);
    }

    @Test
    void rejectsNegativeOrZeroTimeouts() {
        assertThatThrownBy(() -> ProcessSpec.builder("x").executable(SLEEP).readinessTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("readinessTimeout must be positive, got PT-1S");
        assertThatThrownBy(() -> ProcessSpec.builder("x").executable(SLEEP).probeInterval(Duration.ZERO).build())
                .hasMessageContaining("probeInterval must be positive");
        assertThatThrownBy(() -> ProcessSpec.builder("x").executable(SLEEP).stopGracePeriod(Duration.ofMillis(-5)).build())
                .hasMessageContaining("stopGracePeriod must be zero or positive");
    }

    @Test
    void rejectsBadNamesAndSelfDependency() {
        assertThatThrownBy(() -> ProcessSpec.builder("../etc").executable(SLEEP).build())
                .hasMessageContaining("ProcessSpec.name must match");
        assertThatThrownBy(() -> ProcessSpec.builder("a").executable(SLEEP).dependsOn("a").build())
                .hasMessageContaining("cannot depend on itself");
    }
}
