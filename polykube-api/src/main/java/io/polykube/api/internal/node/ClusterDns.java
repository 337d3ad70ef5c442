package io.polykube.api.internal.node;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import io.polykube.api.internal.Await;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's DNS: polykube's CoreDNS build in a locally built image, run as Deployment {@code kube-system/coredns} behind
 * Service {@code kube-system/kube-dns} at the tenth address of the service CIDR. It answers for the cluster domain and the
 * reverse zones from the API; every other name gets NXDOMAIN at once. There is no forwarder (none is even compiled in), so
 * no query leaves the machine.
 */
final class ClusterDns {
    static final String NAMESPACE = "kube-system";
    static final String DEPLOYMENT = "coredns";
    static final String SERVICE = "kube-dns";
    private static final Map<String, String> LABELS = Map.of("k8s-app", "kube-dns");
    private static final String FIELD_MANAGER = "polykube";
    private static final Duration QUERY_TIMEOUT = Duration.ofMillis(300);
    private static final Duration POD_CHECK_EVERY = Duration.ofSeconds(1);
    /** Container states that do not mend by waiting. */
    private static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError");
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);

    private final String clusterName;
    private final Path coreDnsBinary;
    private final String coreDnsVersion;
    /** polykube.local/coredns:VERSION, made from the binary the cluster's Kubernetes version runs with. */
    private final String image;
    private final NodeDirectories node;
    private final String domain;
    private final InetAddress serviceIp;

    /**
     * @param domain    the cluster domain it answers for ({@code ClusterNetwork.clusterDomain()})
     * @param serviceIp the DNS Service's address ({@code ClusterNetwork.dnsAddress()}, 10.96.0.10 by default)
     */
    ClusterDns(String clusterName, ResolvedBinary coreDns, NodeDirectories node, String domain, InetAddress serviceIp) {
        this.clusterName = clusterName;
        this.coreDnsBinary = coreDns.path();
        this.coreDnsVersion = coreDns.version();
        this.image = "polykube.local/coredns:" + coreDnsVersion;
        this.node = node;
        this.domain = domain;
        this.serviceIp = serviceIp;
    }

    /** The Corefile: the cluster domain and reverse zones from the API, NXDOMAIN for everything else. */
    String corefile() {
        return domain + ":53 in-addr.arpa:53 ip6.arpa:53 {\n"
                + "    errors\n"
                + "    health :8080\n"
                + "    ready :8181\n"
                + "    kubernetes " + domain + " in-addr.arpa ip6.arpa {\n"
                + "        pods insecure\n"
                + "        ttl 30\n"
                + "    }\n"
                + "    cache 30\n"
                + "    loadbalance\n"
                + "}\n"
                + ".:53 {\n"
                + "    errors\n"
                + "    template ANY ANY {\n"
                + "        rcode NXDOMAIN\n"
                + "    }\n"
                + "}\n";
    }

    /** Loads the image (once per node) and applies the objects; a restarted cluster's objects are updated in place. */
    void deploy(Images images, KubernetesClient client) {
        long t0 = System.nanoTime();
        if (!images.contains(image)) {
            Path tar = node.image("coredns-" + coreDnsVersion + ".tar");
            if (!Files.isRegularFile(tar)) {
                Images.fromFiles(image).file(coreDnsBinary, "/coredns", 0755).entrypoint("/coredns").writeTo(tar);
            }
            images.load(tar);
        }
        for (HasMetadata object : objects()) {
            try {
                client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw new PolykubeException("cluster '" + clusterName + "': cannot create the DNS object " + object.getKind() + " "
                        + object.getMetadata().getName() + ": " + e.getMessage(), e);
            }
        }
        LOG.debug("Cluster '{}': DNS image and objects in place in {} ms", clusterName, (System.nanoTime() - t0) / 1_000_000);
    }

    List<HasMetadata> objects() {
        return List.of(
                new ServiceAccountBuilder().withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).endMetadata().build(),
                new ClusterRoleBuilder().withNewMetadata().withName("system:coredns").endMetadata()
                        .addNewRule().withApiGroups("").withResources("endpoints", "services", "pods", "namespaces")
                        .withVerbs("list", "watch").endRule()
                        .addNewRule().withApiGroups("discovery.k8s.io").withResources("endpointslices").withVerbs("list", "watch")
                        .endRule().build(),
                new ClusterRoleBindingBuilder().withNewMetadata().withName("system:coredns").endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("system:coredns")
                        .endRoleRef().addNewSubject().withKind("ServiceAccount").withName(DEPLOYMENT).withNamespace(NAMESPACE)
                        .endSubject().build(),
                new ConfigMapBuilder().withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).endMetadata()
                        .addToData("Corefile", corefile()).build(),
                new DeploymentBuilder().withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(LABELS).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(LABELS).endMetadata()
                        .withNewSpec().withServiceAccountName(DEPLOYMENT).withPriorityClassName("system-cluster-critical")
                        .withDnsPolicy("Default").withTerminationGracePeriodSeconds(5L)
                        .addNewContainer().withName("coredns").withImage(image).withImagePullPolicy("Never")
                        .withArgs("-conf", "/etc/coredns/Corefile")
                        .addNewPort().withName("dns").withContainerPort(53).withProtocol("UDP").endPort()
                        .addNewPort().withName("dns-tcp").withContainerPort(53).withProtocol("TCP").endPort()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(8181)).endHttpGet()
                        .withPeriodSeconds(1).endReadinessProbe()
                        .withNewLivenessProbe().withNewHttpGet().withPath("/health").withPort(new IntOrString(8080)).endHttpGet()
                        .withInitialDelaySeconds(10).withPeriodSeconds(10).withFailureThreshold(5).endLivenessProbe()
                        .withNewResources().addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("32Mi"))
                        .addToLimits("memory", new Quantity("170Mi")).endResources()
                        .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                        .withNewCapabilities().withAdd("NET_BIND_SERVICE").withDrop("ALL").endCapabilities().endSecurityContext()
                        .addNewVolumeMount().withName("config").withMountPath("/etc/coredns").withReadOnly(true).endVolumeMount()
                        .endContainer()
                        .addNewVolume().withName("config").withNewConfigMap().withName(DEPLOYMENT).endConfigMap().endVolume()
                        .endSpec().endTemplate().endSpec().build(),
                new ServiceBuilder().withNewMetadata().withName(SERVICE).withNamespace(NAMESPACE).withLabels(LABELS)
                        .addToLabels("kubernetes.io/name", "CoreDNS").endMetadata()
                        .withNewSpec().withClusterIP(serviceIp.getHostAddress()).withSelector(LABELS)
                        .addNewPort().withName("dns").withPort(53).withProtocol("UDP").withTargetPort(new IntOrString(53)).endPort()
                        .addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").withTargetPort(new IntOrString(53)).endPort()
                        .endSpec().build());
    }

    /**
     * Waits until the DNS Service answers {@code kubernetes.default.svc.<domain>} to a query from this host (kube-proxy
     * translates the service address; the guard must be in place). Fails at once if the DNS pod cannot run.
     */
    void awaitAnswering(HostNetworkGuard guard, KubernetesClient client, long deadlineNanos) {
        guard.requireInstalled();
        String name = "kubernetes.default.svc." + domain;
        long[] nextPodCheck = {System.nanoTime()};
        Await.until("the cluster DNS", deadlineNanos, Duration.ofMillis(100), () -> {
            try {
                DnsQuery.Answer answer = DnsQuery.askA(serviceIp, name, QUERY_TIMEOUT);
                return answer.rcode() == DnsQuery.NOERROR && answer.answers() > 0 ? null : answer.toString();
            } catch (IOException e) {
                return e.toString();
            }
        }, () -> {
            if (System.nanoTime() - nextPodCheck[0] >= 0) {
                failIfStuck(client);
                nextPodCheck[0] = System.nanoTime() + POD_CHECK_EVERY.toNanos();
            }
        }, last -> new PolykubeException("cluster '" + clusterName + "': the cluster DNS at " + serviceIp.getHostAddress()
                + " did not answer " + name + " in time (last: " + last + "; pod: " + podState(client) + "). Logs: "
                + "kubectl -n " + NAMESPACE + " logs deploy/" + DEPLOYMENT + ", and the cluster's logs/kubelet.log. Leave DNS "
                + "out with node(n -> n.dns(false)) if the cluster does not need it"));
    }

    private void failIfStuck(KubernetesClient client) {
        for (Pod pod : dnsPods(client)) {
            Optional<String> stuck = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Optional.empty()
                    : pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
                            .filter(s -> s != null && s.getWaiting() != null && STUCK.contains(s.getWaiting().getReason()))
                            .map(s -> s.getWaiting().getReason() + ": " + s.getWaiting().getMessage()).findFirst();
            if (stuck.isPresent()) {
                String log;
                try {
                    log = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).terminated().tailingLines(40)
                            .getLog();
                } catch (KubernetesClientException e) {
                    log = "(no log: " + e.getMessage() + ")";
                }
                throw new PolykubeException("cluster '" + clusterName + "': the DNS pod " + NAMESPACE + "/" + pod.getMetadata().getName()
                        + " cannot run (" + stuck.get() + "). Its last log lines:\n  " + String.join("\n  ", log.split("\n")));
            }
        }
    }

    private List<Pod> dnsPods(KubernetesClient client) {
        try {
            return client.pods().inNamespace(NAMESPACE).withLabels(LABELS).list().getItems();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    private String podState(KubernetesClient client) {
        List<Pod> pods = dnsPods(client);
        if (pods.isEmpty()) {
            return "none yet";
        }
        Pod pod = pods.get(0);
        if (pod.getStatus() == null) {
            return pod.getMetadata().getName() + " without status";
        }
        return pod.getMetadata().getName() + " " + pod.getStatus().getPhase() + pod.getStatus().getContainerStatuses().stream()
                .map(c -> ", ready " + c.getReady() + ", " + c.getRestartCount() + " restart(s)").findFirst().orElse("");
    }

    InetAddress serviceIp() {
        return serviceIp;
    }
}
