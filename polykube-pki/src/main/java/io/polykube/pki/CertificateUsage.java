package io.polykube.pki;

/**
 * What a leaf certificate is for. It decides the extended key usages (serverAuth, clientAuth);
 * the key usage is always digitalSignature (plus keyEncipherment for RSA keys).
 */
public enum CertificateUsage {
    CLIENT(false, true),
    SERVER(true, false),
    CLIENT_AND_SERVER(true, true);

    private final boolean server;
    private final boolean client;

    CertificateUsage(boolean server, boolean client) {
        this.server = server;
        this.client = client;
    }

    public boolean server() {
        return server;
    }

    public boolean client() {
        return client;
    }
}
