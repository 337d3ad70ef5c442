package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolver order and version checks, with shell scripts standing in for the real binaries. */
class BinariesTest {

    private static final BinaryVersions VERSIONS = BinaryVersions.of("1.34.4", "3.6.16", "1.14.1");

    @TempDir
    Path tmp;
    private Path explicitDir;
    private Path binDir;
    private Path pathDir;
    private BinaryCache cache;

    @BeforeEach
    void setUp() {
        explicitDir = tmp.resolve("explicit");
        binDir = tmp.resolve("bindir");
        pathDir = tmp.resolve("path");
        cache = new BinaryCache(tmp.resolve("cache"));
    }

    private Binaries.Builder resolver() {
        return Binaries.builder().versions(VERSIONS).environment(Map.of()).cache(cache).searchPath(pathDir.toString());
    }

    @Test
    void explicitPathBeatsBinDirCacheAndPath() throws IOException {
        Path explicit = FakeBinaries.write(explicitDir, ClusterBinary.KUBE_APISERVER, "1.34.4");
        FakeBinaries.write(binDir, ClusterBinary.KUBE_APISERVER, "1.34.4");
        FakeBinaries.write(pathDir, ClusterBinary.KUBE_APISERVER, "1.34.4");
        cache.ensure(ClusterBinarySet.KUBERNETES, "1.34.4", FakeBinaries.set(ClusterBinarySet.KUBERNETES, "1.34.4"));

        ResolvedBinary resolved = resolver().path(ClusterBinary.KUBE_APISERVER, explicit).binDir(binDir).build()
                .resolve(ClusterBinary.KUBE_APISERVER);
        assertThat(resolved).isEqualTo(new ResolvedBinary(ClusterBinary.KUBE_APISERVER, explicit, "1.34.4", Source.EXPLICIT));
    }

    @Test
    void binDirBeatsCacheAndPath() throws IOException {
        FakeBinaries.write(binDir, ClusterBinary.ETCD, "3.6.16");
        FakeBinaries.write(pathDir, ClusterBinary.ETCD, "3.6.16");
        cache.ensure(ClusterBinarySet.ETCD, "3.6.16", FakeBinaries.set(ClusterBinarySet.ETCD, "3.6.16"));

        ResolvedBinary resolved = resolver().binDirs(List.of(tmp.resolve("empty"), binDir)).build().resolve(ClusterBinary.ETCD);
        assertThat(resolved.source()).isEqualTo(Source.BIN_DIR);
        assertThat(resolved.path()).isEqualTo(binDir.resolve("etcd"));
        assertThat(resolved.version()).isEqualTo("3.6.16");
    }

    @Test
    void binDirComesFromTheEnvironmentUnlessGiven() throws IOException {
        FakeBinaries.write(binDir, ClusterBinary.ETCDCTL, "3.6.16");
        Binaries fromEnv = Binaries.builder().versions(VERSIONS).cache(cache).searchPath("")
                .environment(Map.of("POLYKUBE_BIN_DIR", tmp.resolve("nothing") + ":" + binDir)).build();
        assertThat(fromEnv.resolve(ClusterBinary.ETCDCTL).source()).isEqualTo(Source.BIN_DIR);
        assertThat(Binaries.splitPath(" /a : /b ")).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void cacheBeatsPath() throws IOException {
        FakeBinaries.write(pathDir, ClusterBinary.KUBECTL, "1.34.4");
        Path dir = cache.ensure(ClusterBinarySet.KUBERNETES, "1.34.4", FakeBinaries.set(ClusterBinarySet.KUBERNETES, "1.34.4"));

        Map<ClusterBinary, ResolvedBinary> all = resolver().build().resolveAll(Set.of(ClusterBinary.KUBECTL, ClusterBinary.KUBELET));
        assertThat(all).containsOnlyKeys(ClusterBinary.KUBELET, ClusterBinary.KUBECTL);
        assertThat(all.get(ClusterBinary.KUBECTL).path()).isEqualTo(dir.resolve("kubectl"));
        assertThat(all.get(ClusterBinary.KUBECTL).source()).isEqualTo(Source.CACHE);
        assertThat(all.get(ClusterBinary.KUBELET).source()).isEqualTo(Source.CACHE);
    }

    @Test
    void pathIsUsedLastAndOtherVersionsThereAreSkipped() throws IOException {
        Path first = tmp.resolve("path-old");
        FakeBinaries.write(first, ClusterBinary.KUBECTL, "1.32.2");
        FakeBinaries.write(pathDir, ClusterBinary.KUBECTL, "1.34.4");
        ResolvedBinary resolved = resolver().searchPath(first + ":" + pathDir).build().resolve(ClusterBinary.KUBECTL);
        assertThat(resolved.source()).isEqualTo(Source.PATH);
        assertThat(resolved.path()).isEqualTo(pathDir.resolve("kubectl"));
    }

    @Test
    void explicitBinaryOfAnotherVersionIsAClearError() throws IOException {
        Path old = FakeBinaries.write(explicitDir, ClusterBinary.KUBE_SCHEDULER, "1.33.1");
        assertThatThrownBy(() -> resolver().path(ClusterBinary.KUBE_SCHEDULER, old).build().resolve(ClusterBinary.KUBE_SCHEDULER))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("kube-scheduler found at " + old + " (the explicit path) reports version 1.33.1")
                .hasMessageContaining("but 1.34.4 is asked for")
                .hasMessageContaining("./polykube setup");
        FakeBinaries.write(binDir, ClusterBinary.ETCD, "3.5.21");
        assertThatThrownBy(() -> resolver().binDir(binDir).build().resolve(ClusterBinary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("(binDirs) reports version 3.5.21, but 3.6.16 is asked for");
    }

    @Test
    void nothingFoundListsWhereItLookedAndWhatToDo() throws IOException {
        FakeBinaries.write(pathDir, ClusterBinary.KUBECTL, "1.32.2");
        assertThatThrownBy(() -> resolver().build().resolve(ClusterBinary.KUBECTL))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("kubectl v1.34.4 not found. Looked at:")
                .hasMessageContaining("POLYKUBE_BIN_DIR is not set")
                .hasMessageContaining("cache: " + cache.setDir(ClusterBinarySet.KUBERNETES, "1.34.4") + " does not exist")
                .hasMessageContaining("PATH: " + pathDir.resolve("kubectl") + " reports 1.32.2, not 1.34.4 (skipped)")
                .hasMessageContaining("download: no mirror configured")
                .hasMessageContaining("build from source: not allowed")
                .hasMessageContaining("Run `./polykube setup`")
                .hasMessageContaining("set POLYKUBE_BIN_DIR");
    }

    @Test
    void corruptCacheEntryIsNeverUsed() throws IOException {
        Path dir = cache.ensure(ClusterBinarySet.ETCD, "3.6.16", FakeBinaries.set(ClusterBinarySet.ETCD, "3.6.16"));
        Files.writeString(dir.resolve("etcd"), "#!/bin/sh\necho 'etcd Version: 3.6.16'\n# tampered\n");
        assertThatThrownBy(() -> resolver().build().resolve(ClusterBinary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("was corrupt (etcd has sha256");
        assertThat(dir).doesNotExist();
    }

    @Test
    void allowedBuildFillsTheCacheWhenNothingIsFound() {
        // a "go" that is not Go: the builder must fail clearly and leave the cache empty
        Binaries binaries = resolver().allowBuild(true).searchPath(tmp.resolve("no-go").toString()).build();
        assertThatThrownBy(() -> binaries.resolve(ClusterBinary.PAUSE))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("Go is not installed");
        assertThat(cache.setDir(ClusterBinarySet.PAUSE, "1")).doesNotExist();
    }

    @Test
    void anotherModulesSetIsFoundBuiltAndCachedLikeTheLibrarys() throws IOException {
        Binaries binaries = resolver().allowBuild(true).build();
        ResolvedBinary built = binaries.resolve(ForeignSet.Tool.TOOL);
        assertThat(built.source()).isEqualTo(Source.BUILT);
        assertThat(built.version()).isEqualTo(ForeignSet.VERSION);
        assertThat(built.path()).isEqualTo(cache.binDir().resolve("foreign-tools-v2.0.1/tool"));
        assertThat(cache.manifest(ForeignSet.TOOLS, ForeignSet.VERSION).orElseThrow().set()).isEqualTo("foreign-tools");
        assertThat(resolver().build().resolve(ForeignSet.Tool.TOOL).source()).isEqualTo(Source.CACHE);

        FakeBinaries.write(binDir, ForeignSet.Tool.TOOL, "2.0.0");
        assertThatThrownBy(() -> resolver().binDir(binDir).build().resolve(ForeignSet.Tool.TOOL))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("tool found at " + binDir.resolve("tool") + " (binDirs) reports version 2.0.0, but 2.0.1");
    }

    @Test
    void explicitPathThatDoesNotExistIsAClearError() {
        Path missing = tmp.resolve("nope/kubelet");
        assertThatThrownBy(() -> resolver().path(ClusterBinary.KUBELET, missing).build().resolve(ClusterBinary.KUBELET))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("the path given for kubelet, " + missing + ", is not an executable file");
    }

    @Test
    void versionParsing() {
        Path p = Path.of("/x");
        assertThat(VersionProbe.parse(ClusterBinary.KUBE_APISERVER, "Kubernetes v1.34.4\n", p)).isEqualTo("1.34.4");
        assertThat(VersionProbe.parse(ClusterBinary.KUBECTL, "{\n  \"clientVersion\": {\n    \"gitVersion\": \"v1.34.4\"", p))
                .isEqualTo("1.34.4");
        assertThat(VersionProbe.parse(ClusterBinary.ETCD, "etcd Version: 3.6.16\nGit SHA: x\n", p)).isEqualTo("3.6.16");
        assertThat(VersionProbe.parse(ClusterBinary.ETCDCTL, "etcdctl version: 3.6.16\nAPI version: 3.6\n", p)).isEqualTo("3.6.16");
        assertThat(VersionProbe.parse(ClusterBinary.PAUSE, "polykube-pause 1\n", p)).isEqualTo("1");
        assertThat(VersionProbe.parse(ClusterBinary.COREDNS, "CoreDNS-1.14.1\nlinux/amd64, go1.26.8, \n", p)).isEqualTo("1.14.1");
        assertThat(VersionProbe.matches("2.56", "2.56")).isTrue();
        assertThat(VersionProbe.matches("2.5", "2.56")).isFalse();
        assertThat(VersionProbe.matches("1.34.4-dirty", "1.34.4")).isTrue();
        assertThat(VersionProbe.matches("1.34.40", "1.34.4")).isFalse();
        assertThatThrownBy(() -> VersionProbe.parse(ClusterBinary.ETCD, "usage: foo", p))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("etcd at /x did not report a version I understand");
    }

    @Test
    void nodeRuntimeVersionParsing() {
        Path p = Path.of("/x");
        assertThat(VersionProbe.parse(ClusterBinary.CONTAINERD, "containerd github.com/containerd/containerd/v2 2.4.2 \n", p))
                .isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(ClusterBinary.CONTAINERD, "containerd github.com/containerd/containerd/v2 v2.4.2 abc\n", p))
                .isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(ClusterBinary.CTR, "ctr github.com/containerd/containerd/v2 2.4.2\n", p)).isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(ClusterBinary.CONTAINERD_SHIM_RUNC_V2,
                "containerd-shim-runc-v2:\n  Version:  2.4.2\n  Revision: \n  Go version: go1.26.8\n\n", p)).isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(ClusterBinary.RUNC, "runc version 1.5.3\nspec: 1.3.0\ngo: go1.26.8\nlibseccomp: 2.5.4\n", p))
                .isEqualTo("1.5.3");
        assertThat(VersionProbe.parse(ClusterBinary.CNI_PORTMAP, "CNI portmap plugin v1.10.0\nCNI protocol versions supported: 0.1.0\n",
                p)).isEqualTo("1.10.0");
        assertThat(ClusterBinary.CONTAINERD_SHIM_RUNC_V2.versionQuery().arguments()).containsExactly("-v");
        assertThat(ClusterBinary.CNI_BRIDGE.versionQuery().arguments()).isEmpty();
        assertThat(ClusterBinary.RUNC.versionQuery().arguments()).containsExactly("--version");
    }

    @Test
    void nodeRuntimeBinariesAreProbedByRunningThem() throws IOException {
        for (BinarySet set : List.of(ClusterBinarySet.CONTAINERD, ClusterBinarySet.RUNC, ClusterBinarySet.CNI_PLUGINS)) {
            String version = set.version(VERSIONS);
            for (Binary binary : set.binaries()) {
                FakeBinaries.write(binDir, binary, version);
            }
        }
        Map<ClusterBinary, ResolvedBinary> resolved = resolver().binDir(binDir).build().resolveAll(Set.of(ClusterBinary.CONTAINERD,
                ClusterBinary.CONTAINERD_SHIM_RUNC_V2, ClusterBinary.CTR, ClusterBinary.RUNC, ClusterBinary.CNI_BRIDGE, ClusterBinary.CNI_HOST_LOCAL,
                ClusterBinary.CNI_LOOPBACK, ClusterBinary.CNI_PORTMAP));
        assertThat(resolved.get(ClusterBinary.CONTAINERD).version()).isEqualTo("2.4.2");
        assertThat(resolved.get(ClusterBinary.CONTAINERD_SHIM_RUNC_V2).version()).isEqualTo("2.4.2");
        assertThat(resolved.get(ClusterBinary.RUNC).version()).isEqualTo("1.5.3");
        assertThat(resolved.get(ClusterBinary.CNI_LOOPBACK).version()).isEqualTo("1.10.0");
        assertThat(resolved.values()).extracting(ResolvedBinary::source).containsOnly(Source.BIN_DIR);
    }
}
