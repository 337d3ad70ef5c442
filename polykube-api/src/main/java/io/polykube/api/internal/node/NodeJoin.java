package io.polykube.api.internal.node;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.config.kubeconfig.Kubeconfig;
import io.polykube.files.AtomicFile;
import io.polykube.net.Cidr;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How workers join: a bootstrap token (a {@code bootstrap.kubernetes.io/token} Secret, its id and secret kept in the
 * cluster's {@code pki/bootstrap-token}, 0600), the RBAC that lets its holders ask for node client certificates and has
 * the controller manager approve them (and their renewals), the Node objects with their pod CIDRs made ahead, and the
 * approval of the kubelets' serving-certificate requests, which polykube gives only to the workers it started, for their
 * own names and addresses.
 */
final class NodeJoin {
    private static final Logger LOG = LoggerFactory.getLogger(NodeJoin.class);
    static final String GROUP = "system:bootstrappers:polykube";
    static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String clusterName;
    private final Path tokenFile;

    /** @param tokenFile where the bootstrap token is kept ({@code ClusterLayout.bootstrapToken()}) */
    NodeJoin(String clusterName, Path tokenFile) {
        this.clusterName = clusterName;
        this.tokenFile = tokenFile;
    }

    /**
     * Applies the token Secret (valid 24 h from now) and the RBAC, and writes the kubeconfig a joining kubelet uses.
     *
     * @return the bootstrap kubeconfig
     */
    Path prepare(KubernetesClient client, URI server, Path caCert, Path kubeconfigFile) {
        String token = token();
        String id = token.substring(0, 6);
        Secret secret = new SecretBuilder().withNewMetadata().withName("bootstrap-token-" + id).withNamespace("kube-system")
                .endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of(
                        "token-id", id,
                        "token-secret", token.substring(7),
                        "usage-bootstrap-authentication", "true",
                        "usage-bootstrap-signing", "true",
                        "auth-extra-groups", GROUP,
                        "description", "polykube: workers of cluster " + clusterName + " join with it",
                        "expiration", Instant.now().plus(TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS).toString()))
                .build();
        try {
            client.secrets().inNamespace("kube-system").resource(secret).forceConflicts().serverSideApply();
            for (ClusterRoleBinding binding : List.of(
                    binding("polykube:kubelet-bootstrap", "system:node-bootstrapper", "system:bootstrappers"),
                    binding("polykube:node-autoapprove-bootstrap",
                            "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "system:bootstrappers"),
                    binding("polykube:node-autoapprove-certificate-rotation",
                            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", "system:nodes"))) {
                client.rbac().clusterRoleBindings().resource(binding).forceConflicts().serverSideApply();
            }
        } catch (KubernetesClientException e) {
            throw new PolykubeException("cluster '" + clusterName + "': cannot write the bootstrap token and its RBAC: " + e.getMessage(), e);
        }
        return Kubeconfig.builder()
                .cluster(clusterName, c -> c.server(server).embedCertificateAuthority(caCert))
                .user("kubelet-bootstrap", u -> u.token(token))
                .context("kubelet-bootstrap@" + clusterName, clusterName, "kubelet-bootstrap")
                .currentContext("kubelet-bootstrap@" + clusterName)
                .build()
                .writeTo(kubeconfigFile);
    }

    private static ClusterRoleBinding binding(String name, String role, String group) {
        return new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group).endSubject()
                .build();
    }

    /** {@code <id>.<secret>}, made once per cluster directory and kept. */
    private String token() {
        try {
            if (Files.isRegularFile(tokenFile)) {
                String token = Files.readString(tokenFile).strip();
                if (token.matches("[a-z0-9]{6}\\.[a-z0-9]{16}")) {
                    return token;
                }
                LOG.warn("Cluster '{}': {} is not a bootstrap token; making a new one", clusterName, tokenFile);
            }
            SecureRandom random = new SecureRandom();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 23; i++) {
                sb.append(i == 6 ? '.' : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            AtomicFile.at(tokenFile).permissions(AtomicFile.OWNER_ONLY).createParents(true).write(sb + "\n");
            return sb.toString();
        } catch (IOException e) {
            throw new PolykubeException("cannot write the bootstrap token " + tokenFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the workers' Node objects with their pod CIDRs before their kubelets register (kubelet takes over an existing
     * Node), so each worker's CNI range and host route are known beforehand; the controller manager's allocator then
     * skips those ranges.
     */
    void createNodes(KubernetesClient client, Map<String, Cidr> podCidrs) {
        podCidrs.forEach((name, cidr) -> {
            if (client.nodes().withName(name).get() != null) {
                return;
            }
            try {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .addToLabels("kubernetes.io/hostname", name).endMetadata()
                        .withNewSpec().withPodCIDR(cidr.toString()).withPodCIDRs(cidr.toString()).endSpec().build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new PolykubeException("cluster '" + clusterName + "': cannot create node " + name + ": " + e.getMessage(), e);
                }
            }
        });
    }

    /**
     * Approves the pending serving-certificate requests of the given workers: signer {@code kubernetes.io/kubelet-serving},
     * requested by {@code system:node:<worker>}, for no other name than the worker's and no other address than its node IP.
     * Others are left alone.
     *
     * @return the workers whose request was approved now
     */
    List<String> approveServingCertificates(KubernetesClient client, Map<String, InetAddress> workers) {
        List<String> approved = new ArrayList<>();
        for (CertificateSigningRequest csr : client.certificates().v1().certificateSigningRequests().list().getItems()) {
            var spec = csr.getSpec();
            boolean decided = csr.getStatus() != null && csr.getStatus().getConditions() != null
                    && !csr.getStatus().getConditions().isEmpty();
            if (decided || !KUBELET_SERVING.equals(spec.getSignerName()) || spec.getUsername() == null
                    || !spec.getUsername().startsWith("system:node:")) {
                continue;
            }
            String node = spec.getUsername().substring("system:node:".length());
            InetAddress ip = workers.get(node);
            if (ip == null) {
                continue;
            }
            String problem = checkNames(spec.getRequest(), node, ip);
            if (problem != null) {
                LOG.warn("Cluster '{}': not approving {} of node {}: {}", clusterName, csr.getMetadata().getName(), node, problem);
                continue;
            }
            client.certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName())
                    .approve(new CertificateSigningRequestConditionBuilder().withType("Approved").withStatus("True")
                            .withReason("PolykubeApproved").withMessage("polykube started node " + node + " at " + ip.getHostAddress())
                            .build());
            approved.add(node);
        }
        return approved;
    }

    /** Null when the request names only {@code node} (DNS) and {@code ip}; else what is wrong. */
    static String checkNames(String base64Request, String node, InetAddress ip) {
        try (PEMParser parser = new PEMParser(new StringReader(new String(Base64.getDecoder().decode(base64Request), StandardCharsets.UTF_8)))) {
            Object o = parser.readObject();
            if (!(o instanceof PKCS10CertificationRequest request)) {
                return "not a PEM certificate request";
            }
            if (!request.getSubject().toString().contains("CN=system:node:" + node)) {
                return "subject " + request.getSubject() + " is not system:node:" + node;
            }
            Set<String> names = new HashSet<>();
            for (var attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
                GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (sans == null) {
                    continue;
                }
                for (GeneralName n : sans.getNames()) {
                    if (n.getTagNo() == GeneralName.dNSName) {
                        names.add("dns:" + n.getName().toString());
                    } else if (n.getTagNo() == GeneralName.iPAddress) {
                        byte[] raw = org.bouncycastle.asn1.DEROctetString.getInstance(n.getName()).getOctets();
                        names.add("ip:" + InetAddress.getByAddress(raw).getHostAddress());
                    } else {
                        names.add("other:" + n);
                    }
                }
            }
            Set<String> allowed = Set.of("dns:" + node, "ip:" + ip.getHostAddress());
            if (!allowed.containsAll(names)) {
                names.removeAll(allowed);
                return "it asks for names polykube did not give the node: " + names;
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return "unreadable request: " + e.getMessage();
        }
    }
}
