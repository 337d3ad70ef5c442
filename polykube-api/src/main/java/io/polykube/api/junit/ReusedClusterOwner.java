package io.polykube.api.junit;

import io.polykube.api.Cluster;
import io.polykube.api.internal.reuse.ReuseKey;
import io.polykube.api.internal.reuse.ReuseOwner;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The detached owner of a reused cluster ({@link WithPolykube#reuse()}), started by the first test JVM that asks for it:
 * rebuilds the spec from the test class (as that JVM did, and checks both give the same key), starts the cluster, serves
 * attach, reset and release on a loopback endpoint, and stops the cluster on SIGTERM ({@code ./polykube down}) or once
 * unused for the idle timeout.
 */
final class ReusedClusterOwner {
    private ReusedClusterOwner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        Class<?> testClass = Class.forName(a.get("--test-class"), false, ReusedClusterOwner.class.getClassLoader());
        WithPolykube annotation = AnnotationSupport.findAnnotation(testClass, WithPolykube.class).orElseThrow(() ->
                new IllegalArgumentException(testClass.getName() + " carries no @WithPolykube"));
        ClusterSpec spec = ClusterRequest.of(testClass, annotation, a.get("--version")).specFor(a.get("--name"), Path.of(a.get("--dir")));
        String key = a.get("--key");
        if (!ReuseKey.specHash(spec).equals(a.get("--spec-hash"))) {
            System.err.println("[polykube] the spec built here from " + testClass.getName() + " differs from the test JVM's: "
                    + spec + ". Not starting.");
            System.exit(3);
        }
        Duration idle = Duration.parse(a.getOrDefault("--idle", "PT1H"));
        Cluster cluster = Cluster.of(spec);
        CountDownLatch done = new CountDownLatch(1);
        ReuseOwner[] server = new ReuseOwner[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server[0] != null) {
                server[0].close();
            }
            cluster.close();
        }, "polykube-reuse-stop"));
        cluster.start();
        server[0] = ReuseOwner.serve(new ClusterLayout(spec.directory()), key, idle, new ReuseOwner.Operations() {
            @Override
            public void reset() {
                cluster.reset();
            }

            @Override
            public Optional<String> unhealthy() {
                return cluster.status().stream().filter(s -> !s.ready()).findFirst()
                        .map(s -> s.component().processName() + s.node().map(n -> " of node " + n).orElse("") + " is " + s.state());
            }
        }, done::countDown);
        System.out.println("[polykube] reused cluster '" + spec.name() + "' is running (pid " + ProcessHandle.current().pid()
                + "); it stops after " + idle + " unused, or with ./polykube down --dir " + spec.directory());
        done.await();
        System.exit(0); // the shutdown hook stops the cluster
    }
}
