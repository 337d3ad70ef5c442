package io.polykube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @WithPolykube} injects an {@link AuditLog} that starts at the test's beginning. */
@WithPolykube(namespacePerTest = true)
class AuditInjectionIT {
    private static final AuditQuery CONFIGMAP_CREATES = AuditQuery.all().verbs("create").resource("configmaps");

    @Polykube
    AuditLog audit;
    @Polykube
    TestNamespace namespace;

    private List<String> createOneAndReadWhatThisTestCreated(String name) {
        namespace.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        audit.await(CONFIGMAP_CREATES.namespace(namespace.name()), 1, Duration.ofSeconds(10));
        return audit.events(CONFIGMAP_CREATES).stream().map(AuditEvent::name).filter(n -> n.startsWith("scoped-")).toList();
    }

    @Test
    void theFieldSeesOnlyThisTestsRequests() {
        assertThat(createOneAndReadWhatThisTestCreated("scoped-one")).containsExactly("scoped-one");
    }

    @Test
    void andSoDoesTheNextTestsField() {
        assertThat(createOneAndReadWhatThisTestCreated("scoped-two")).containsExactly("scoped-two");
    }

    @Test
    void aParameterIsTheSameScopedLogAndCanBeNarrowedToTheTestsNamespace(AuditLog parameter) {
        namespace.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("scoped-three").endMetadata()
                .build()).create();
        List<AuditEvent> mine = parameter.inNamespace(namespace.name()).await(CONFIGMAP_CREATES, 1, Duration.ofSeconds(10));
        assertThat(mine).extracting(AuditEvent::name).containsExactly("scoped-three");
        assertThat(parameter.inNamespace(namespace.name()).events()).allMatch(e -> e.namespace().equals(namespace.name()));
    }
}
