package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.polykube.api.Cluster;
import io.polykube.api.LogBundle;
import io.polykube.api.Mode;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import io.polykube.api.node.Images;
import io.polykube.api.node.NetworkGuard;
import io.polykube.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample to copy: deploy a workload from a locally built image (no registry) on a FULL cluster and call its Service
 * from the test. FULL needs root and runs one cluster per host, so this class takes its own cluster and frees the host
 * when it ends.
 */
@WithPolykube(mode = Mode.FULL, freshCluster = true, namespacePerTest = true)
class LocalImageServiceIT {
    static final String IMAGE = "polykube.local/blue:1";

    @Polykube
    Cluster cluster;
    @Polykube
    TestNamespace namespace;

    @Test
    void aWorkloadFromALocalImageAnswersThroughItsService(@TempDir Path tmp) throws Exception {
        cluster.images().load(webImage(tmp.resolve("web.tar"))); // busybox httpd answering its pod name

        Map<String, String> labels = Map.of("app", "web");
        namespace.client().apps().deployments().resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(IMAGE).withImagePullPolicy("Never")
                .addNewPort().withContainerPort(80).endPort().endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        var service = namespace.client().services().resource(new ServiceBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec()
                .build()).create();
        namespace.client().apps().deployments().withName("web").waitUntilReady(2, java.util.concurrent.TimeUnit.MINUTES);

        // Before contacting a cluster address: the guard must be in place, so nothing can leave the machine.
        NetworkGuard.of(cluster.spec()).requireInstalled();
        String clusterIp = service.getSpec().getClusterIP();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = Await.untilPresent("the Service " + clusterIp + " to answer", Duration.ofSeconds(60), () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + clusterIp + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
            } catch (java.io.IOException e) {
                return Optional.empty(); // kube-proxy may not have written its rules yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while asking the Service " + clusterIp, e);
            }
        });
        assertThat(body.strip()).startsWith("web-");

        // The bundle a CI job keeps when something fails (./polykube export-logs): node logs, the pod's log, events.
        List<String> entries = new java.util.ArrayList<>();
        String events = null;
        try (var in = Files.newInputStream(LogBundle.of(cluster).writeInto(tmp));
                var tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.add(e.getName().substring(e.getName().indexOf('/') + 1));
                if (e.getName().endsWith("/cluster/events.txt")) {
                    events = new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(entries).contains("logs/kubelet.log", "logs/containerd.log", "logs/kube-proxy.log", "cluster/pods.txt")
                .anyMatch(e -> e.startsWith("cluster/pods/" + namespace.name() + "/web-") && e.endsWith("/web.log"))
                .noneMatch(e -> e.endsWith(".key") || e.contains("kubeconfig"));
        assertThat(events).contains("Scheduled").contains(namespace.name());
    }

    /** The web image: busybox-static's httpd serving {@code /www/index.html}, which holds the pod's host name. */
    static Path webImage(Path tarball) {
        String start = String.join("\n",
                "#!/bin/sh",
                "B=/bin/busybox",
                "$B mkdir -p /www",
                "$B hostname > /www/index.html",
                "echo \"blue: serving $($B hostname) on :80\"",
                "exec $B httpd -f -vv -p 80 -h /www 2>&1",
                "");
        return Images.fromFiles(IMAGE)
                .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                .symlink("/bin/sh", "busybox")
                .content("/start.sh", start, 0755)
                .entrypoint("/bin/sh", "/start.sh")
                .writeTo(tarball);
    }
}
