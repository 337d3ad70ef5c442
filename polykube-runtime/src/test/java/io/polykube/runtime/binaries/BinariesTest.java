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
        Path explicit = FakeBinaries.write(explicitDir, Binary.KUBE_APISERVER, "1.34.4");
        FakeBinaries.write(binDir, Binary.KUBE_APISERVER, "1.34.4");
        FakeBinaries.write(pathDir, Binary.KUBE_APISERVER, "1.34.4");
        cache.ensure(BinarySet.KUBERNETES, "1.34.4", FakeBinaries.set(BinarySet.KUBERNETES, "1.34.4"));

        ResolvedBinary resolved = resolver().path(Binary.KUBE_APISERVER, explicit).binDir(binDir).build()
                .resolve(Binary.KUBE_APISERVER);
        assertThat(resolved).isEqualTo(new ResolvedBinary(Binary.KUBE_APISERVER, explicit, "1.34.4", Source.EXPLICIT));
    }

    @Test
    void binDirBeatsCacheAndPath() throws IOException {
        FakeBinaries.write(binDir, Binary.ETCD, "3.6.16");
        FakeBinaries.write(pathDir, Binary.ETCD, "3.6.16");
        cache.ensure(BinarySet.ETCD, "3.6.16", FakeBinaries.set(BinarySet.ETCD, "3.6.16"));

        ResolvedBinary resolved = resolver().binDirs(List.of(tmp.resolve("empty"), binDir)).build().resolve(Binary.ETCD);
        assertThat(resolved.source()).isEqualTo(Source.BIN_DIR);
        assertThat(resolved.path()).isEqualTo(binDir.resolve("etcd"));
        assertThat(resolved.version()).isEqualTo("3.6.16");
    }

    @Test
    void binDirComesFromTheEnvironmentUnlessGiven() throws IOException {
        FakeBinaries.write(binDir, Binary.ETCDCTL, "3.6.16");
        Binaries fromEnv = Binaries.builder().versions(VERSIONS).cache(cache).searchPath("")
                .environment(Map.of("POLYKUBE_BIN_DIR", tmp.resolve("nothing") + ":" + binDir)).build();
        assertThat(fromEnv.resolve(Binary.ETCDCTL).source()).isEqualTo(Source.BIN_DIR);
        assertThat(Binaries.splitPath(" /a : /b ")).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void cacheBeatsPath() throws IOException {
        FakeBinaries.write(pathDir, Binary.KUBECTL, "1.34.4");
        Path dir = cache.ensure(BinarySet.KUBERNETES, "1.34.4", FakeBinaries.set(BinarySet.KUBERNETES, "1.34.4"));

        Map<Binary, ResolvedBinary> all = resolver().build().resolveAll(Set.of(Binary.KUBECTL, Binary.KUBELET));
        assertThat(all).containsOnlyKeys(Binary.KUBELET, Binary.KUBECTL);
        assertThat(all.get(Binary.KUBECTL).path()).isEqualTo(dir.resolve("kubectl"));
        assertThat(all.get(Binary.KUBECTL).source()).isEqualTo(Source.CACHE);
        assertThat(all.get(Binary.KUBELET).source()).isEqualTo(Source.CACHE);
    }

    @Test
    void pathIsUsedLastAndOtherVersionsThereAreSkipped() throws IOException {
        Path first = tmp.resolve("path-old");
        FakeBinaries.write(first, Binary.KUBECTL, "1.32.2");
        FakeBinaries.write(pathDir, Binary.KUBECTL, "1.34.4");
        ResolvedBinary resolved = resolver().searchPath(first + ":" + pathDir).build().resolve(Binary.KUBECTL);
        assertThat(resolved.source()).isEqualTo(Source.PATH);
        assertThat(resolved.path()).isEqualTo(pathDir.resolve("kubectl"));
    }

    @Test
    void explicitBinaryOfAnotherVersionIsAClearError() throws IOException {
        Path old = FakeBinaries.write(explicitDir, Binary.KUBE_SCHEDULER, "1.33.1");
        assertThatThrownBy(() -> resolver().path(Binary.KUBE_SCHEDULER, old).build().resolve(Binary.KUBE_SCHEDULER))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("kube-scheduler found at " + old + " (the explicit path) reports version 1.33.1")
                .hasMessageContaining("but 1.34.4 is asked for")
                .hasMessageContaining("./polykube setup");
        FakeBinaries.write(binDir, Binary.ETCD, "3.5.21");
        assertThatThrownBy(() -> resolver().binDir(binDir).build().resolve(Binary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("(binDirs) reports version 3.5.21, but 3.6.16 is asked for");
    }

    @Test
    void nothingFoundListsWhereItLookedAndWhatToDo() throws IOException {
        FakeBinaries.write(pathDir, Binary.KUBECTL, "1.32.2");
        assertThatThrownBy(() -> resolver().build().resolve(Binary.KUBECTL))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("kubectl v1.34.4 not found. Looked at:")
                .hasMessageContaining("POLYKUBE_BIN_DIR is not set")
                .hasMessageContaining("cache: " + cache.setDir(BinarySet.KUBERNETES, "1.34.4") + " does not exist")
                .hasMessageContaining("PATH: " + pathDir.resolve("kubectl") + " reports 1.32.2, not 1.34.4 (skipped)")
                .hasMessageContaining("download: no mirror configured")
                .hasMessageContaining("build from source: not allowed")
                .hasMessageContaining("Run `./polykube setup`")
                .hasMessageContaining("set POLYKUBE_BIN_DIR");
    }

    @Test
    void corruptCacheEntryIsNeverUsed() throws IOException {
        Path dir = cache.ensure(BinarySet.ETCD, "3.6.16", FakeBinaries.set(BinarySet.ETCD, "3.6.16"));
        Files.writeString(dir.resolve("etcd"), "#!/bin/sh\necho 'etcd Version: 3.6.16'\n# tampered\n");
        assertThatThrownBy(() -> resolver().build().resolve(Binary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("was corrupt (etcd has sha256");
        assertThat(dir).doesNotExist();
    }

    @Test
    void allowedBuildFillsTheCacheWhenNothingIsFound() {
        // a "go" that is not Go: the builder must fail clearly and leave the cache empty
        Binaries binaries = resolver().allowBuild(true).searchPath(tmp.resolve("no-go").toString()).build();
        assertThatThrownBy(() -> binaries.resolve(Binary.PAUSE))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("Go is not installed");
        assertThat(cache.setDir(BinarySet.PAUSE, "1")).doesNotExist();
    }

    @Test
    void explicitPathThatDoesNotExistIsAClearError() {
        Path missing = tmp.resolve("nope/kubelet");
        assertThatThrownBy(() -> resolver().path(Binary.KUBELET, missing).build().resolve(Binary.KUBELET))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("the path given for kubelet, " + missing + ", is not an executable file");
    }

    @Test
    void versionParsing() {
        Path p = Path.of("/x");
        assertThat(VersionProbe.parse(Binary.KUBE_APISERVER, "Kubernetes v1.34.4\n", p)).isEqualTo("1.34.4");
        assertThat(VersionProbe.parse(Binary.KUBECTL, "{\n  \"clientVersion\": {\n    \"gitVersion\": \"v1.34.4\"", p))
                .isEqualTo("1.34.4");
        assertThat(VersionProbe.parse(Binary.ETCD, "etcd Version: 3.6.16\nGit SHA: x\n", p)).isEqualTo("3.6.16");
        assertThat(VersionProbe.parse(Binary.ETCDCTL, "etcdctl version: 3.6.16\nAPI version: 3.6\n", p)).isEqualTo("3.6.16");
        assertThat(VersionProbe.parse(Binary.PAUSE, "polykube-pause 1\n", p)).isEqualTo("1");
        assertThat(VersionProbe.parse(Binary.COREDNS, "CoreDNS-1.14.1\nlinux/amd64, go1.26.8, \n", p)).isEqualTo("1.14.1");
        assertThat(VersionProbe.parse(Binary.E2E_TEST, "v1.34.4\n", p)).isEqualTo("1.34.4");
        assertThat(VersionProbe.parse(Binary.AGNHOST, "app version 2.56\n", p)).isEqualTo("2.56");
        assertThat(VersionProbe.parse(Binary.GINKGO, "Ginkgo Version 2.21.0\n", p)).isEqualTo("2.21.0");
        assertThat(VersionProbe.matches("2.56", "2.56")).isTrue();
        assertThat(VersionProbe.matches("2.5", "2.56")).isFalse();
        assertThat(VersionProbe.matches("1.34.4-dirty", "1.34.4")).isTrue();
        assertThat(VersionProbe.matches("1.34.40", "1.34.4")).isFalse();
        assertThatThrownBy(() -> VersionProbe.parse(Binary.ETCD, "usage: foo", p))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("etcd at /x did not report a version I understand");
    }

    @Test
    void nodeRuntimeVersionParsing() {
        Path p = Path.of("/x");
        assertThat(VersionProbe.parse(Binary.CONTAINERD, "containerd github.com/containerd/containerd/v2 2.4.2 \n", p))
                .isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(Binary.CONTAINERD, "containerd github.com/containerd/containerd/v2 v2.4.2 abc\n", p))
                .isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(Binary.CTR, "ctr github.com/containerd/containerd/v2 2.4.2\n", p)).isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(Binary.CONTAINERD_SHIM_RUNC_V2,
                "containerd-shim-runc-v2:\n  Version:  2.4.2\n  Revision: \n  Go version: go1.26.8\n\n", p)).isEqualTo("2.4.2");
        assertThat(VersionProbe.parse(Binary.RUNC, "runc version 1.5.3\nspec: 1.3.0\ngo: go1.26.8\nlibseccomp: 2.5.4\n", p))
                .isEqualTo("1.5.3");
        assertThat(VersionProbe.parse(Binary.CNI_PORTMAP, "CNI portmap plugin v1.10.0\nCNI protocol versions supported: 0.1.0\n",
                p)).isEqualTo("1.10.0");
        assertThat(VersionProbe.versionArguments(Binary.CONTAINERD_SHIM_RUNC_V2)).containsExactly("-v");
        assertThat(VersionProbe.versionArguments(Binary.CNI_BRIDGE)).isEmpty();
        assertThat(VersionProbe.versionArguments(Binary.RUNC)).containsExactly("--version");
    }

    @Test
    void nodeRuntimeBinariesAreProbedByRunningThem() throws IOException {
        for (BinarySet set : List.of(BinarySet.CONTAINERD, BinarySet.RUNC, BinarySet.CNI_PLUGINS)) {
            String version = set.version(VERSIONS);
            for (Binary binary : set.binaries()) {
                FakeBinaries.write(binDir, binary, version);
            }
        }
        Map<Binary, ResolvedBinary> resolved = resolver().binDir(binDir).build().resolveAll(Set.of(Binary.CONTAINERD,
                Binary.CONTAINERD_SHIM_RUNC_V2, Binary.CTR, Binary.RUNC, Binary.CNI_BRIDGE, Binary.CNI_HOST_LOCAL,
                Binary.CNI_LOOPBACK, Binary.CNI_PORTMAP));
        assertThat(resolved.get(Binary.CONTAINERD).version()).isEqualTo("2.4.2");
        assertThat(resolved.get(Binary.CONTAINERD_SHIM_RUNC_V2).version()).isEqualTo("2.4.2");
        assertThat(resolved.get(Binary.RUNC).version()).isEqualTo("1.5.3");
        assertThat(resolved.get(Binary.CNI_LOOPBACK).version()).isEqualTo("1.10.0");
        assertThat(resolved.values()).extracting(ResolvedBinary::source).containsOnly(Source.BIN_DIR);
    }
}
