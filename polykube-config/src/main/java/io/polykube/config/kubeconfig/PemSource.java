package io.polykube.config.kubeconfig;

import io.polykube.config.internal.Check;

import java.nio.file.Path;

/**
 * Where a certificate or key in a kubeconfig comes from: a file the reader opens ({@link File},
 * rendered as {@code certificate-authority}, {@code client-certificate}, ...) or PEM text embedded
 * in the kubeconfig ({@link Data}, rendered base64-encoded as the {@code ...-data} fields).
 */
public sealed interface PemSource permits PemSource.File, PemSource.Data {

    /** A reference to an absolute file path; the file is read by the kubeconfig's user, not now. */
    static PemSource file(Path path) {
        return new File(path);
    }

    /** PEM text to embed. */
    static PemSource data(String pem) {
        return new Data(pem);
    }

    /** A file reference. */
    record File(Path path) implements PemSource {
        public File {
            path = Check.absolute("path", path);
        }
    }

    /** Embedded PEM text. */
    record Data(String pem) implements PemSource {
        public Data {
            Check.pem("pem", pem);
        }

        @Override
        public String toString() {
            return "Data[" + pem.length() + " chars]"; // may hold a private key: never print it
        }
    }
}
