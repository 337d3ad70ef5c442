package io.polykube.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.Mode;
import io.polykube.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #16, "no pull ever leaves the machine": while a pod waits for an image that is not loaded, no DNS query and no TCP
 * connection attempt leaves through the host's default interface (counted by iptables rules of the test's own), and
 * the missing-image event still says how to load the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class NoPullLeavesTheMachineIT {
    private static final String IMAGE = "polykube.local/missing:1";
    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(60);

    private Path dir;
    private Cluster cluster;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkegress");
        HostState.assertClean("egressit", dir, "before the test");
        cluster = HostTurn.start(Cluster.builder().name("egressit").directory(dir).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build());
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        HostState.assertClean("egressit", dir, "after close");
        assertThat(EgressCounter.gone()).as("chain %s removed", EgressCounter.CHAIN).isTrue();
        HostState.deleteDirectory(dir);
    }

    @Test
    void aPodWaitingForAMissingImageSendsNoDnsAndNoTcpOutOfTheDefaultInterface() throws IOException, InterruptedException {
        KubernetesClient client = cluster.client();
        String iface = EgressCounter.defaultInterface();
        Event event;
        Map<String, Long> packets;
        String listing;
        long eventMillis;
        try (EgressCounter counter = EgressCounter.install(iface)) {
            assertThat(counter.references()).as("jumps to %s (OUTPUT and FORWARD, IPv4 and IPv6)", EgressCounter.CHAIN)
                    .containsExactly(2, 2);
            assertThat(counter.packets()).as("counters right after install").containsOnly(
                    Map.entry("dns-udp", 0L), Map.entry("dns-tcp", 0L), Map.entry("tcp-syn", 0L));
            // positive control: a SYN out of the default interface is seen (and rejected on this host by the control rule)
            counter.connectToControl();
            assertThat(counter.controlPackets()).as("SYNs to %s counted by the control rule", EgressCounter.CONTROL_ADDRESS)
                    .isEqualTo(1);
            long t0 = System.nanoTime();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("missing").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
                    .endContainer().withTerminationGracePeriodSeconds(0L).endSpec().build()).create();
            event = awaitMissingImageEvent(client);
            eventMillis = (System.nanoTime() - t0) / 1_000_000;
            packets = counter.packets();
            listing = counter.listing();
        }
        System.out.println("[egress] pod create -> " + MissingImageEvents.REASON + " event: " + eventMillis + " ms");
        System.out.println("[egress] packets out of " + iface + " while the pod waited for its image: " + packets
                + " (control: 1 SYN to " + EgressCounter.CONTROL_ADDRESS + " counted and rejected on this host)");

        assertThat(event.getMessage()).as("the missing-image event").contains(IMAGE).contains("images().load");
        String destinations = packets.values().stream().allMatch(n -> n == 0) ? "" : EgressCounter.conntrackDestinations();
        assertThat(packets).as("DNS and TCP SYN packets out of %s (counters:%n%s%nconntrack:%n%s)", iface, listing, destinations)
                .containsOnly(Map.entry("dns-udp", 0L), Map.entry("dns-tcp", 0L), Map.entry("tcp-syn", 0L));
        // the pull did happen, and failed on the machine: containerd's hosts directory sent it to the closed local port
        assertThat(client.v1().events().inNamespace("default").withField("involvedObject.name", "missing").list().getItems())
                .anyMatch(e -> e.getMessage() != null && e.getMessage().contains("http://127.0.0.1:1/v2/missing/manifests/1"));
    }

    private static Event awaitMissingImageEvent(KubernetesClient client) {
        var events = client.v1().events().inNamespace("default").withField("involvedObject.name", "missing");
        AtomicReference<List<Event>> seen = new AtomicReference<>(List.of());
        return Await.untilPresent(() -> "event " + MissingImageEvents.REASON + " for pod missing (events so far: "
                + seen.get().stream().map(Event::getMessage).toList() + ")", EVENT_DEADLINE, () -> {
                    seen.set(events.list().getItems());
                    return seen.get().stream().filter(e -> MissingImageEvents.REASON.equals(e.getReason())).findFirst();
                });
    }
}
