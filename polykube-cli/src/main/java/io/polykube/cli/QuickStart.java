package io.polykube.cli;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.polykube.api.Cluster;
import io.polykube.api.PolykubeException;
import io.polykube.api.node.Images;
import io.polykube.api.node.NetworkGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The seed's lab ("building a 1-node cluster") as a program, on a running {@code FULL} cluster: Deployment {@code blue}
 * from a locally built web image (it answers HTTP with its pod name) -> ReplicaSet and Pod Running on the Ready node; the
 * pod IP answers from the host; {@code exec} and {@code logs} work (apiserver -> kubelet over TLS); the Service on port 80
 * answers on its ClusterIP through kube-proxy; a pod finds {@code blue} by name through the cluster DNS and fetches it; scaled
 * to 3, requests to the ClusterIP reach all 3 pods.
 *
 * <p>Before any pod or service address is contacted, the cluster's network guard is checked, and every address is
 * checked to lie in the cluster's own pod or service network.
 */
public final class QuickStart {
    /** The web image: busybox httpd serving a page that holds the pod's name. */
    public static final String IMAGE = "polykube.local/blue:1";
    private static final String NAMESPACE = "default";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_REQUESTS = 100;

    /** One step of the lab: what was done, how long it took, what came back. */
    public record Step(String name, Duration took, String result) {
    }

    /**
     * What the lab did.
     *
     * @param podsReached the pod names that answered on the ClusterIP after scaling to 3
     * @param requests    how many requests it took to reach them
     */
    public record QuickStartReport(List<Step> steps, String podIp, String clusterIp, Set<String> podsReached, int requests,
            Duration total) {
        public QuickStartReport {
            steps = List.copyOf(steps);
            podsReached = Set.copyOf(podsReached);
        }

        /** How long a step took, by name. */
        public Duration took(String step) {
            return steps.stream().filter(s -> s.name().equals(step)).map(Step::took).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no step " + step));
        }
    }

    private final Cluster cluster;
    private final PrintStream out;
    private final KubernetesClient client;
    private final NetworkGuard guard;
    private final List<Step> steps = new ArrayList<>();

    private QuickStart(Cluster cluster, PrintStream out) {
        this.cluster = cluster;
        this.out = out;
        this.client = cluster.client();
        this.guard = NetworkGuard.of(cluster.spec());
    }

    /**
     * Runs the lab on a running {@code FULL} cluster and prints each step with its timing.
     *
     * @throws PolykubeException if a step fails or times out (the message says which, and what it saw)
     */
    public static QuickStartReport run(Cluster cluster, PrintStream out) {
        return new QuickStart(cluster, out).run();
    }

    private QuickStartReport run() {
        long t0 = System.nanoTime();
        String nodeName = cluster.spec().node().name();
        step("node " + nodeName + " Ready", () -> {
            var node = client.nodes().withName(nodeName).get();
            boolean ready = node != null && node.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (!ready) {
                throw new PolykubeException("node " + nodeName + " is not Ready: is the cluster in mode FULL?");
            }
            return "Ready, InternalIP " + node.getStatus().getAddresses().get(0).getAddress();
        });
        step("network guard installed", () -> {
            guard.requireInstalled();
            return guard.chain() + " on " + guard.bridge() + ", services " + guard.serviceCidr();
        });
        step("image " + IMAGE + " built and loaded", () -> {
            Path dir = cluster.directory().resolve("quickstart");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new PolykubeException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            return "loaded " + cluster.images().load(webImage(dir.resolve("blue.tar")));
        });
        step("deployment blue created", () -> {
            client.apps().deployments().inNamespace(NAMESPACE).resource(deployment()).forceConflicts().serverSideApply();
            return "1 replica of " + IMAGE;
        });
        ReplicaSet[] rs = new ReplicaSet[1];
        step("replicaset made by the controller manager", () -> {
            rs[0] = await("a ReplicaSet of deployment blue", () -> client.apps().replicaSets().inNamespace(NAMESPACE)
                    .withLabel("app", "blue").list().getItems().stream().findFirst().orElse(null));
            return rs[0].getMetadata().getName();
        });
        Pod[] first = new Pod[1];
        step("pod scheduled and Running", () -> {
            first[0] = await("a Running, ready pod of deployment blue", () -> readyPods().stream().findFirst().orElse(null));
            return first[0].getMetadata().getName() + " on " + first[0].getSpec().getNodeName() + ", IP "
                    + first[0].getStatus().getPodIP();
        });
        String podName = first[0].getMetadata().getName();
        String podIp = first[0].getStatus().getPodIP();
        step("pod IP answers from the host", () -> {
            String body = await("http://" + podIp + "/ to answer", () -> httpGet(podIp, 80));
            expect(body, podName, "http://" + podIp + "/");
            return "http://" + podIp + "/ -> " + body;
        });
        step("exec into the pod (apiserver -> kubelet over TLS)", () -> {
            String text = exec(podName, "/bin/busybox", "cat", "/www/index.html");
            expect(text, podName, "exec cat /www/index.html");
            return "cat /www/index.html -> " + text;
        });
        step("logs of the pod", () -> {
            String log = await("the pod's log to show a request", () -> {
                String l = client.pods().inNamespace(NAMESPACE).withName(podName).getLog();
                return l != null && l.contains("serving " + podName) && l.contains("url:/") ? l : null;
            });
            return log.lines().filter(l -> l.contains("serving")).findFirst().orElse("").strip() + " (+ request log)";
        });
        Service[] service = new Service[1];
        step("service blue exposed on port 80", () -> {
            service[0] = client.services().inNamespace(NAMESPACE).resource(service()).forceConflicts().serverSideApply();
            return "ClusterIP " + service[0].getSpec().getClusterIP();
        });
        String clusterIp = service[0].getSpec().getClusterIP();
        step("ClusterIP answers from the host (kube-proxy)", () -> {
            String body = await("http://" + clusterIp + "/ to answer through kube-proxy", () -> httpGet(clusterIp, 80));
            expect(body, podName, "http://" + clusterIp + "/");
            return "http://" + clusterIp + "/ -> " + body;
        });
        if (cluster.spec().node().dns()) {
            step("a pod finds blue by name (cluster DNS)", () -> {
                // busybox nslookup exits non-zero when a search-path candidate (blue.svc.cluster.local, ...) is NXDOMAIN
                String answer = exec(podName, "/bin/sh", "-c", "/bin/busybox nslookup blue; exit 0");
                String address = answer.lines().filter(l -> l.startsWith("Address: ")).map(l -> l.substring(9).strip())
                        .findFirst().orElse("");
                if (!address.equals(clusterIp)) {
                    throw new PolykubeException("nslookup blue in pod " + podName + " gave '" + address + "', expected the "
                            + "ClusterIP " + clusterIp + ":\n" + answer);
                }
                String body = exec(podName, "/bin/busybox", "wget", "-q", "-O-", "http://blue:80/");
                expect(body, podName, "wget http://blue:80/ in pod " + podName);
                return "nslookup blue -> " + address + ", wget http://blue/ -> " + body;
            });
        }
        step("scaled to 3 replicas", () -> {
            client.apps().deployments().inNamespace(NAMESPACE).withName("blue").scale(3);
            List<Pod> pods = await("3 Running, ready pods", () -> {
                List<Pod> ready = readyPods();
                return ready.size() == 3 ? ready : null;
            });
            return pods.stream().map(p -> p.getMetadata().getName() + "/" + p.getStatus().getPodIP()).toList().toString();
        });
        Set<String> reached = new TreeSet<>();
        int[] requests = {0};
        step("ClusterIP reaches all 3 pods", () -> {
            Set<String> expected = new TreeSet<>(readyPods().stream().map(p -> p.getMetadata().getName()).toList());
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (!reached.containsAll(expected)) {
                if (requests[0] >= MAX_REQUESTS || System.nanoTime() > deadline) {
                    throw new PolykubeException("after " + requests[0] + " requests to " + clusterIp + " only " + reached
                            + " of " + expected + " answered");
                }
                requests[0]++;
                String body = httpGet(clusterIp, 80);
                if (body != null) {
                    reached.add(body);
                }
            }
            return reached + " in " + requests[0] + " requests";
        });
        Duration total = Duration.ofNanos(System.nanoTime() - t0);
        out.printf("quickstart done in %d ms (admin kubeconfig: %s)%n", total.toMillis(), cluster.kubeconfig());
        return new QuickStartReport(steps, podIp, clusterIp, reached, requests[0], total);
    }

    private void step(String name, Supplier<String> action) {
        long t0 = System.nanoTime();
        String result;
        try {
            result = action.get();
        } catch (RuntimeException e) {
            out.printf("  FAILED %-50s %s%n", name, e.getMessage());
            throw e instanceof PolykubeException ? e : new PolykubeException("quickstart step '" + name + "' failed: " + e, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        steps.add(new Step(name, took, result));
        out.printf("  %-50s %6d ms  %s%n", name, took.toMillis(), result);
    }

    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolykubeException("interrupted while waiting for " + what, e);
            }
        }
        throw new PolykubeException("timed out after " + STEP_TIMEOUT.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    private static void expect(String actual, String expected, String what) {
        if (!expected.equals(actual)) {
            throw new PolykubeException(what + " answered '" + actual + "', expected the pod name '" + expected + "'");
        }
    }

    private List<Pod> readyPods() {
        return client.pods().inNamespace(NAMESPACE).withLabel("app", "blue").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady())))
                .toList();
    }

    /**
     * One HTTP/1.0 GET on a new connection (so kube-proxy balances each request), body trimmed; null if refused or reset.
     * Only addresses of this cluster's pod or service network are contacted, and only with the guard installed.
     */
    String httpGet(String address, int port) {
        InetAddress ip;
        try {
            ip = InetAddress.getByName(address); // a literal: no name is resolved
        } catch (IOException e) {
            throw new PolykubeException("not an IP address: " + address, e);
        }
        if (!guard.clusterCidr().contains(ip) && !guard.serviceCidr().contains(ip)) {
            throw new PolykubeException(address + " is outside this cluster's pod (" + guard.clusterCidr() + ") and service ("
                    + guard.serviceCidr() + ") networks: refusing to contact it");
        }
        guard.requireInstalled();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 2000);
            socket.setSoTimeout(3000);
            OutputStream o = socket.getOutputStream();
            o.write(("GET / HTTP/1.0\r\nHost: " + address + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.") || !response.contains(" 200 ") || body < 0) {
                return null;
            }
            return response.substring(body + 4).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private String exec(String pod, String... command) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(NAMESPACE).withName(pod).writingOutput(stdout).exec(command)) {
            Integer code = watch.exitCode().get(30, TimeUnit.SECONDS);
            if (code == null || code != 0) {
                throw new PolykubeException("exec " + String.join(" ", command) + " in " + pod + " exited with " + code);
            }
            return stdout.toString(StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted during exec in " + pod, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new PolykubeException("exec " + String.join(" ", command) + " in " + pod + " failed: " + e, e);
        }
    }

    /** The web image: busybox-static's httpd serving {@code /www/index.html}, which holds the pod's host name. */
    public static Path webImage(Path tarball) {
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

    private static Deployment deployment() {
        Map<String, String> labels = Map.of("app", "blue");
        return new DeploymentBuilder()
                .withNewMetadata().withName("blue").withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(1L).addNewContainer().withName("web").withImage(IMAGE)
                .withImagePullPolicy("Never").addNewPort().withContainerPort(80).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket()
                .withPeriodSeconds(1).endReadinessProbe()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Service service() {
        return new ServiceBuilder()
                .withNewMetadata().withName("blue").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withSelector(Map.of("app", "blue")).addNewPort().withPort(80).withTargetPort(new IntOrString(80))
                .endPort().endSpec().build();
    }

}
