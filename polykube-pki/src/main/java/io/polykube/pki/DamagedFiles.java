package io.polykube.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;

/**
 * Refuses a finished PKI (its spec fingerprint in place) whose leaf certificates or keys were damaged afterwards: a file that
 * is present with content but does not parse (corrupt, truncated), or a key that does not belong to its certificate. Such a
 * file is not what polykube wrote, so it is not silently replaced: the error names the file and how to fix it. An empty or
 * missing file is left to the caller, which issues new leaves (a power loss can leave a file written without fsync empty).
 */
final class DamagedFiles {

    private DamagedFiles() {
    }

    static void check(PkiLayout layout, List<ClusterCertificates.Leaf> leaves) {
        for (ClusterCertificates.Leaf leaf : leaves) {
            PkiLayout.Files files = layout.pair(leaf.name());
            X509Certificate cert = parse(files.cert(), Pem::readCertificate, "certificate", leafFix(files));
            PrivateKey key = parse(files.key(), Pem::readPrivateKey, "private key", leafFix(files));
            if (cert != null && key != null && !KeyPairs.matches(cert.getPublicKey(), key)) {
                throw new PkiException("private key " + files.key() + " does not belong to certificate " + files.cert()
                        + ": restore the matching key from a backup, or " + leafFix(files));
            }
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

    private static String leafFix(PkiLayout.Files files) {
        return "delete " + files.cert() + " and " + files.key() + " to have polykube issue new ones from the cluster CA at"
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
            throw new PkiException(file + " is not a valid " + what + " (corrupt or truncated: " + e.getMessage() + "): " + fix
                    + ". Nothing was started and no file was changed.", e);
        }
    }
}
