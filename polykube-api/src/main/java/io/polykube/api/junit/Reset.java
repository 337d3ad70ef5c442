package io.polykube.api.junit;

/** When {@link WithPolykube#reset()} brings the cluster back to its state right after start ({@code Cluster.reset()}). */
public enum Reset {
    /** Never: tests see what earlier tests and classes left (the default). */
    NONE,
    /** Before the class's first test, if the cluster was used since it started or was last reset. */
    PER_CLASS,
    /** Before each test, if the cluster was used since it started or was last reset. */
    PER_METHOD
}
