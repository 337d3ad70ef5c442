package io.polykube.api.internal.node;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the node's pods and, when a container waits for an image that cannot be pulled (there is no registry), records a
 * Warning event {@value #REASON} on the pod saying how to load the image. One event per pod and image.
 */
final class MissingImageEvents implements Watcher<Pod> {
    static final String REASON = "PolykubeImageNotLoaded";
    private static final Logger LOG = LoggerFactory.getLogger(MissingImageEvents.class);
    private static final Set<String> PULL_FAILURES = Set.of("ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff");

    private final KubernetesClient client;
    private final String clusterName;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private MissingImageEvents(KubernetesClient client, String clusterName) {
        this.client = client;
        this.clusterName = clusterName;
    }

    /** Starts watching the pods bound to {@code nodeName}; the watch ends when the client is closed. */
    static Watch start(KubernetesClient client, String clusterName, String nodeName) {
        return client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).watch(new MissingImageEvents(client, clusterName));
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        if (action == Action.DELETED || pod.getStatus() == null) {
            return;
        }
        List<ContainerStatus> statuses = Stream.concat(
                pod.getStatus().getInitContainerStatuses() == null ? Stream.empty() : pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses() == null ? Stream.empty() : pod.getStatus().getContainerStatuses().stream())
                .toList();
        for (ContainerStatus status : statuses) {
            var waiting = status.getState() == null ? null : status.getState().getWaiting();
            if (waiting == null || !PULL_FAILURES.contains(waiting.getReason())) {
                continue;
            }
            String key = pod.getMetadata().getUid() + "/" + status.getImage();
            if (reported.add(key)) {
                record(pod, status.getImage());
            }
        }
    }

    private void record(Pod pod, String image) {
        String message = "image " + image + " is not loaded in polykube cluster '" + clusterName + "' and cannot be pulled "
                + "(no registry): load it with cluster.images().load(Path.of(\"image.tar\")) or ./polykube load image.tar "
                + "(an OCI or docker-save tarball), and use imagePullPolicy IfNotPresent or Never";
        try {
            String now = Instant.now().toString();
            client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(pod.getMetadata().getName() + ".polykube-").endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withKind("Pod").withApiVersion("v1")
                            .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                            .withUid(pod.getMetadata().getUid()).build())
                    .withType("Warning").withReason(REASON).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("polykube").endSource()
                    .build()).create();
            LOG.warn("Cluster '{}': pod {}/{}: {}", clusterName, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    message);
        } catch (KubernetesClientException e) {
            LOG.debug("could not record the missing-image event: {}", e.getMessage());
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        // the cluster stops (client closed) or the API went away; nothing to do
    }

}
