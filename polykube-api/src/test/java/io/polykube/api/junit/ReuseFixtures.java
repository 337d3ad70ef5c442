package io.polykube.api.junit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** Classes that {@link ReusedClusterIT} runs in child JVMs ({@link ReuseProbe}); each records what it saw in a file. */
final class ReuseFixtures {
    static final String OUT = "reuse.it.out";
    static final String LABEL = "polykube-reuse-it";

    private ReuseFixtures() {
    }

    /** Records whether the cluster is attached and what earlier runs left in it, then leaves a config map of its own. */
    abstract static class Recorder {
        @Test
        void recordsAndLeavesAConfigMap(Cluster cluster, KubernetesClient client) throws IOException {
            long firstTestNanos = ReuseProbe.sinceStart();
            long leftByEarlierRuns = client.configMaps().inNamespace("default").withLabel(LABEL).list().getItems().size();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("left-by-" + ProcessHandle.current().pid()).addToLabels(LABEL, "true").endMetadata().build()).create();
            Files.writeString(Path.of(System.getProperty(OUT)), "firstTestNanos=" + firstTestNanos + "\nattached="
                    + cluster.isAttached() + "\nleft=" + leftByEarlierRuns + "\napiServer=" + cluster.apiServerUrl() + "\ndirectory="
                    + cluster.directory() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(reuse = true)
    static final class Reused extends Recorder {
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(reuse = true, configurer = ExtraSan.class)
    static final class ReusedWithAnotherSpec extends Recorder {
    }

    /** A spec that differs from {@link Reused}'s by one SAN. */
    public static final class ExtraSan implements PolykubeConfigurer {
        @Override
        public void configure(ClusterSpec.Builder<?> builder) {
            builder.pki(p -> p.extraSan("reuse-it.example"));
        }
    }
}
