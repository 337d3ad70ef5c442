package io.polykube.api.status;

import io.polykube.api.error.PolykubeException;
import io.polykube.net.Cidr;
import java.net.InetAddress;
import java.util.Map;

/**
 * The network guard of a {@code FULL} cluster, read-only: what makes sure that no packet to a pod or service address
 * leaves the machine. The cluster's bridge carries this host's address and a route of the service CIDR to the first
 * node (every node runs in a network namespace of its own); an iptables chain jumped to first from {@code OUTPUT} and
 * {@code FORWARD} rejects, locally, a packet still addressed to the service CIDR (no kube-proxy translated it), a packet
 * to the cluster CIDR that would not go out of the bridge,
 * and a packet from the cluster CIDR that would leave through another interface. The cluster installs it before any
 * process starts and removes it at stop.
 *
 * <p>A test or tool that contacts a pod or service address calls {@link #requireInstalled()} first.
 */
public interface NetworkGuard {

    /** The cluster's bridge ({@code pk-<name>}). */
    String bridge();

    /** The iptables chain ({@code POLYKUBE-<NAME>}) in the filter and nat tables. */
    String chain();

    Cidr serviceCidr();

    Cidr clusterCidr();

    /**
     * This host's address on the cluster's bridge (the node network's first, 10.244.255.1 by default): the API server's
     * address, and where pods and the API server reach a server in this JVM (a webhook behind a Service, for example).
     */
    InetAddress gateway();

    /** Whether the bridge, the service route, the chain with its rules and both jumps are in place. */
    boolean isInstalled();

    /**
     * Throws unless the guard is fully installed; call it before contacting a pod or service address.
     *
     * @throws PolykubeException naming what is missing
     */
    void requireInstalled();

    /** Packets rejected so far by the rule for untranslated service addresses. */
    long rejectedServicePackets();

    /** Packets rejected so far by all rules of the chain. */
    long rejectedPackets();

    /**
     * Packets rejected so far, per rule, in the chain's order: {@code untranslated service address} (a service address
     * kube-proxy did not translate, e.g. a port the Service lacks), {@code pod address off the bridge}, {@code pod traffic
     * leaving the host} (a pod reaching for the outside).
     */
    Map<String, Long> rejectedByRule();
}
