package io.polykube.pki.bench;

import io.polykube.files.TreeDeletion;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import io.polykube.pki.KeyAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Times issuing the whole cluster PKI (ECDSA P-256 and RSA 2048) and reloading an existing one:
 * the median of several runs after warm-up. Not a test; run it with
 * <pre>
 * cd /work/main &amp;&amp; mvn -q -pl polykube-pki test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp polykube-pki/target/classes:polykube-pki/target/test-classes:$(cat polykube-pki/target/cp.txt) \
 *     io.polykube.pki.bench.PkiBenchmark [runs]
 * </pre>
 */
public final class PkiBenchmark {

    private PkiBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path root = Files.createTempDirectory("polykube-pki-bench");
        try {
            System.out.printf("polykube-pki benchmark, %d runs after warm-up, %d cores, Java %s%n", runs,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("%-36s %7.1f ms (class loading and JIT included)%n", "first issue in this JVM, ECDSA",
                    ms(fresh(root, KeyAlgorithm.ECDSA_P256)));
            report("issue full set, ECDSA P-256", time(runs, () -> fresh(root, KeyAlgorithm.ECDSA_P256)));
            report("issue full set, RSA 2048", time(Math.max(3, runs / 3), () -> fresh(root, KeyAlgorithm.RSA_2048)));
            Path existing = root.resolve("existing");
            ClusterPki.create(existing, spec(KeyAlgorithm.ECDSA_P256));
            report("reload existing set, ECDSA P-256", time(runs, () -> reload(existing)));
        } finally {
            delete(root);
        }
    }

    private static ClusterPkiSpec spec(KeyAlgorithm algorithm) {
        return ClusterPkiSpec.builder().clusterName("bench").nodeName("node1").keyAlgorithm(algorithm).build();
    }

    private static long fresh(Path root, KeyAlgorithm algorithm) {
        Path dir = root.resolve("run-" + System.nanoTime());
        long start = System.nanoTime();
        ClusterPki.create(dir, spec(algorithm));
        long elapsed = System.nanoTime() - start;
        delete(dir);
        return elapsed;
    }

    private static long reload(Path dir) {
        long start = System.nanoTime();
        ClusterPki pki = ClusterPki.loadOrCreate(dir, spec(KeyAlgorithm.ECDSA_P256));
        long elapsed = System.nanoTime() - start;
        if (!pki.reused()) {
            throw new IllegalStateException("reload re-issued the PKI; the benchmark measures reuse");
        }
        return elapsed;
    }

    /** Runs {@code runs / 2 + 1} warm-up rounds, then {@code runs} measured ones; returns sorted nanos. */
    private static long[] time(int runs, Supplier<Long> run) {
        for (int i = 0; i < runs / 2 + 1; i++) {
            run.get();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            nanos[i] = run.get();
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] sorted) {
        System.out.printf("%-36s median %7.1f ms   min %7.1f ms   max %7.1f ms   (n=%d)%n", what,
                ms(sorted[sorted.length / 2]), ms(sorted[0]), ms(sorted[sorted.length - 1]), sorted.length);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void delete(Path dir) {
        try {
            TreeDeletion.delete(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
