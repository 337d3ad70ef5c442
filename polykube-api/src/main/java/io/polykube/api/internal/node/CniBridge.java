package io.polykube.api.internal.node;

import io.polykube.config.cni.CniConfig;
import io.polykube.net.Cidr;

/**
 * The CNI network of a node's pods, written into the node's CNI config directory, where containerd reads it: the bridge
 * plugin with host-local addresses from the node's pod CIDR, on a bridge {@value #BRIDGE} in the node's network
 * namespace, whose address is the pod CIDR's first.
 */
final class CniBridge {
    /** The pods' bridge in every node's network namespace. */
    static final String BRIDGE = "cni0";

    private CniBridge() {
    }

    static void write(NodeContext node, Cidr podCidr) {
        CniConfig.builder()
                .networkName(node.cluster().spec().hostNames().cniNetwork())
                .bridge(BRIDGE)
                .subnet(podCidr)
                .ipamDataDir(node.dirs().ipamDir())
                .build()
                .writeInto(node.dirs().cniConfDir());
    }
}
