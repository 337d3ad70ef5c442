package io.polykube.api.faults;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The fault proxy of a running cluster: a TLS endpoint in front of the real API server that forwards every request
 * unchanged, as the caller (its client certificate's user and groups, through the API server's request-header
 * authentication), unless an injected {@link Fault} matches it. Only clients made here go through it; the cluster's own
 * {@code client()} and {@code kubeconfig()} stay direct, so a test's assertions never meet the faults:
 *
 * <pre>{@code
 * Faults faults = cluster.faults();
 * try (KubernetesClient operatorClient = faults.client("operator", "system:masters");
 *      InjectedFault twice = faults.inject(Fault.on(update("configmaps").in(ns)).then(conflict()).times(2))) {
 *     // run the operator with operatorClient; then: assertThat(twice.hits()).isEqualTo(2)
 * }
 * }</pre>
 */
public interface Faults {
    /** Puts {@code fault} in force; rules are tried in the order they were injected, and the first that matches applies. */
    InjectedFault inject(Fault fault);

    /** The rules injected and not closed, oldest first (used-up ones included). */
    List<InjectedFault> injected();

    /** Withdraws every rule and empties the log. */
    void clear();

    /** What was injected since the start or the last {@link #clear()}. */
    FaultLog log();

    /** The proxy's URL, {@code https://127.0.0.1:<port>}. */
    URI url();

    /** A kubeconfig of the cluster admin that goes through the proxy. */
    Path kubeconfig();

    /** A kubeconfig of {@code user} (its certificate issued on first use, in {@code groups}) that goes through the proxy. */
    Path kubeconfig(String user, String... groups);

    /** A client of the cluster admin that goes through the proxy; closed with the cluster. */
    KubernetesClient client();

    /** A new client of {@code user} that goes through the proxy; the caller closes it. */
    KubernetesClient client(String user, String... groups);
}
