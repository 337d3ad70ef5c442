package io.polykube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    @Test
    void writesPkcs8ThatTheJdkReadsWithoutBouncyCastle() throws Exception {
        KeyPair pair = KeyAlgorithm.ECDSA_P256.generateKeyPair(new SecureRandom());
        String pem = Pem.privateKey(pair.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey read = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        assertThat(read).isEqualTo(pair.getPrivate());
        assertThat(pem.lines().filter(l -> !l.startsWith("-----")).allMatch(l -> l.length() <= 64)).isTrue();
    }

    @Test
    void givesClientsAnEcKeyAsSec1WithItsCurveAndAnyOtherAsPkcs8() throws Exception {
        KeyPair ec = KeyAlgorithm.ECDSA_P256.generateKeyPair(new SecureRandom());
        String pem = Pem.privateKeyForClients(ec.getPrivate());

        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----\n").endsWith("-----END EC PRIVATE KEY-----\n");
        assertThat(Pem.parsePrivateKey(pem)).isEqualTo(ec.getPrivate());
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                Base64.getDecoder().decode(body));
        assertThat(sec1.getParametersObject()).as("the named curve (P-256)")
                .hasToString(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1.getId());

        KeyPair rsa = KeyAlgorithm.RSA_2048.generateKeyPair(new SecureRandom());
        assertThat(Pem.privateKeyForClients(rsa.getPrivate())).isEqualTo(Pem.privateKey(rsa.getPrivate()));
    }

    @Test
    void roundTripsCertificatesAndKeys() {
        CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        IssuedCertificate leaf = ca.issue(CertificateSpec.builder("x").client().build());

        assertThat(Pem.parseCertificate(leaf.certificatePem())).isEqualTo(leaf.certificate());
        assertThat(Pem.parsePrivateKey(leaf.privateKeyPem())).isEqualTo(leaf.privateKey());
        assertThat(Pem.parseCertificates(leaf.certificatePem() + ca.certificatePem()))
                .containsExactly(leaf.certificate(), ca.certificate());
        assertThat(Pem.parsePublicKey(Pem.publicKey(leaf.certificate().getPublicKey())))
                .isEqualTo(leaf.certificate().getPublicKey());
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        KeyPair pair = KeyAlgorithm.RSA_2048.generateKeyPair(new SecureRandom());
        StringWriter pkcs1 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
            writer.writeObject(pair);
        }

        assertThat(pkcs1.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(KeyPairs.matches(pair.getPublic(), Pem.parsePrivateKey(pkcs1.toString()))).isTrue();
    }

    @Test
    void explainsWhatIsWrongWithBadInput() {
        assertThatThrownBy(() -> Pem.parseCertificate("hello")).isInstanceOf(PkiException.class)
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> Pem.parsePrivateKey("hello")).isInstanceOf(PkiException.class)
                .hasMessageContaining("no PEM block");
        String cert = CertificateAuthority.generate("ca", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256).certificatePem();
        assertThatThrownBy(() -> Pem.parsePrivateKey(cert)).isInstanceOf(PkiException.class)
                .hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> Pem.readCertificate(dir.resolve("missing.crt"))).isInstanceOf(PkiException.class)
                .hasMessageContaining("missing.crt");
    }

    @Test
    void writesKeys0600AndCertificates0644AtomicallyLeavingNoTempFiles() throws Exception {
        IssuedCertificate leaf = CertificateAuthority.generate("ca", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256)
                .issue(CertificateSpec.builder("x").client().build());
        Path cert = dir.resolve("sub/x.crt");
        Path key = dir.resolve("sub/x.key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        leaf.write(cert, key);
        leaf.write(cert, key);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-r--r--");
        assertThat(Pem.readPrivateKey(key)).isEqualTo(leaf.privateKey());
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("x.crt", "x.key");
        }
    }
}
