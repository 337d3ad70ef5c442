package io.polykube.api.junit;

import io.polykube.api.spec.Mode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Kubernetes cluster.
 *
 * <pre>{@code
 * @WithPolykube(namespacePerTest = true)
 * class MyOperatorIT {
 *     @Polykube KubernetesClient client;       // admin client
 *     @Polykube TestNamespace namespace;       // fresh for each test, deleted after it
 *
 *     @Test void reconciles(Cluster cluster, @PolykubeKubeconfig Path kubeconfig) { ... }
 * }
 * }</pre>
 *
 * <p><b>What is shared, and for how long.</b> By default one cluster is started for all test classes of the JVM that ask
 * for the same spec (same mode, version and configurer result), on first use, and stopped when JUnit finishes (the
 * cluster lives in the root {@code ExtensionContext.Store}). Test classes running in parallel share it too; it starts
 * once. {@link #freshCluster()} gives a class its own cluster, stopped after the class. The cluster directory is created
 * fresh under {@code target/polykube/} of the working directory (else {@code java.io.tmpdir}), or under the directory
 * of the configuration parameter {@value PolykubeExtension#DIRECTORY_PARAMETER}.
 *
 * <p><b>Injection.</b> Fields marked {@link Polykube} or {@link PolykubeKubeconfig} (instance or static) and parameters
 * of constructors, test and lifecycle methods: {@link io.polykube.api.Cluster}, {@code KubernetesClient} (the admin
 * client, closed with the cluster: do not close it), {@code @PolykubeKubeconfig Path} (the kubeconfig file) or
 * {@code String} (its YAML), and with {@link #namespacePerTest()} the per-test {@link TestNamespace} or the fabric8
 * {@code Namespace}. An {@link io.polykube.api.audit.AuditLog} (instance field or parameter) holds the API server's audit
 * events from a mark taken before each test; {@code audit.inNamespace(namespace.name())} narrows it to the test's
 * namespace. Anything else is refused with a message saying what to write instead.
 *
 * <p><b>Versions.</b> The class is a JUnit class template: it runs once, shown as {@code [k8s 1.37.2]} under its name,
 * or once per version of {@link #versions()}, each run against a cluster of its version. Methods and classes marked
 * {@link EnabledForKubernetes} are skipped, with the reason, in the versions outside their bounds.
 *
 * <p>Usable as a meta-annotation and inherited by subclasses; {@code @Nested} classes use the enclosing class's cluster.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ClassTemplate
@ExtendWith(PolykubeExtension.class)
public @interface WithPolykube {

    /**
     * What the cluster runs. {@link Mode#CONTROL_PLANE} (the default) is fast and needs no root: the API works, controllers
     * run (namespaces finish deleting, Deployments get ReplicaSets and Pods), but pods stay Pending. {@link Mode#FULL}
     * adds containerd, kubelet, CNI and kube-proxy so pods run; it needs root and one such cluster per host.
     */
    Mode mode() default Mode.CONTROL_PLANE;

    /**
     * {@link Mode#FULL} only: whether the cluster runs its DNS (CoreDNS at the tenth address of the service CIDR; pods
     * resolve {@code <service>.<namespace>.svc.cluster.local}). {@code false} starts faster, for tests that need no DNS.
     */
    boolean dns() default true;

    /**
     * {@link Mode#FULL} only: how many nodes (default 1). The first runs on the host; the others ({@code worker-1}, ...)
     * each run their own containerd, kubelet and kube-proxy in a network namespace, and join by TLS bootstrap. Reach
     * one through {@code cluster.node("worker-1")} to stop and start it.
     */
    int nodes() default 1;

    /**
     * The Kubernetes version: a known minor ({@code "1.36"}, its pinned patch), an exact patch of one ({@code "1.36.3"})
     * or {@code "default"}; empty (the default) means the newest pinned patch. A version not built yet is built on first
     * use (minutes, once).
     */
    String version() default "";

    /**
     * A version matrix: the class runs once per version, each run named {@code [k8s 1.36.5]} in reports and IDEs and
     * given a cluster of that version: known minors ({@code "1.35"}), exact patches, {@code "default"},
     * {@code "supported"} (every minor in upstream support) or {@code "all"} (every known minor). Empty (the default):
     * one run, of {@link #version()}. Control-plane clusters are shared per spec and version as usual, and several
     * versions may run at once; {@link Mode#FULL} clusters run one after the other, each stopped at the end of its
     * version's run. Set either this or {@link #version()}. JUnit runs a static {@code @BeforeAll} method of such a
     * class once, before any version's cluster: static fields are injected at the start of each version's run, so set up
     * per version in {@code @BeforeEach} (or lazily).
     */
    String[] versions() default {};

    /**
     * A class whose {@link PolykubeConfigurer#configure} adjusts the cluster's builder (feature gates, flags, extra
     * admission plugins, ...). It needs a no-argument constructor. The default, {@code PolykubeConfigurer.class} itself,
     * changes nothing. Classes whose configurers produce the same spec share a cluster.
     */
    Class<? extends PolykubeConfigurer> configurer() default PolykubeConfigurer.class;

    /** {@code true}: this class gets its own cluster, started before its first test and stopped after its last one. */
    boolean freshCluster() default false;

    /**
     * {@code true}: the cluster outlives the JVM, for the edit-test loop. The first run leaves it running under a detached
     * owner process (in {@code ~/.local/state/polykube/reuse-<hash>}, named from a hash of the spec and the polykube build);
     * later JVMs attach to it (a third of a second), find it reset to its post-start state, and start their first test
     * in about 2 s instead of 7. A changed spec or polykube build starts another cluster; one unused for an hour stops itself
     * ({@value PolykubeExtension#REUSE_IDLE_PARAMETER}); {@code ./polykube list} shows them and {@code ./polykube down}
     * stops them. One JVM at a time holds a reused cluster (another JVM meanwhile gets a fresh one).
     *
     * <p>Off when the environment variable {@code CI} is {@code true} (a build server starts fresh) unless the
     * configuration parameter {@value PolykubeExtension#REUSE_PARAMETER} is {@code force}; that parameter set to
     * {@code true} reuses the clusters of every class, {@code false} of none. Not with {@link #freshCluster()},
     * {@link #webhooks()} (their server lives in the JVM) or {@link #versions()}.
     */
    boolean reuse() default false;

    /**
     * {@code true}: each test method gets a new namespace with a unique name, injected as {@link TestNamespace} (or the
     * fabric8 {@code Namespace}) and deleted after the test, so tests do not see each other's objects. Before the cluster
     * stops, the extension waits until every deleted namespace is really gone (and fails if one is stuck): Kubernetes'
     * namespace controller waits 5 s before it empties a deleted namespace, so waiting after each test would cost 5 s per
     * test. The namespace of a failed test is kept for inspection (unless {@link #keepDirectory()} is
     * {@link KeepDirectory#NEVER}).
     */
    boolean namespacePerTest() default false;

    /**
     * Manifests applied when the cluster starts (server-side apply, in order, CustomResourceDefinitions first; CRDs
     * Established, Deployments available in {@link Mode#FULL}), and kept by {@link #reset()}: {@code "classpath:crds/x.yaml"}
     * (a resource of the test class's class loader) or a file path (relative to the working directory). Classes with
     * other manifests get another cluster. A manifest the API server refuses fails the class, naming the file and document.
     */
    String[] manifests() default {};

    /**
     * Webhook manifests registered when the cluster starts, after the {@link #manifests()}, and kept by {@link #reset()}:
     * the operator's own {@code ValidatingWebhookConfiguration}, {@code MutatingWebhookConfiguration} and CRDs with a
     * conversion webhook, as {@code "classpath:..."} or file paths. Every {@code clientConfig.service} is pointed at the
     * {@link #webhookServer()}, which the extension starts first. Webhooks installed by a test instead
     * ({@code cluster.webhooks().install(...)}) are removed by the next reset.
     */
    String[] webhooks() default {};

    /** The server of the {@link #webhooks()}: a {@link WebhookServer} with a no-argument constructor. */
    Class<? extends WebhookServer> webhookServer() default WebhookServer.class;

    /**
     * When to bring the cluster back to its state right after start (no objects created since; same PKI, ports and
     * clients): {@link Reset#NONE} (the default), before the class ({@link Reset#PER_CLASS}) or before each test
     * ({@link Reset#PER_METHOD}). A reset takes well under a second on a control plane; it is skipped while the cluster is
     * still unused. A reset affects every class sharing the cluster: with classes running in parallel, combine it with
     * {@link #freshCluster()}. Objects made in {@code @BeforeAll} do not survive {@link Reset#PER_METHOD}.
     */
    Reset reset() default Reset.NONE;

    /**
     * When to keep the cluster directory (logs, certificates, configs, etcd data) after the cluster stops. With
     * {@link KeepDirectory#ON_FAILURE} (the default) a failed test keeps it and its path is printed; a shared cluster is
     * kept if any class that used it failed.
     */
    KeepDirectory keepDirectory() default KeepDirectory.ON_FAILURE;

    /**
     * Whether a failed test writes the cluster's log bundle ({@link io.polykube.api.LogBundle}: logs, events, pods' logs,
     * certificate summary, versions) next to the test reports, whatever {@link #keepDirectory()} says. With
     * {@link KeepDirectory#ON_FAILURE} or {@link KeepDirectory#ALWAYS} the bundle is written anyway. The directory is the
     * configuration parameter {@value PolykubeExtension#LOGS_PARAMETER}, else the newest of {@code target/failsafe-reports}
     * and {@code target/surefire-reports}, else {@code target}.
     */
    boolean exportLogsOnFailure() default false;

    /**
     * What to do on a host that cannot run the cluster ({@link Mode#FULL} without root, binaries not installed):
     * {@link OnUnsuitableHost#FAIL} (the default) fails the class with the reason and the fix;
     * {@link OnUnsuitableHost#SKIP} skips it with that reason.
     */
    OnUnsuitableHost onUnsuitableHost() default OnUnsuitableHost.FAIL;
}
