package io.polykube.config.kubeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.polykube.config.Golden;
import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built kubectl ({@code kubectl config view}) accepts every kind of kubeconfig we render. */
class KubectlAcceptsKubeconfigIT {
    static final URI SERVER = URI.create("https://127.0.0.1:6443");

    @Test
    void kubectlAcceptsEveryKubeconfig() throws Exception {
        Path dir = ItSupport.workDir("kubectl-kubeconfig");
        String ca = Golden.fakePem("CERTIFICATE", "Q0E=");
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca);
        Path certFile = Files.writeString(dir.resolve("admin.crt"), Golden.fakePem("CERTIFICATE", "Y2VydA=="));
        Path keyFile = Files.writeString(dir.resolve("admin.key"), Golden.fakePem("PRIVATE KEY", "a2V5"));

        Kubeconfig files = Kubeconfig.forClientCertificate("polykube", SERVER, caFile, "admin", certFile, keyFile);
        Kubeconfig embedded = Kubeconfig.builder()
                .cluster("polykube", c -> c.server(SERVER).embedCertificateAuthority(caFile))
                .user("admin", u -> u.embedClientCertificate(certFile, keyFile))
                .user("robot", u -> u.token("abc.def"))
                .context("admin@polykube", c -> c.cluster("polykube").user("admin").namespace("kube-system"))
                .context("robot@polykube", "polykube", "robot")
                .currentContext("robot@polykube")
                .build();
        Kubeconfig insecure = Kubeconfig.builder()
                .cluster("throwaway", c -> c.server(SERVER).insecureSkipTlsVerify())
                .user("robot", u -> u.token("t"))
                .context("x", "throwaway", "robot").build();

        for (Kubeconfig k : List.of(files, embedded, insecure)) {
            Path file = k.writeTo(dir.resolve("config-" + k.clusters().get(0).name() + "-" + k.users().size()));
            JsonNode view = view(file);
            assertThat(view.get("current-context").asText()).isEqualTo(k.currentContext().orElseThrow());
            for (Kubeconfig.Cluster c : k.clusters()) {
                JsonNode cluster = named(view.get("clusters"), c.name()).get("cluster");
                assertThat(cluster.get("server").asText()).isEqualTo(c.server().toString());
                assertThat(cluster.path("insecure-skip-tls-verify").asBoolean(false)).isEqualTo(c.insecureSkipTlsVerify());
                c.certificateAuthority().ifPresent(source -> {
                    if (source instanceof PemSource.File f) {
                        assertThat(cluster.get("certificate-authority").asText()).isEqualTo(f.path().toString());
                    } else {
                        assertThat(decode(cluster.get("certificate-authority-data").asText())).isEqualTo(ca);
                    }
                });
            }
            for (Kubeconfig.User u : k.users()) {
                JsonNode user = named(view.get("users"), u.name()).get("user");
                u.token().ifPresent(t -> assertThat(user.get("token").asText()).isEqualTo(t));
                u.clientKey().ifPresent(key -> assertThat(user.has("client-key") || user.has("client-key-data")).isTrue());
            }
            for (Kubeconfig.Context c : k.contexts()) {
                JsonNode context = named(view.get("contexts"), c.name()).get("context");
                assertThat(context.get("cluster").asText()).isEqualTo(c.cluster());
                assertThat(context.get("user").asText()).isEqualTo(c.user());
                assertThat(context.path("namespace").asText("")).isEqualTo(c.namespace().orElse(""));
            }
        }

        // A merged file: kubectl sees both the old entries and ours.
        Path merged = insecure.writeTo(dir.resolve("merged"));
        files.mergeInto(merged, Kubeconfig.CurrentContext.KEEP);
        JsonNode view = view(merged);
        assertThat(view.get("clusters")).hasSize(2);
        assertThat(view.get("current-context").asText()).isEqualTo("x");
    }

    private static JsonNode view(Path file) throws Exception {
        ItSupport.Result r = ItSupport.run(List.of(ItSupport.kubernetesBinary("kubectl").toString(),
                "config", "view", "--raw", "--kubeconfig", file.toString(), "-o", "json"));
        assertThat(r.exitCode()).as("kubectl config view %s:\n%s", file, r.output()).isZero();
        return new JsonMapper().readTree(r.output());
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode entry : list) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
