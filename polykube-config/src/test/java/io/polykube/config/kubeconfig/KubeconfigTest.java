package io.polykube.config.kubeconfig;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeconfigTest {
    static final URI SERVER = URI.create("https://127.0.0.1:6443");
    static final String CA = Golden.fakePem("CERTIFICATE", "Q0EgY2VydGlmaWNhdGU=");
    static final String CERT = Golden.fakePem("CERTIFICATE", "YWRtaW4gY2VydGlmaWNhdGU=");
    static final String KEY = Golden.fakePem("PRIVATE KEY", "YWRtaW4ga2V5");

    @TempDir
    Path tmp;

    static Kubeconfig withFiles() {
        return Kubeconfig.forClientCertificate("polykube", SERVER, Path.of("/srv/polykube/pki/ca.crt"), "admin",
                Path.of("/srv/polykube/pki/admin.crt"), Path.of("/srv/polykube/pki/admin.key"));
    }

    Kubeconfig embedded() throws Exception {
        Path ca = Files.writeString(tmp.resolve("ca.crt"), CA);
        Path cert = Files.writeString(tmp.resolve("admin.crt"), CERT);
        Path key = Files.writeString(tmp.resolve("admin.key"), KEY);
        return Kubeconfig.builder()
                .cluster("polykube", c -> c.server(SERVER).embedCertificateAuthority(ca).tlsServerName("kubernetes"))
                .user("admin", u -> u.embedClientCertificate(cert, key))
                .user("robot", u -> u.token("abc.def"))
                .context("admin@polykube", c -> c.cluster("polykube").user("admin").namespace("kube-system"))
                .context("robot@polykube", "polykube", "robot")
                .currentContext("admin@polykube")
                .build();
    }

    @Test
    void rendersFileReferencesLikeTheGoldenFile() {
        Golden.assertMatches("kubeconfig-files.yaml", withFiles().render());
        assertThat(withFiles().render()).doesNotContain("insecure");
    }

    @Test
    void rendersEmbeddedDataAndTokensLikeTheGoldenFile() throws Exception {
        Golden.assertMatches("kubeconfig-embedded.yaml", embedded().render());
    }

    @Test
    void writesWithMode0600AndReadsBackEqual() throws Exception {
        for (Kubeconfig k : new Kubeconfig[] {withFiles(), embedded()}) {
            Path file = k.writeTo(tmp.resolve("out/config"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Kubeconfig.read(file)).isEqualTo(k);
        }
        assertThat(tmp.resolve("out")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void fabric8ReadsTheSameValues() throws Exception {
        Config files = KubeConfigUtils.parseConfigFromString(withFiles().render());
        assertThat(files.getCurrentContext()).isEqualTo("admin@polykube");
        NamedCluster cluster = files.getClusters().get(0);
        assertThat(cluster.getName()).isEqualTo("polykube");
        assertThat(cluster.getCluster().getServer()).isEqualTo(SERVER.toString());
        assertThat(cluster.getCluster().getCertificateAuthority()).isEqualTo("/srv/polykube/pki/ca.crt");
        assertThat(cluster.getCluster().getInsecureSkipTlsVerify()).isNull();
        NamedAuthInfo user = files.getUsers().get(0);
        assertThat(user.getUser().getClientCertificate()).isEqualTo("/srv/polykube/pki/admin.crt");
        assertThat(user.getUser().getClientKey()).isEqualTo("/srv/polykube/pki/admin.key");
        assertThat(files.getContexts().get(0).getContext().getCluster()).isEqualTo("polykube");
        assertThat(files.getContexts().get(0).getContext().getUser()).isEqualTo("admin");

        String yaml = embedded().render();
        Config parsed = KubeConfigUtils.parseConfigFromString(yaml);
        assertThat(decode(parsed.getClusters().get(0).getCluster().getCertificateAuthorityData())).isEqualTo(CA);
        assertThat(parsed.getClusters().get(0).getCluster().getTlsServerName()).isEqualTo("kubernetes");
        assertThat(decode(parsed.getUsers().get(0).getUser().getClientCertificateData())).isEqualTo(CERT);
        assertThat(decode(parsed.getUsers().get(0).getUser().getClientKeyData())).isEqualTo(KEY);
        assertThat(parsed.getUsers().get(1).getUser().getToken()).isEqualTo("abc.def");

        io.fabric8.kubernetes.client.Config client = io.fabric8.kubernetes.client.Config.fromKubeconfig(yaml);
        assertThat(client.getMasterUrl()).startsWith("https://127.0.0.1:6443");
        assertThat(client.getNamespace()).isEqualTo("kube-system");
        assertThat(decode(client.getCaCertData())).isEqualTo(CA);
        assertThat(decode(client.getClientCertData())).isEqualTo(CERT);
        assertThat(client.isTrustCerts()).isFalse();
    }

    @Test
    void insecureSkipTlsVerifyOnlyWhenAskedAndNeverWithACa() {
        Kubeconfig insecure = Kubeconfig.builder()
                .cluster("c", c -> c.server(SERVER).insecureSkipTlsVerify())
                .user("u", u -> u.token("t"))
                .context("x", "c", "u").build();
        assertThat(insecure.render()).contains("insecure-skip-tls-verify: true");
        assertThat(insecure.currentContext()).contains("x");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .cluster("c", c -> c.server(SERVER).certificateAuthority(Path.of("/ca.crt")).insecureSkipTlsVerify())
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("clusters[c].insecure-skip-tls-verify: ");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> Kubeconfig.forClientCertificate("c", SERVER, Path.of("pki/ca.crt"), "u",
                Path.of("/a.crt"), Path.of("/a.key")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("clusters[c].certificate-authority: must be an absolute path");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .cluster("c", c -> c.server(SERVER).embedCertificateAuthority(tmp.resolve("missing.crt"))).build())
                .hasMessageStartingWith("clusters[c].certificate-authority: cannot embed")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .user("u", u -> u.embedClientCertificate(tmp.resolve("nope.crt"), tmp.resolve("nope.key"))).build())
                .hasMessageStartingWith("users[u].client-certificate: cannot embed");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .cluster("c", c -> c.server(URI.create("localhost:6443"))).build())
                .hasMessageStartingWith("clusters[c].server: ");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .cluster("c", c -> c.server(SERVER)).user("u", u -> u.token("t"))
                .context("x", "c", "nobody").build())
                .hasMessageStartingWith("contexts[x].user: no user named 'nobody'");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .user("u", u -> u.clientCertificate(Path.of("/a.crt"), null)).build())
                .hasMessageStartingWith("users[u].client-key: ");
        assertThatThrownBy(() -> Kubeconfig.builder()
                .cluster("c", c -> c.server(SERVER)).cluster("c", c -> c.server(SERVER)).build())
                .hasMessageStartingWith("clusters[c]: the name is used twice");
        assertThatThrownBy(() -> Kubeconfig.builder().currentContext("x").build())
                .hasMessageStartingWith("current-context: ");
    }

    @Test
    void mergeKeepsOtherEntriesAndOnlySwitchesWhenAsked() throws Exception {
        Path existing = tmp.resolve("kube/config");
        Files.createDirectories(existing.getParent());
        Files.writeString(existing, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster:
                    server: https://prod.example:443
                    certificate-authority-data: Zm9v
                - name: polykube
                  cluster:
                    server: https://old:1
                contexts:
                - name: prod
                  context: {cluster: prod, user: me}
                current-context: prod
                preferences: {colors: true}
                users:
                - name: me
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: get-token
                """);
        withFiles().mergeInto(existing, Kubeconfig.CurrentContext.KEEP);
        Config merged = KubeConfigUtils.parseConfig(existing.toFile());
        assertThat(merged.getCurrentContext()).isEqualTo("prod");
        assertThat(merged.getClusters()).extracting(NamedCluster::getName).containsExactly("prod", "polykube");
        assertThat(merged.getClusters().get(1).getCluster().getServer()).isEqualTo(SERVER.toString());
        assertThat(merged.getClusters().get(0).getCluster().getCertificateAuthorityData()).isEqualTo("Zm9v");
        assertThat(merged.getUsers()).extracting(NamedAuthInfo::getName).containsExactly("me", "admin");
        assertThat(merged.getUsers().get(0).getUser().getExec().getCommand()).isEqualTo("get-token");
        assertThat(merged.getContexts()).hasSize(2);
        assertThat(Files.readString(existing)).contains("colors: true");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");

        withFiles().mergeInto(existing, Kubeconfig.CurrentContext.SWITCH);
        assertThat(KubeConfigUtils.parseConfig(existing.toFile()).getCurrentContext()).isEqualTo("admin@polykube");
        assertThat(KubeConfigUtils.parseConfig(existing.toFile()).getClusters()).hasSize(2);

        Path fresh = tmp.resolve("new/config");
        withFiles().mergeInto(fresh, Kubeconfig.CurrentContext.KEEP);
        assertThat(Kubeconfig.read(fresh)).isEqualTo(withFiles());
    }

    @Test
    void relativePathsInAReadFileResolveAgainstItsDirectory() throws Exception {
        Path file = Files.writeString(tmp.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                """);
        Kubeconfig k = Kubeconfig.read(file);
        assertThat(k.cluster("c").orElseThrow().certificateAuthority())
                .contains(PemSource.file(tmp.resolve("pki/ca.crt")));
        assertThat(k.currentContext()).contains("x");
    }

    @Test
    void toStringNeverShowsKeysOrTokens() throws Exception {
        assertThat(embedded().toString()).doesNotContain("YWRtaW4ga2V5").doesNotContain("abc.def");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
