package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, completion and exit codes of the command line: nothing starts, no binaries needed ({@code --version} is in ClusterVerbsIT). */
class MainTest {
    static final List<String> VERBS = List.of("quickstart", "up", "down", "status", "list", "delete", "export-logs", "kubeconfig",
            "load", "completion", "conformance");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpOnTheTopLevelListsEveryVerb(String flag) {
        CliRun run = CliRun.of(flag);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: polykube");
        VERBS.forEach(verb -> assertThat(run.out()).as(verb).contains("  " + verb + " "));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void helpOnEveryVerb() {
        for (String verb : VERBS) {
            for (String flag : List.of("--help", "-h")) {
                CliRun run = CliRun.of(verb, flag);
                assertThat(run.exitCode()).as(verb + " " + flag + ": " + run).isZero();
                assertThat(run.out()).as(verb).contains("Usage: polykube " + verb);
            }
        }
    }

    @Test
    void usageErrorsGoToStderrWithExitCode2() {
        CliRun unknownVerb = CliRun.of("sideways");
        assertThat(unknownVerb.exitCode()).isEqualTo(2);
        assertThat(unknownVerb.err()).contains("'sideways'");
        assertThat(unknownVerb.out()).isEmpty();

        CliRun unknownOption = CliRun.of("down", "--bogus");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'");

        CliRun badEnum = CliRun.of("list", "--state-dir", dir.toString(), "--output", "xml");
        assertThat(badEnum.exitCode()).isEqualTo(2);
        assertThat(badEnum.err()).contains("xml").contains("JSON").contains("polykube list --help");

        CliRun controlPlaneConformance = CliRun.of("conformance", "--dir", dir.toString(), "--mode", "control-plane");
        assertThat(controlPlaneConformance.exitCode()).isEqualTo(2);
        assertThat(controlPlaneConformance.err()).contains("needs --mode full");
        CliRun badFocus = CliRun.of("conformance", "--dir", dir.toString(), "--focus", "([");
        assertThat(badFocus.exitCode()).isEqualTo(2);
        assertThat(badFocus.err()).contains("--focus '([' is not a regular expression");

        CliRun badMode = CliRun.of("up", "--dir", dir.toString(), "--mode", "sideways");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.err()).contains("--mode must be control-plane or full").contains("polykube up --help");

        CliRun badName = CliRun.of("up", "--name", "Not_Valid", "--dir", dir.toString(), "--mode", "control-plane");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("name 'Not_Valid'");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void completionIsABashScriptForEveryVerb() {
        CliRun run = CliRun.of("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F").contains("export-logs").contains("delete");
        String verbs = run.out().lines().filter(l -> l.contains("local commands=")).findFirst().orElseThrow();
        VERBS.forEach(verb -> assertThat(verbs).as(verb).contains(verb));
        assertThat(verbs).as("run by the launcher from the benchmarks module").contains("bench");
    }

    @Test
    void listOfAnEmptyStateDirectory() {
        CliRun table = CliRun.of("list", "--state-dir", dir.toString());
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("no clusters in " + dir);
        CliRun json = CliRun.of("list", "--state-dir", dir.toString(), "-o", "json");
        assertThat(json.out().trim()).isEqualTo("[ ]");
    }

    @Test
    void deleteRefusesADirectoryThatIsNotACluster() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("precious.txt"), "keep me");
        CliRun run = CliRun.of("delete", "--dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not a polykube cluster directory");
        assertThat(dir.resolve("precious.txt")).exists();
    }
}
