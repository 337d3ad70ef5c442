package io.polykube.api;

import io.polykube.api.spec.Mode;

/**
 * One node of a running {@link Mode#FULL} cluster ({@link Cluster#node(String)}), for node-failure tests: {@link #stop()}
 * stops its kubelet and kube-proxy (its containers keep running, as on a node whose kubelet died), so the node goes
 * NotReady once its lease expires and its pods are evicted after their toleration; {@link #start()} brings it back.
 */
public final class ClusterNode {
    private final Cluster cluster;
    private final String name;

    ClusterNode(Cluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Stops the node's kubelet and kube-proxy; returns at once (the API server notices within the node monitor grace). */
    public void stop() {
        cluster.runOf().stopNode(name);
    }

    /** Starts the node's kubelet and kube-proxy again and returns once the node is Ready. */
    public void start() {
        cluster.runOf().startNode(name);
    }

    /** Whether the node's kubelet runs (not stopped with {@link #stop()}). */
    public boolean running() {
        return cluster.runOf().nodeRunning(name);
    }

    @Override
    public String toString() {
        return "ClusterNode[" + cluster.name() + "/" + name + "]";
    }
}
