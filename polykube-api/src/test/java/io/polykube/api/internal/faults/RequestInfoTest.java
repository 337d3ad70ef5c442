package io.polykube.api.internal.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.faults.FaultRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestInfoTest {
    private static FaultRequest parse(String method, String path, String query) {
        return RequestInfo.parse(method, path, query, "alice", List.of());
    }

    private static String described(String method, String path, String query) {
        FaultRequest r = parse(method, path, query);
        return String.join(",", r.verb(), r.group(), r.resource(), r.subresource(), r.namespace(), r.name());
    }

    @Test
    void readsTheApiServersRequestAttributes() {
        assertThat(described("GET", "/api/v1/namespaces/demo/configmaps", null)).isEqualTo("list,,configmaps,,demo,");
        assertThat(described("GET", "/api/v1/namespaces/demo/configmaps", "watch=true&resourceVersion=5"))
                .isEqualTo("watch,,configmaps,,demo,");
        assertThat(described("GET", "/api/v1/watch/namespaces/demo/pods", null)).isEqualTo("watch,,pods,,demo,");
        assertThat(described("GET", "/api/v1/namespaces/demo/configmaps/settings", null)).isEqualTo("get,,configmaps,,demo,settings");
        assertThat(described("PUT", "/apis/apps/v1/namespaces/demo/deployments/web/status", null))
                .isEqualTo("update,apps,deployments,status,demo,web");
        assertThat(described("PATCH", "/apis/apps/v1/namespaces/demo/deployments/web/scale", null))
                .isEqualTo("patch,apps,deployments,scale,demo,web");
        assertThat(described("POST", "/api/v1/namespaces", null)).isEqualTo("create,,namespaces,,,");
        assertThat(described("GET", "/api/v1/namespaces/demo", null)).isEqualTo("get,,namespaces,,demo,demo");
        assertThat(described("PUT", "/api/v1/namespaces/demo/finalize", null)).isEqualTo("update,,namespaces,finalize,demo,demo");
        assertThat(described("DELETE", "/api/v1/namespaces/demo/pods", null)).isEqualTo("deletecollection,,pods,,demo,");
        assertThat(described("DELETE", "/api/v1/namespaces/demo/pods/p", null)).isEqualTo("delete,,pods,,demo,p");
        assertThat(described("GET", "/api/v1/nodes/n1", null)).isEqualTo("get,,nodes,,,n1");
        assertThat(described("POST", "/api/v1/namespaces/demo/pods/p/exec", "command=ls")).isEqualTo("create,,pods,exec,demo,p");
        assertThat(described("GET", "/apis/apps/v1", null)).isEqualTo("get,,,,,");
        assertThat(described("GET", "/readyz", null)).isEqualTo("get,,,,,");
        assertThat(parse("GET", "/version", null).path()).isEqualTo("/version");
    }

    @Test
    void describesARequestForTheLog() {
        assertThat(parse("PUT", "/apis/apps/v1/namespaces/demo/deployments/web/status", null))
                .hasToString("update deployments.apps/status demo/web by alice");
        assertThat(parse("GET", "/healthz", null)).hasToString("get /healthz by alice");
    }

    @Test
    void readsTheCallerFromItsCertificateSubject() {
        CallerIdentity alice = CallerIdentity.fromSubject("CN=alice,O=dev,O=system:masters");
        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.groups()).containsExactlyInAnyOrder("dev", "system:masters");
        assertThat(CallerIdentity.fromSubject("O=dev").known()).isFalse();
    }
}
