package io.polykube.api.internal.faults;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultLog;
import io.polykube.api.faults.Faults;
import io.polykube.api.faults.InjectedFault;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.pki.ClientCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/** A running cluster's {@link Faults}: its rules, its proxy, and kubeconfigs and clients that go through the proxy. */
public final class ClusterFaults implements Faults, AutoCloseable {
    private final RuleBook rules;
    private final FaultProxy proxy;
    private final Kubeconfigs kubeconfigs;
    private final ClusterLayout layout;
    private final ClientCredentials admin;
    private final BiFunction<String, String[], ClientCredentials> issue;
    private KubernetesClient adminClient;

    private ClusterFaults(RuleBook rules, FaultProxy proxy, ClusterLayout layout, String clusterName, Path caCert,
            ClientCredentials admin, BiFunction<String, String[], ClientCredentials> issue) {
        this.rules = rules;
        this.proxy = proxy;
        this.layout = layout;
        this.kubeconfigs = new Kubeconfigs(layout, clusterName, proxy.url(), caCert);
        this.admin = admin;
        this.issue = issue;
    }

    /**
     * Starts the proxy in front of {@code settings.apiServer()}; {@code issue} issues a user's client credentials (user,
     * groups), {@code admin} are the admin's.
     */
    public static ClusterFaults start(FaultProxy.Settings settings, ClusterLayout layout, String clusterName,
            ClientCredentials admin, BiFunction<String, String[], ClientCredentials> issue) {
        RuleBook rules = new RuleBook();
        FaultProxy proxy;
        try {
            proxy = FaultProxy.start(settings, rules);
        } catch (NoClassDefFoundError e) {
            throw new PolykubeException("the fault proxy needs Vert.x (io.vertx:vertx-core 4.5 or 5), which fabric8's default"
                    + " HTTP client (kubernetes-httpclient-vertx) brings, and it is not on the classpath (" + e.getMessage()
                    + "): add io.vertx:vertx-core, or keep fabric8's Vert.x HTTP client", e);
        }
        return new ClusterFaults(rules, proxy, layout, clusterName, settings.caCert(), admin, issue);
    }

    @Override
    public InjectedFault inject(Fault fault) {
        return rules.add(Objects.requireNonNull(fault, "fault"));
    }

    @Override
    public List<InjectedFault> injected() {
        return rules.injected();
    }

    @Override
    public void clear() {
        rules.clear();
    }

    @Override
    public FaultLog log() {
        return rules.log();
    }

    @Override
    public URI url() {
        return proxy.url();
    }

    @Override
    public Path kubeconfig() {
        return kubeconfigs.writePortable(file("admin"), admin);
    }

    @Override
    public Path kubeconfig(String user, String... groups) {
        return kubeconfigs.writePortable(file(user), issue.apply(user, groups));
    }

    @Override
    public synchronized KubernetesClient client() {
        if (adminClient == null) {
            adminClient = Kubeconfigs.client(kubeconfig(), admin);
        }
        return adminClient;
    }

    @Override
    public KubernetesClient client(String user, String... groups) {
        ClientCredentials credentials = issue.apply(user, groups);
        return Kubeconfigs.client(kubeconfigs.writePortable(file(user), credentials), credentials);
    }

    private Path file(String user) {
        return layout.kubeconfigs().resolve("faults").resolve(user + ".kubeconfig");
    }

    /** Closes the admin client and the proxy. */
    @Override
    public synchronized void close() {
        if (adminClient != null) {
            adminClient.close();
            adminClient = null;
        }
        proxy.close();
    }
}
