package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoModuleBuilderTest {

    static String resource(String name) throws IOException {
        try (InputStream in = GoModuleBuilderTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void kubernetesWrapperReplacesEveryStagingModuleFromTheSample() throws IOException {
        String wrapper = KubernetesModule.wrapperGoMod(resource("kubernetes-sample.go.mod"), "1.34.4");
        assertThat(wrapper).isEqualTo("module polykube.local/kubernetes-build\n\n"
                + "go 1.24.0\n\n"
                + "godebug default=go1.24\n\n"
                + "require k8s.io/kubernetes v1.34.4\n\n"
                + "replace k8s.io/api => k8s.io/api v0.34.4\n"
                + "replace k8s.io/apimachinery => k8s.io/apimachinery v0.34.4\n"
                + "replace k8s.io/client-go => k8s.io/client-go v0.34.4\n"
                + "replace k8s.io/kubectl => k8s.io/kubectl v0.34.4\n"
                + "replace k8s.io/component-base => k8s.io/component-base v0.34.4\n"
                + "replace k8s.io/cri-client => k8s.io/cri-client v0.34.4\n");
    }

    @Test
    void kubernetesWrapperFromTheRealGoModHas29Replaces() throws IOException {
        String wrapper = KubernetesModule.wrapperGoMod(resource("kubernetes-v1.34.4.go.mod"), "1.34.4");
        List<String> replaces = wrapper.lines().filter(l -> l.startsWith("replace ")).toList();
        assertThat(replaces).hasSize(29)
                .contains("replace k8s.io/api => k8s.io/api v0.34.4",
                        "replace k8s.io/sample-apiserver => k8s.io/sample-apiserver v0.34.4")
                .allMatch(l -> l.endsWith(" v0.34.4"))
                .noneMatch(l -> l.contains("kube-openapi") || l.contains("k8s.io/utils")
                        || l.contains("sample-controller"));
        assertThat(wrapper).contains("\ngo 1.24.0\n", "\ngodebug default=go1.24\n", "\nrequire k8s.io/kubernetes v1.34.4\n");
    }

    @Test
    void kubernetesWrapperRefusesAnotherModule() {
        assertThatThrownBy(() -> KubernetesModule.wrapperGoMod("module example.com/x\n", "1.34.4"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("expected the go.mod of k8s.io/kubernetes");
        assertThatThrownBy(() -> KubernetesModule.wrapperGoMod("module k8s.io/kubernetes\n\ngo 1.24.0\n", "1.34.4"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("no k8s.io/* v0.0.0 requirements");
        assertThatThrownBy(() -> GoMod.parse("go 1.22\n"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("no module line");
    }

    @Test
    void coreDnsWrapperRequiresCoreDnsAloneWithItsGoLine() {
        String coreDnsGoMod = "module github.com/coredns/coredns\n\ngo 1.25.0\n\nrequire (\n\tk8s.io/client-go v0.35.4\n)\n";
        assertThat(CoreDnsRecipe.wrapperGoMod(coreDnsGoMod, "1.14.6")).isEqualTo(
                "module polykube.local/coredns-build\n\ngo 1.25.0\n\nrequire github.com/coredns/coredns v1.14.6\n");
        assertThatThrownBy(() -> CoreDnsRecipe.wrapperGoMod("module example.com/x\n", "1.14.6"))
                .isInstanceOf(BinaryException.class).hasMessageContaining("expected the go.mod of github.com/coredns/coredns");
        assertThatThrownBy(() -> GoModuleBuilder.builder().build().build(ClusterBinarySet.COREDNS, "v1.14.1", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class).hasMessageContaining("invalid CoreDNS version 'v1.14.1'");
    }

    @Test
    void etcd35WrapperPinsClientV2AtItsOwnVersion() throws IOException {
        String wrapper = EtcdRecipe.wrapperGoMod(List.of(resource("etcd-server-v3.5.33.go.mod"),
                resource("etcd-etcdctl-v3.5.33.go.mod"), resource("etcd-etcdutl-v3.5.33.go.mod")), "3.5.33");
        assertThat(wrapper).isEqualTo("module polykube.local/etcd-build\n\n"
                + "go 1.25.0\n\n"
                + "require (\n"
                + "\tgo.etcd.io/etcd/server/v3 v3.5.33\n"
                + "\tgo.etcd.io/etcd/etcdctl/v3 v3.5.33\n"
                + "\tgo.etcd.io/etcd/etcdutl/v3 v3.5.33\n"
                + ")\n\n"
                + "replace go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/client/pkg/v3 => go.etcd.io/etcd/client/pkg/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/client/v2 => go.etcd.io/etcd/client/v2 v2.305.33\n"
                + "replace go.etcd.io/etcd/client/v3 => go.etcd.io/etcd/client/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/etcdctl/v3 => go.etcd.io/etcd/etcdctl/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/etcdutl/v3 => go.etcd.io/etcd/etcdutl/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/raft/v3 => go.etcd.io/etcd/raft/v3 v3.5.33\n"
                + "replace go.etcd.io/etcd/server/v3 => go.etcd.io/etcd/server/v3 v3.5.33\n");
    }

    @Test
    void etcdWrapperRefusesModulesThatDisagree() {
        String server = "module go.etcd.io/etcd/server/v3\n\ngo 1.24\n\nrequire go.etcd.io/etcd/api/v3 v3.6.16\n";
        String ctl = "module go.etcd.io/etcd/etcdctl/v3\n\ngo 1.24\n\nrequire go.etcd.io/etcd/api/v3 v3.6.15\n";
        assertThatThrownBy(() -> EtcdRecipe.wrapperGoMod(List.of(server, ctl), "3.6.16"))
                .isInstanceOf(BinaryException.class).hasMessageContaining("disagree on go.etcd.io/etcd/api/v3");
    }

    @Test
    void theNotServedHintAsksOneVersionAtATime() {
        String hint = GoWorkspace.notServedHint(List.of("k8s.io/kubernetes@v1.36.9"));
        assertThat(hint).contains("`go list -m -json k8s.io/kubernetes@v1.36.9`", "403 Forbidden",
                "do not go by `go list -m -versions`", "1.33, 1.34, 1.35, 1.36, 1.37");
    }

    @Test
    void nodeRuntimeBuildFlags() {
        assertThat(ContainerdRecipe.ldflags("2.4.2")).isEqualTo("-s -w"
                + " -X github.com/containerd/containerd/v2/version.Version=2.4.2"
                + " -X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd/v2");
        assertThat(ContainerdRecipe.TAGS).contains("urfave_cli_no_docs").doesNotContain("no_cri");
        assertThat(RuncRecipe.tags(true)).containsExactly("seccomp", "urfave_cli_no_docs");
        assertThat(RuncRecipe.tags(false)).containsExactly("urfave_cli_no_docs");
        assertThat(CniPluginsRecipe.PACKAGES).extracting(GoWorkspace::defaultExecutableName)
                .containsExactlyElementsOf(ClusterBinarySet.CNI_PLUGINS.binaries().stream().map(Binary::fileName).toList());
        assertThatThrownBy(() -> GoModuleBuilder.builder().build().build(ClusterBinarySet.CONTAINERD, "1.7.0", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class).hasMessageContaining("unsupported containerd version '1.7.0'");
    }

    @Test
    void runcNeedsACCompiler(@TempDir Path empty) {
        GoModuleBuilder builder = GoModuleBuilder.builder().environment(Map.of("CC", "no-such-cc")).searchPath(empty.toString())
                .logDir(empty.resolve("logs")).workDir(empty).build();
        assertThatThrownBy(() -> builder.build(ClusterBinarySet.RUNC, "1.5.3", empty.resolve("out")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("runc is built with cgo and needs a C compiler, but there is no no-such-cc on PATH")
                .hasMessageContaining("libseccomp-dev");
        assertThat(RuncRecipe.libseccompAvailable(builder.command())).as("no pkg-config on this PATH").isFalse();
    }

    @Test
    void etcdWrapperPinsEveryEtcdModuleToTheRelease() throws IOException {
        String wrapper = EtcdRecipe.wrapperGoMod(List.of(resource("etcd-server-v3.6.16.go.mod"),
                resource("etcd-etcdctl-v3.6.16.go.mod"), resource("etcd-etcdutl-v3.6.16.go.mod")), "3.6.16");
        assertThat(wrapper).isEqualTo("module polykube.local/etcd-build\n\n"
                + "go 1.26.0\n\n"
                + "require (\n"
                + "\tgo.etcd.io/etcd/server/v3 v3.6.16\n"
                + "\tgo.etcd.io/etcd/etcdctl/v3 v3.6.16\n"
                + "\tgo.etcd.io/etcd/etcdutl/v3 v3.6.16\n"
                + ")\n\n"
                + "replace go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/client/pkg/v3 => go.etcd.io/etcd/client/pkg/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/client/v3 => go.etcd.io/etcd/client/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/etcdctl/v3 => go.etcd.io/etcd/etcdctl/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/etcdutl/v3 => go.etcd.io/etcd/etcdutl/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 v3.6.16\n"
                + "replace go.etcd.io/etcd/server/v3 => go.etcd.io/etcd/server/v3 v3.6.16\n");
    }

    @Test
    void parsesGoModDirectives() throws IOException {
        GoMod mod = GoMod.parse(resource("kubernetes-sample.go.mod"));
        assertThat(mod.module()).isEqualTo("k8s.io/kubernetes");
        assertThat(mod.goVersion()).isEqualTo("1.24.0");
        assertThat(mod.godebug()).containsExactly("default=go1.24");
        assertThat(mod.requires()).contains(new GoMod.Requirement("k8s.io/component-base", "v0.0.0"),
                new GoMod.Requirement("github.com/kylelemons/godebug", "v1.1.0"));
        assertThat(GoMod.compareGoVersions("1.26.0", "1.24.0")).isPositive();
        assertThat(GoMod.compareGoVersions("go1.24", "1.24.0")).isZero();
        assertThat(GoMod.compareGoVersions("1.9", "1.10")).isNegative();
    }

    @Test
    void ldflagsStampTheVersionIntoBothPackages() {
        String flags = KubernetesModule.ldflags("1.34.4", Instant.parse("2026-11-24T00:15:20.123Z"));
        assertThat(flags).startsWith("-s -w ");
        for (String pkg : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
            assertThat(flags).contains("-X " + pkg + ".gitVersion=v1.34.4", "-X " + pkg + ".gitMajor=1",
                    "-X " + pkg + ".gitMinor=34", "-X " + pkg + ".gitTreeState=clean",
                    "-X " + pkg + ".buildDate=2026-11-24T00:15:20Z");
        }
    }

    @Test
    void executableNamesFollowGo() {
        assertThat(GoWorkspace.defaultExecutableName("go.etcd.io/etcd/server/v3")).isEqualTo("server");
        assertThat(GoWorkspace.defaultExecutableName("go.etcd.io/etcd/etcdctl/v3")).isEqualTo("etcdctl");
        assertThat(GoWorkspace.defaultExecutableName("k8s.io/kubernetes/cmd/kubelet")).isEqualTo("kubelet");
    }

    @Test
    void missingGoIsAClearError(@TempDir Path empty) {
        GoModuleBuilder builder = GoModuleBuilder.builder().environment(Map.of()).searchPath(empty.toString())
                .logDir(empty.resolve("logs")).workDir(empty).build();
        assertThatThrownBy(() -> builder.build(ClusterBinarySet.PAUSE, ClusterBinarySet.PAUSE_VERSION, empty.resolve("out")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("Go is not installed: no `go` executable on PATH (" + empty + ")")
                .hasMessageContaining("https://go.dev/dl/")
                .hasMessageContaining("or use another source");
    }
}
