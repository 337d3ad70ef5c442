package io.polykube.config.flags;

import java.util.List;

/** The TLS settings polykube's servers use: TLS 1.2 or newer, and for TLS 1.2 only ECDHE key exchange with AEAD ciphers. */
public final class StrongTls {
    /** Go's name of the lowest TLS version accepted. */
    public static final String MIN_VERSION = "VersionTLS12";

    /** ECDHE with AES-GCM or ChaCha20-Poly1305, as the CIS Kubernetes Benchmark lists them (TLS 1.3 suites are fixed by Go). */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private StrongTls() {
    }
}
