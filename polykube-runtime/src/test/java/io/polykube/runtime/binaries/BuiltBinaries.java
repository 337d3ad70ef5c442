package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the integration tests find the binaries that {@code ./polykube setup} cached. */
final class BuiltBinaries {

    private BuiltBinaries() {
    }

    static Path kubernetesDir() {
        return dir("polykube.kubernetes.bin.dir", "kube-apiserver");
    }

    static Path etcdDir() {
        return dir("polykube.etcd.bin.dir", "etcd");
    }

    static Path pauseDir() {
        Path dir = kubernetesDir().getParent().resolve(ClusterBinarySet.PAUSE.dirName(ClusterBinarySet.PAUSE_VERSION));
        assertThat(dir.resolve("pause")).as("pause program in %s: run ./polykube setup", dir).isExecutable();
        return dir;
    }

    /** The cache that holds {@link #kubernetesDir()}. */
    static BinaryCache cache() {
        return new BinaryCache(kubernetesDir().getParent().getParent());
    }

    private static Path dir(String property, String probe) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by the parent pom for failsafe)", property).isNotBlank();
        Path dir = Path.of(value);
        assertThat(Files.isExecutable(dir.resolve(probe)))
                .as("%s/%s must exist: run ./polykube setup first", dir, probe).isTrue();
        return dir;
    }
}
