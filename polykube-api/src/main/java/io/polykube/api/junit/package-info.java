/**
 * The JUnit 5 extension: {@link io.polykube.api.junit.WithPolykube @WithPolykube} on a test class gives it a real cluster
 * (shared across the JVM's test classes by default), injects {@link io.polykube.api.Cluster}, {@code KubernetesClient},
 * kubeconfigs ({@link io.polykube.api.junit.PolykubeKubeconfig}) and per-test namespaces
 * ({@link io.polykube.api.junit.TestNamespace}), keeps the cluster directory when a test fails, and fails or skips
 * clearly on hosts that cannot run the cluster.
 */
package io.polykube.api.junit;
