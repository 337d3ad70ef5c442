package io.polykube.config.flags;

import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every flag name the typed builders produce is a flag the real binary lists in its --help. */
class FlagsKnownToBinariesIT {
    @Test
    void etcdKnowsOurFlags() {
        String dir = System.getProperty("polykube.etcd.bin.dir");
        assertThat(dir).as("polykube.etcd.bin.dir is not set: run through Maven").isNotBlank();
        assertKnown(Path.of(dir, "etcd"), FlagFixtures.etcd());
    }

    @Test
    void kubeApiServerKnowsOurFlags() {
        assertKnown(ItSupport.kubernetesBinary("kube-apiserver"), FlagFixtures.kubeApiServer());
    }

    @Test
    void kubeControllerManagerKnowsOurFlags() {
        assertKnown(ItSupport.kubernetesBinary("kube-controller-manager"), FlagFixtures.kubeControllerManager());
    }

    private static void assertKnown(Path binary, FlagSet flags) {
        ItSupport.Result help = ItSupport.run(List.of(binary.toString(), "--help"));
        assertThat(help.output()).as("%s --help", binary).isNotBlank();
        for (String name : flags.asMap().keySet()) {
            assertThat(Pattern.compile("(?m)^\\s+(-\\w, )?--" + Pattern.quote(name) + "[\\s=]").matcher(help.output()).find())
                    .as("%s --help lists --%s", binary.getFileName(), name).isTrue();
        }
    }
}
