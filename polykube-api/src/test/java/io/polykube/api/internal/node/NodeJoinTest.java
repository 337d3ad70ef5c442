package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** polykube approves a kubelet's serving-certificate request only for the worker's own name and node IP. */
class NodeJoinTest {
    private static final InetAddress IP = address("10.244.255.2");

    @Test
    void approvesOnlyTheWorkersOwnNameAndAddress() throws Exception {
        assertThat(NodeJoin.checkNames(request("system:node:worker-1", new GeneralName(GeneralName.dNSName, "worker-1"),
                new GeneralName(GeneralName.iPAddress, "10.244.255.2")), "worker-1", IP)).isNull();
        assertThat(NodeJoin.checkNames(request("system:node:worker-1", new GeneralName(GeneralName.dNSName, "worker-1"),
                new GeneralName(GeneralName.iPAddress, "10.0.0.9")), "worker-1", IP)).contains("ip:10.0.0.9");
        assertThat(NodeJoin.checkNames(request("system:node:worker-1", new GeneralName(GeneralName.dNSName, "kubernetes.default")),
                "worker-1", IP)).contains("dns:kubernetes.default");
        assertThat(NodeJoin.checkNames(request("system:node:worker-2", new GeneralName(GeneralName.dNSName, "worker-1")),
                "worker-1", IP)).contains("is not system:node:worker-1");
        assertThat(NodeJoin.checkNames(Base64.getEncoder().encodeToString("junk".getBytes(StandardCharsets.UTF_8)), "worker-1", IP))
                .isNotNull();
    }

    private static String request(String commonName, GeneralName... sans) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=system:nodes,CN=" + commonName), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(csr);
        }
        return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
