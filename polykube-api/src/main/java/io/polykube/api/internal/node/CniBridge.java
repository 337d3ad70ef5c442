package io.polykube.api.internal.node;

import io.polykube.config.cni.CniConfig;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;

/**
 * The CNI network of a node's pods, written into the node's CNI config directory, where containerd reads it: the bridge
 * plugin with host-local addresses from the node's pod CIDR.
 */
final class CniBridge {
    private CniBridge() {
    }

    /** The first node's pods: on the cluster's {@code bridge} on the host, whose address is the pod CIDR's gateway. */
    static void writeFirstNode(NodeContext node, String bridge) {
        ClusterNetwork network = node.cluster().network();
        CniConfig.builder()
                .networkName(node.cluster().spec().hostNames().cniNetwork())
                .bridge(bridge)
                .subnet(network.podCidr(), network.gateway())
                .ipamDataDir(node.dirs().ipamDir())
                .build()
                .writeInto(node.dirs().cniConfDir());
    }

    /** A worker's pods: on a bridge {@code cni0} of its own, in its network namespace, with the worker's pod CIDR. */
    static void writeWorker(NodeContext node, Cidr podCidr) {
        CniConfig.builder()
                .networkName(node.cluster().spec().hostNames().cniNetwork())
                .bridge("cni0")
                .subnet(podCidr)
                .ipamDataDir(node.dirs().ipamDir())
                .build()
                .writeInto(node.dirs().cniConfDir());
    }
}
