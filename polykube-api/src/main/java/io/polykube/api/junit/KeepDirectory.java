package io.polykube.api.junit;

/** When {@link WithPolykube} keeps a cluster's directory after stopping it. */
public enum KeepDirectory {
    /** Always keep it. */
    ALWAYS,
    /** Keep it when a test that used the cluster failed, and print its path; remove it otherwise. */
    ON_FAILURE,
    /** Always remove it. */
    NEVER
}
