package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.ClusterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's part of the bad-input table (issue #16; the builder and files on disk are in polykube-api's
 * BadInputIT): each bad command line exits with 2 (usage) or 1 (the work cannot be done), says what is wrong and what to do,
 * starts no process and writes no file, neither under the test's directory nor in the cluster's default directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliBadInputTest {
    @TempDir
    static Path root;
    private Path dir;
    private Path notACluster;
    private int checked;

    /** One bad command line, its exit code and what its output (stdout and stderr) must say. */
    record Case(String what, int exitCode, List<String> args, List<String> mustSay) {
    }

    @BeforeAll
    void prepare() throws IOException {
        dir = root.resolve("cluster");
        notACluster = Files.createDirectories(root.resolve("not-a-cluster"));
        Files.writeString(notACluster.resolve("precious.txt"), "keep me");
    }

    @AfterAll
    void count() {
        System.out.println("[bad input] " + checked + " bad inputs checked (command line): each refused, nothing started or written");
    }

    private Case usage(String what, List<String> args, String... mustSay) {
        return new Case(what, 2, args, List.of(mustSay));
    }

    private Case fails(String what, List<String> args, String... mustSay) {
        return new Case(what, 1, args, List.of(mustSay));
    }

    private List<String> on(String verb, String... more) {
        List<String> out = new ArrayList<>(List.of(verb, "--name", "bad-cli", "--dir", dir.toString()));
        out.addAll(List.of(more));
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachIsRefusedCleanly() {
        List<Case> cases = List.of(
                usage("an unknown verb", List.of("sideways"), "'sideways'", "polykube --help"),
                usage("an unknown option", List.of("up", "--bogus"), "Unknown option: '--bogus'", "polykube up --help"),
                usage("an option without its value", List.of("up", "--name"), "Missing required parameter", "'--name'"),
                usage("a name with capitals and an underscore", List.of("up", "--name", "Not_Valid", "--dir", dir.toString()),
                        "name 'Not_Valid'", "lower case", "polykube up --help"),
                usage("a name that is too long", List.of("up", "--name", "a-very-long-cluster-name", "--dir", dir.toString()),
                        "1 to 16", "polykube up --help"),
                usage("an empty name", List.of("up", "--name", "", "--dir", dir.toString()), "name ''", "polykube up --help"),
                usage("a mode that does not exist", on("up", "--mode", "sideways"), "--mode must be control-plane or full",
                        "'sideways'", "polykube up --help"),
                usage("an output format that does not exist", List.of("list", "--state-dir", root.toString(), "--output", "xml"),
                        "'xml'", "expected one of [TABLE, JSON, YAML]", "polykube list --help"),
                usage("conformance on a control-plane cluster", on("conformance", "--mode", "control-plane"), "needs --mode full"),
                usage("a conformance focus that is no regular expression", on("conformance", "--focus", "(["),
                        "--focus '([' is not a regular expression"),
                usage("conformance waiting a negative time for the host", on("conformance", "--wait-for-host", "-1"),
                        "--wait-for-host -1 is negative"),
                usage("conformance with no test process", on("conformance", "--parallel", "0"), "--parallel 0 is out of range",
                        "give 1 to 16"),
                usage("down of a cluster that does not exist", on("down"), "no cluster 'bad-cli'", "nothing to stop",
                        "Check --name and --dir", "./polykube list"),
                usage("load of a tarball that does not exist", on("load", root.resolve("nope.tar").toString()), "nope.tar is not a file",
                        "give the path of an image tarball"),
                usage("delete of a directory that is not a cluster", List.of("delete", "--name", "bad-cli", "--dir",
                        notACluster.toString()), "is not a polykube cluster directory"),
                fails("load into a cluster that does not run", on("load", notACluster.resolve("precious.txt").toString()),
                        "cluster 'bad-cli' is not running", "./polykube up --name bad-cli --mode full"),
                fails("kubeconfig of a cluster that does not exist", on("kubeconfig"), "no kubeconfig for cluster 'bad-cli'",
                        "./polykube up --name bad-cli"),
                fails("export-logs of a cluster that does not exist", on("export-logs", root.toString()), "no cluster 'bad-cli'",
                        "check --name/--dir"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.what(), () -> check(c)));
    }

    private void check(Case c) throws IOException {
        Set<String> files = listing(root);
        // only this name's default directory: other clusters on the machine may come and go in the state directory meanwhile
        Set<String> state = listing(ClusterSpec.defaultDirectory("bad-cli"));
        Set<Long> processes = descendants();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int code;
        try (PrintStream capture = new PrintStream(systemOut, true, StandardCharsets.UTF_8)) {
            System.setOut(capture); // some verbs print through System.out/err rather than picocli's writers
            System.setErr(capture);
            code = Main.run(new PrintWriter(out), new PrintWriter(err), c.args().toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String said = out + "\n" + err + "\n" + systemOut.toString(StandardCharsets.UTF_8);

        assertThat(code).as("exit code of %s: %s", c.args(), said).isEqualTo(c.exitCode());
        assertThat(said).as("what %s says", c.args()).contains(c.mustSay());
        assertThat(descendants()).as("processes after %s", c.what()).isSubsetOf(processes);
        assertThat(listing(root)).as("files under %s after %s", root, c.what()).isEqualTo(files);
        assertThat(listing(ClusterSpec.defaultDirectory("bad-cli"))).as("the default directory of 'bad-cli' after %s",
                c.what()).isEqualTo(state);
        checked++;
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Every path under {@code dir}, recursively (empty when it does not exist). */
    private static Set<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
