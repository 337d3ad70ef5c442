package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.polykube.api.Cluster;
import io.polykube.api.images.ImageBuilder;
import io.polykube.api.images.Images;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Workloads inside a FULL cluster (one cluster for the class): a pod reaches the API server through the {@code kubernetes}
 * Service with its service account, and RBAC decides what it may do; pods resolve Services by name through the cluster
 * DNS, and a lookup of a name outside the cluster fails at once without a packet leaving the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class InClusterIT {
    static final String TOOLS_IMAGE = "polykube.local/tools:1";
    private static final String NS = "incluster";

    private Path dir;
    private Cluster cluster;
    private KubernetesClient client;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkincluster");
        HostState.assertClean("incluster", dir, "before the test");
        cluster = HostTurn.start(ClusterSpec.builder().name("incluster").directory(dir).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build());
        client = cluster.client();
        cluster.images().load(toolsImage(dir));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String account : List.of("reader", "nobody")) {
            client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                    .endMetadata().build()).create();
        }
        client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("pod-reader").endMetadata()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list").endRule().build()).create();
        client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("reader")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("pod-reader")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(NS).endSubject().build())
                .create();
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        HostState.assertClean("incluster", dir, "after close");
        HostState.deleteDirectory(dir);
    }

    /**
     * busybox and the project's own kubectl: enough for a pod to use the API with in-cluster config. busybox's nslookup
     * applies the search path to names without a dot only; its wget resolves like any workload (search path, ndots) but
     * needs an explicit port and no -T (both crash it, a static glibc build).
     */
    static Path toolsImage(Path dir) {
        Path kubectl = Binaries.builder().versions(BinaryVersions.defaults()).build().resolve(ClusterBinary.KUBECTL).path();
        ImageBuilder image = Images.fromFiles(TOOLS_IMAGE).file(Path.of("/bin/busybox"), "/bin/busybox", 0755);
        for (String applet : List.of("sh", "cat", "nslookup", "wget", "httpd", "awk", "sort", "tr", "mkdir", "hostname", "time", "timeout")) {
            image.symlink("/bin/" + applet, "busybox");
        }
        return image
                .file(kubectl, "/bin/kubectl", 0755)
                .env("HOME", "/tmp")
                .entrypoint("/bin/busybox", "sh", "-c")
                .writeTo(dir.resolve("tools.tar"));
    }

    @Test
    void execAndFollowedLogsWorkThroughTheFaultProxy() throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("through-proxy").endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L).addNewContainer().withName("main").withImage(TOOLS_IMAGE)
                .withImagePullPolicy("Never").withArgs("i=0; while true; do i=$((i+1)); echo line-$i; sleep 0.2; done")
                .endContainer().endSpec().build()).create();
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).waitUntilReady(60, TimeUnit.SECONDS);
        try (KubernetesClient proxied = cluster.faults().client("exec-user", "system:masters")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // exec is a connection upgrade (WebSocket): tunnelled by the proxy, apiserver -> kubelet behind it
            try (ExecWatch exec = proxied.pods().inNamespace(NS).withName("through-proxy").writingOutput(out)
                    .exec("/bin/busybox", "echo", "through the proxy")) {
                assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isZero();
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("through the proxy");
            // logs -f streams through the proxy as the container writes
            try (LogWatch logs = proxied.pods().inNamespace(NS).withName("through-proxy").watchLog();
                    BufferedReader lines = new BufferedReader(new InputStreamReader(logs.getOutput(), StandardCharsets.UTF_8))) {
                int first = -1;
                int last = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (last - first < 5 && System.nanoTime() < deadline) {
                    String line = lines.readLine();
                    if (line != null && line.startsWith("line-")) {
                        last = Integer.parseInt(line.substring(5));
                        first = first < 0 ? last : first;
                    }
                }
                assertThat(last - first).as("lines followed live through the proxy").isGreaterThanOrEqualTo(5);
            }
        } finally {
            client.pods().inNamespace(NS).withName("through-proxy").withGracePeriod(0).delete();
        }
    }

    @Test
    void theKubernetesServicePointsAtTheApiServerOnTheBridge() {
        InetAddress bridge = HostNetworkGuard.of(cluster.spec()).gateway();
        assertThat(cluster.apiServerUrl().getHost()).as("host clients use loopback (the guard forwards it)").isEqualTo("127.0.0.1");
        var endpoints = client.endpoints().inNamespace("default").withName("kubernetes").get();
        assertThat(endpoints.getSubsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).singleElement().satisfies(a -> assertThat(a.getIp()).isEqualTo(bridge.getHostAddress()));
            assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(cluster.apiServerUrl().getPort()));
        });
        assertThat(client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP())
                .isEqualTo(cluster.spec().apiServer().serviceCidr().addressAt(1).getHostAddress());
    }

    @Test
    void aPodUsesTheApiWithItsServiceAccountWithinWhatRbacGrants() {
        String script = "echo host=$KUBERNETES_SERVICE_HOST; kubectl get pods -o name; echo exit=$?";
        client.pods().inNamespace(NS).resource(toolsPod("as-reader", "reader", script)).create();
        client.pods().inNamespace(NS).resource(toolsPod("as-nobody", "nobody", script)).create();

        String allowed = logWhenDone("as-reader");
        assertThat(allowed).contains("host=" + cluster.spec().apiServer().serviceCidr().addressAt(1).getHostAddress())
                .contains("pod/as-reader").contains("pod/as-nobody").contains("exit=0");
        String denied = logWhenDone("as-nobody");
        assertThat(denied).contains("Forbidden").contains("system:serviceaccount:" + NS + ":nobody")
                .contains("cannot list resource \"pods\"").contains("exit=1");
    }

    @Test
    void podsResolveServicesByNameAndReachThem() {
        Map<String, String> labels = Map.of("app", "web");
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L).addNewContainer().withName("web").withImage(TOOLS_IMAGE)
                .withImagePullPolicy("Never")
                .withArgs("mkdir -p /tmp/www && echo \"web $(hostname)\" > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        Service web = client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec()
                .build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web-headless").endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(labels).addNewPort().withPort(80).endPort().endSpec().build())
                .create();
        client.apps().deployments().inNamespace(NS).withName("web").waitUntilReady(90, TimeUnit.SECONDS);
        Pod webPod = client.pods().inNamespace(NS).withLabels(labels).list().getItems().get(0);

        String address = "awk '/^Address: /{print $2}'";
        String script = String.join("\n",
                "fqdn=$(nslookup web." + NS + ".svc.cluster.local | " + address + ")",
                "echo fqdn=$fqdn",
                "echo short=$(nslookup web | " + address + ")",
                "echo headless=$(nslookup web-headless." + NS + ".svc.cluster.local | " + address + " | sort | tr '\\n' ' ')",
                // kube-proxy programs the new endpoint up to its sync period after the Deployment is ready: until then the
                // Service answers "connection refused" (seen once in a suite); try for 10 s at most
                "for i in $(seq 1 20); do body=$(timeout 5 wget -q -O- http://web:80/ 2>&1) && break; sleep 0.5; done",
                "echo body=$body",
                "S=/var/run/secrets/kubernetes.io/serviceaccount",
                "kubectl --server=https://kubernetes.default --certificate-authority=$S/ca.crt --token=\"$(cat $S/token)\" get pods "
                        + "-o name > /dev/null && echo kubernetes.default=reached",
                "time nslookup polykube-outside.example.com; echo outside=$?");
        client.pods().inNamespace(NS).resource(toolsPod("resolver", "reader", script)).create();

        String log = logWhenDone("resolver");
        String clusterIp = web.getSpec().getClusterIP();
        assertThat(value(log, "fqdn")).as(log).isEqualTo(clusterIp);
        assertThat(value(log, "short")).as(log).isEqualTo(clusterIp);
        assertThat(value(log, "headless").split(" ")).as(log).containsExactly(webPod.getStatus().getPodIP());
        assertThat(value(log, "body")).as(log).isEqualTo("web " + webPod.getMetadata().getName());
        assertThat(value(log, "kubernetes.default")).as(log).isEqualTo("reached");
        assertThat(log).contains("NXDOMAIN");
        assertThat(value(log, "outside")).as(log).isEqualTo("1");
        Matcher took = Pattern.compile("real\\s+(\\d+)m\\s*([\\d.]+)s").matcher(log);
        assertThat(took.find()).as("busybox time output in %s", log).isTrue();
        assertThat(Integer.parseInt(took.group(1)) * 60 + Double.parseDouble(took.group(2))).as("seconds to fail an outside lookup")
                .isLessThan(1.0);
    }

    @Test
    void outsideNamesFailAtOnceAndNothingLeavesTheMachine() {
        HostNetworkGuard guard = HostNetworkGuard.of(cluster.spec());
        guard.requireInstalled();
        InetAddress dns = cluster.spec().apiServer().serviceCidr().addressAt(10);
        String bridge = guard.bridge();
        // Counts what leaves through any interface but lo and the bridge: pods' packets (FORWARD) and the host's packets
        // from a pod-network address (OUTPUT). iptables allows one -o per rule, so a chain returns lo and the bridge first.
        List<List<String>> jumps = List.of(List.of("FORWARD"), List.of("OUTPUT", "-s", guard.clusterCidr().toString()));
        try {
            HostCommand.run("iptables", "-w", "5", "-N", COUNTER_CHAIN).orThrow("create " + COUNTER_CHAIN);
            iptables("-A", COUNTER_CHAIN, "-o", "lo", "-j", "RETURN");
            iptables("-A", COUNTER_CHAIN, "-o", bridge, "-j", "RETURN");
            iptables("-A", COUNTER_CHAIN, "-m", "comment", "--comment", COUNTER_COMMENT);
            for (List<String> jump : jumps) {
                List<String> args = new ArrayList<>(List.of("-I", jump.get(0), "1"));
                args.addAll(jump.subList(1, jump.size()));
                args.addAll(List.of("-j", COUNTER_CHAIN));
                iptables(args.toArray(String[]::new));
            }

            long rejectedBefore = guard.rejectedPackets();
            long t0 = System.nanoTime();
            DnsQuery.Answer host = DnsQuery.askA(dns, "polykube-outside.example.com", Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(host.rcode()).as("answer %s", host).isEqualTo(DnsQuery.NXDOMAIN);
            assertThat(DnsQuery.askA(dns, "kubernetes.default.svc.cluster.local", Duration.ofSeconds(2)))
                    .isEqualTo(new DnsQuery.Answer(DnsQuery.NOERROR, 1));

            String script = "for n in polykube-outside.example.com example.org cluster.local.example.net; do nslookup $n; done; "
                    + "echo done";
            client.pods().inNamespace(NS).resource(toolsPod("outside", "nobody", script)).create();
            assertThat(logWhenDone("outside")).contains("NXDOMAIN").contains("done");

            assertThat(offMachinePackets()).as("packets that left through an interface other than lo and " + bridge).isZero();
            assertThat(guard.rejectedPackets()).as("packets the guard had to stop").isEqualTo(rejectedBefore);
        } catch (IOException e) {
            throw new AssertionError("the cluster DNS did not answer from the host: " + e, e);
        } finally {
            for (List<String> jump : jumps) {
                List<String> args = new ArrayList<>(List.of("iptables", "-w", "5", "-D"));
                args.addAll(jump);
                args.addAll(List.of("-j", COUNTER_CHAIN));
                HostCommand.run(args);
            }
            HostCommand.run("iptables", "-w", "5", "-F", COUNTER_CHAIN);
            HostCommand.run("iptables", "-w", "5", "-X", COUNTER_CHAIN).orThrow("remove " + COUNTER_CHAIN);
        }
    }

    /** The rest of the log line {@code key=...}. */
    private static String value(String log, String key) {
        return log.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + key + "=... in the pod's log:\n" + log));
    }

    private static final String COUNTER_CHAIN = "PKTEST-OFF-MACHINE";
    private static final String COUNTER_COMMENT = "polykube InClusterIT: off the machine";

    private static void iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(args));
        HostCommand.run(command).orThrow("set up the test's counter chain");
    }

    private static long offMachinePackets() {
        for (String line : HostCommand.run("iptables", "-w", "5", "-L", COUNTER_CHAIN, "-v", "-x", "-n").output().split("\n")) {
            if (line.contains(COUNTER_COMMENT)) {
                return Long.parseLong(line.strip().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no counting rule in " + COUNTER_CHAIN);
    }

    static Pod toolsPod(String name, String serviceAccount, String script) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withRestartPolicy("Never").withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage(TOOLS_IMAGE).withImagePullPolicy("Never").withArgs(script).endContainer()
                .endSpec().build();
    }

    private String logWhenDone(String pod) {
        var resource = client.pods().inNamespace(NS).withName(pod);
        Pod done = resource.waitUntilCondition(p -> p != null && p.getStatus() != null
                && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()), 90, TimeUnit.SECONDS);
        assertThat(done.getStatus().getPhase()).as("pod %s", pod).isEqualTo("Succeeded");
        return resource.getLog();
    }
}
