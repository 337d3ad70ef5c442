package io.polykube.api.internal.node;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.Await;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the nodes of a {@code FULL} cluster run pods that reach the API server: the {@code kubernetes} Service
 * points at this run's API server, the first node is Ready, and every worker is Ready with its serving certificate. Only a
 * Ready condition this run's kubelets reported counts.
 */
final class NodeReadiness {
    /** The node's log lines, under the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(FullNode.class);

    private final ComponentContext ctx;
    private final String clusterName;
    private final List<WorkerNode> workers;
    private final NodeJoin join;
    private volatile Instant preparedAt;

    NodeReadiness(ComponentContext ctx, List<WorkerNode> workers, NodeJoin join) {
        this.ctx = ctx;
        this.clusterName = ctx.spec().name();
        this.workers = workers;
        this.join = join;
    }

    /** Notes that this run prepares the node now: older heartbeats are the last run's. */
    void preparing() {
        preparedAt = Instant.now();
    }

    /**
     * After a crash the API server may get another port. Its lease reconciler keeps an endpoint's port once the address is
     * listed, so the {@code kubernetes} Service would still point pods at the old port: the stale objects are removed and the
     * API server writes them anew (within its 10 s reconcile interval).
     */
    void resetStaleApiServerEndpoint(KubernetesClient client) {
        int port = ctx.port(PortName.API_SERVER);
        try {
            Endpoints endpoints = client.endpoints().inNamespace("default").withName("kubernetes").get();
            if (endpoints == null || endpoints.getSubsets().stream().flatMap(s -> s.getPorts().stream())
                    .allMatch(p -> p.getPort() != null && p.getPort() == port)) {
                return;
            }
            LOG.warn("Cluster '{}': the kubernetes Service still points at an earlier run's API server port; resetting it to {}",
                    clusterName, port);
            client.endpoints().inNamespace("default").withName("kubernetes").delete();
            client.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").delete();
        } catch (KubernetesClientException e) {
            throw new PolykubeException("cluster '" + clusterName + "': cannot check the endpoint of the kubernetes Service: "
                    + e.getMessage(), e);
        }
    }

    /** Waits until the first node is Ready by a heartbeat of this run, then reports pods whose image is missing. */
    void awaitFirstNode(KubernetesClient client, long deadlineNanos) {
        String name = ctx.spec().node().name();
        Await.until("node " + name + " to be Ready", deadlineNanos, Duration.ofMillis(100), () -> {
            Node node = client.nodes().withName(name).get();
            if (node == null) {
                return "not registered yet";
            }
            Optional<NodeCondition> ready = node.getStatus() == null ? Optional.empty()
                    : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
            if (ready.isPresent() && "True".equals(ready.get().getStatus()) && reportedByThisRun(ready.get())) {
                return null;
            }
            return ready.map(c -> c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")").orElse("no Ready condition");
        }, () -> { }, last -> new PolykubeException("cluster '" + clusterName + "': node " + name + " did not become Ready (last: "
                + last + "). Logs: " + ctx.layout().log(Component.KUBELET) + ", " + ctx.layout().log(Component.CONTAINERD)));
        LOG.info("Cluster '{}': node {} is Ready", clusterName, name);
        MissingImageEvents.start(client, clusterName, name);
    }

    /** Waits until every worker is Ready and has its serving certificate (approving the requests of the workers we started). */
    void awaitWorkers(KubernetesClient client, long deadlineNanos) {
        if (workers.isEmpty()) {
            return;
        }
        Map<String, InetAddress> addresses = new LinkedHashMap<>();
        workers.forEach(w -> addresses.put(w.name(), w.nodeIp()));
        Await.until("the workers " + addresses.keySet() + " to be Ready with serving certificates", deadlineNanos,
                Duration.ofMillis(100), () -> {
                    join.approveServingCertificates(client, addresses);
                    List<String> waiting = new ArrayList<>();
                    for (WorkerNode w : workers) {
                        Node node = client.nodes().withName(w.name()).get();
                        if (!isReadyNow(node)) {
                            waiting.add(w.name() + " not Ready");
                        } else if (!w.hasServingCertificate()) {
                            waiting.add(w.name() + " without a serving certificate");
                        }
                    }
                    return waiting.isEmpty() ? null : String.join(", ", waiting);
                }, () -> { }, last -> new PolykubeException("cluster '" + clusterName + "': workers not ready (" + last + "). Logs: "
                        + ctx.layout().log(WorkerNode.processName(Component.KUBELET, "<worker>"))));
        LOG.info("Cluster '{}': workers {} are Ready", clusterName, addresses.keySet());
    }

    private boolean isReadyNow(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                        && reportedByThisRun(c));
    }

    /**
     * On a reused directory the Node keeps the last run's Ready condition until this run's kubelet reports: only a
     * heartbeat since this run prepared the node counts (the API stores whole seconds).
     */
    private boolean reportedByThisRun(NodeCondition ready) {
        if (preparedAt == null || ready.getLastHeartbeatTime() == null) {
            return true;
        }
        try {
            return !Instant.parse(ready.getLastHeartbeatTime()).isBefore(preparedAt.truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
