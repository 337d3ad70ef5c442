package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code ./polykube setup}: which sets at which versions (nothing is built here). */
class BinariesSetupTest {

    @Test
    void byDefaultTheDefaultVersionAndEverySetSetupBuilds() {
        BinariesSetup.Options options = BinariesSetup.parse(new String[0]);
        assertThat(options.selections()).containsExactly(KnownVersions.defaults());
        assertThat(options.plan()).containsExactly(
                new SetVersion(ClusterBinarySet.KUBERNETES, "1.37.2"),
                new SetVersion(ClusterBinarySet.ETCD, "3.7.0"),
                new SetVersion(ClusterBinarySet.PAUSE, "1"),
                new SetVersion(ClusterBinarySet.COREDNS, "1.14.6"),
                new SetVersion(ClusterBinarySet.CONTAINERD, "2.4.2"),
                new SetVersion(ClusterBinarySet.RUNC, "1.5.3"),
                new SetVersion(ClusterBinarySet.CNI_PLUGINS, "1.10.0"));
    }

    @Test
    void aMinorBuildsItsPinnedPatchWithItsEtcdAndCoreDns() {
        BinariesSetup.Options options = BinariesSetup.parse(new String[] {"--kubernetes-version", "1.36"});
        assertThat(options.plan()).contains(new SetVersion(ClusterBinarySet.KUBERNETES, "1.36.5"),
                new SetVersion(ClusterBinarySet.ETCD, "3.6.8"), new SetVersion(ClusterBinarySet.COREDNS, "1.14.2"),
                new SetVersion(ClusterBinarySet.CONTAINERD, "2.4.2"));
    }

    @Test
    void allBuildsEveryKnownMinorAndTheSharedSetsOnce() {
        List<SetVersion> plan = BinariesSetup.parse(new String[] {"--kubernetes-version", "all"}).plan();
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.KUBERNETES).extracting(SetVersion::version)
                .containsExactly("1.33.13", "1.34.12", "1.35.8", "1.36.5", "1.37.2");
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.ETCD).extracting(SetVersion::version)
                .containsExactly("3.5.33", "3.6.16", "3.6.6", "3.6.8", "3.7.0");
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.COREDNS).hasSize(5);
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.PAUSE).hasSize(1);
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.CONTAINERD).hasSize(1);
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.CNI_PLUGINS).hasSize(1);
    }

    @Test
    void severalSelectionsCommaSeparatedBuildEachOnce() {
        List<SetVersion> plan = BinariesSetup.parse(new String[] {"--kubernetes-version", "default, oldest,1.33"}).plan();
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.KUBERNETES).extracting(SetVersion::version)
                .containsExactly(KnownVersions.DEFAULT_VERSION, "1.33.13");
        assertThat(plan).filteredOn(e -> e.set() == ClusterBinarySet.CONTAINERD).hasSize(1);
    }

    @Test
    void onlyAndEtcdVersionNarrowAndOverride() {
        BinariesSetup.Options options = BinariesSetup.parse(new String[] {"--only", "cni-plugins"});
        assertThat(options.plan()).containsExactly(new SetVersion(ClusterBinarySet.CNI_PLUGINS, "1.10.0"));
        assertThat(BinariesSetup.parse(new String[] {"--only", "CNI_PLUGINS"}).sets()).containsExactly(ClusterBinarySet.CNI_PLUGINS);
        assertThat(BinariesSetup.parse(new String[] {"--etcd-version", "3.6.17", "--kubernetes-version", "1.35", "--only", "etcd"})
                .plan()).containsExactly(new SetVersion(ClusterBinarySet.ETCD, "3.6.17"));
        assertThat(BinariesSetup.parse(new String[] {"--help"})).isNull();
    }

    @Test
    void anUnknownMinorIsABadArgumentNamingTheKnownOnes(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BinariesSetup.run(new String[] {"--cache-dir", tmp.toString(), "--kubernetes-version", "1.38"},
                Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Kubernetes 1.38 is not a version polykube knows",
                "1.33, 1.34, 1.35, 1.36, 1.37");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void anUnknownSetIsABadArgumentNamingTheSets() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BinariesSetup.run(new String[] {"--only", "cni"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--only takes one of", "containerd, runc, cni-plugins",
                "usage: BinariesSetup");
    }

    @Test
    void aMirrorNeedsDigestsFromElsewhereAndBadOnesStopBeforeAnythingIsMade(@TempDir Path tmp) throws IOException {
        assertThat(setup(tmp, "--mirror", "https://mirror.example/")).contains("--mirror needs --mirror-digests FILE",
                "whose own checksums are not trusted");
        assertThat(setup(tmp, "--mirror-digests", "d")).contains("--mirror-digests is for --mirror");
        Path digests = Files.writeString(tmp.resolve("digests"), "nodigest  release/v1.37.2/bin/linux/amd64/kubelet\n");
        assertThat(setup(tmp, "--mirror", "https://mirror.example/", "--mirror-digests", digests.toString()))
                .contains(digests + " line 1 holds no SHA-256");
        assertThat(setup(tmp, "--mirror", "http://mirror.example/", "--mirror-digests", digests.toString()))
                .contains("plain http would bring the binaries over a connection");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(digests);
        }
    }

    /** Runs setup with its cache in {@code tmp}, expecting exit 2; returns what it printed to stderr. */
    private static String setup(Path tmp, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = Stream.concat(Stream.of("--cache-dir", tmp.resolve("cache").toString()), Stream.of(args))
                .toArray(String[]::new);
        int exit = BinariesSetup.run(all, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }
}
