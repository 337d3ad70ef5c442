package io.polykube.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Refuses leaf certificates and keys of a cluster PKI that were damaged after polykube wrote them: a file that is present
 * with content but does not parse (corrupt, truncated), or a key that does not belong to its certificate. Such a file is
 * not silently replaced: the error names the file and how to fix it. An empty or missing file is left to the caller,
 * which issues a new pair (a power loss can leave a file written without fsync empty).
 */
public final class DamagedFiles {

    private DamagedFiles() {
    }

    static void check(PkiLayout layout, List<ClusterCertificates.Leaf> leaves) {
        for (ClusterCertificates.Leaf leaf : leaves) {
            PkiLayout.Files files = layout.pair(leaf.name());
            intactPair(files.cert(), files.key(), leafFix(files.cert(), files.key()));
        }
        String saFix = "delete " + layout.serviceAccountKey() + " and " + layout.serviceAccountPublicKey()
                + " to have polykube make a new pair at the next start (service account tokens issued before stop working)";
        PrivateKey saKey = parse(layout.serviceAccountKey(), Pem::readPrivateKey, "private key", saFix);
        PublicKey saPub = parse(layout.serviceAccountPublicKey(), Pem::readPublicKey, "public key", saFix);
        if (saKey != null && saPub != null && !KeyPairs.matches(saPub, saKey)) {
            throw new PkiException("service account key " + layout.serviceAccountKey() + " does not belong to "
                    + layout.serviceAccountPublicKey() + ": restore the matching pair from a backup, or " + saFix);
        }
    }

    /**
     * The certificate of a stored pair when both files parse and the key belongs to the certificate; empty when either
     * file is missing or empty (issue a new pair). Throws, naming the file and {@code fix}, when a file has content that
     * does not parse or the key does not match.
     */
    public static Optional<X509Certificate> intactPair(Path certFile, Path keyFile, String fix) {
        X509Certificate cert = parse(certFile, Pem::readCertificate, "certificate", fix);
        PrivateKey key = parse(keyFile, Pem::readPrivateKey, "private key", fix);
        if (cert != null && key != null && !KeyPairs.matches(cert.getPublicKey(), key)) {
            throw new PkiException("private key " + keyFile + " does not belong to certificate " + certFile
                    + ": restore the matching key from a backup, or " + fix);
        }
        return cert == null || key == null ? Optional.empty() : Optional.of(cert);
    }

    /** The usual fix for a damaged leaf pair: delete it and let polykube issue a new one. */
    public static String leafFix(Path certFile, Path keyFile) {
        return "delete " + certFile + " and " + keyFile + " to have polykube issue new ones from the cluster CA at"
                + " the next start (or delete the cluster directory to start over)";
    }

    /** The parsed file, or null when it is missing or empty; throws when it has content that does not parse. */
    private static <T> T parse(Path file, Function<Path, T> reader, String what, String fix) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return null;
            }
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + " (" + e.getMessage() + "): check its permissions, or " + fix, e);
        }
        try {
            return reader.apply(file);
        } catch (PkiException e) {
            throw new PkiException(file + " is not a valid " + what + " (corrupt or truncated: " + e.getMessage() + "): "
                    + fix, e);
        }
    }
}
