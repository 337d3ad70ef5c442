package io.polykube.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a cluster PKI from its directory and decides what to reuse: a CA is reused unless it
 * expires within renewBefore; the leaves are reused only if every CA was, the stored spec
 * fingerprint matches and every leaf is sound. Everything new is issued in memory before the
 * first byte is written; the fingerprint is written last. New CAs are written durably (fsync);
 * leaves, service-account keys and the fingerprint are written atomically but without fsync,
 * which keeps issuing fast: every one of them is verified on the next load and re-issued if a
 * power loss left it empty or inconsistent. A leaf file with content that does not parse, or a key
 * that does not belong to its certificate, was damaged by someone else: it is refused with the
 * file's name and the fix ({@link DamagedFiles}), not silently replaced.
 */
final class ClusterPkiLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPkiLoader.class);

    private final PkiLayout layout;
    private final ClusterPkiSpec spec;
    private final Clock clock;

    ClusterPkiLoader(Path dir, ClusterPkiSpec spec, Clock clock) {
        this.layout = new PkiLayout(dir.toAbsolutePath().normalize());
        this.spec = spec;
        this.clock = clock;
    }

    ClusterPki loadOrCreate(boolean fresh) {
        long start = System.nanoTime();
        requireUsableDirectory();
        Instant now = clock.instant();
        Map<Signer, CertificateAuthority> cas = new EnumMap<>(Signer.class);
        List<String> reasons = new ArrayList<>();
        if (fresh) {
            reasons.add("a fresh PKI was requested");
        } else {
            for (Signer signer : Signer.values()) {
                loadCa(signer, now).ifPresentOrElse(ca -> cas.put(signer, ca),
                        () -> reasons.add(signer.files(layout).cert() + " is missing or expiring"));
            }
        }
        if (reasons.isEmpty()) {
            leafProblem(cas, now).ifPresent(reasons::add);
        }
        boolean reused = reasons.isEmpty();
        if (reused) {
            LOG.debug("Reusing cluster PKI in {}", layout.dir());
        } else {
            LOG.info("Issuing cluster PKI in {} ({})", layout.dir(), reasons.get(0));
            issue(cas);
        }
        ClusterPki pki = new ClusterPki(layout, spec, cas, clock, reused);
        spec.users().forEach(pki::issueUser);
        LOG.debug("Cluster PKI in {} ready in {} ms", layout.dir(), (System.nanoTime() - start) / 1_000_000);
        return pki;
    }

    private void requireUsableDirectory() {
        Path dir = layout.dir();
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !Files.isReadable(dir))) {
            throw new PkiException("PKI directory " + dir + " is not a readable directory: remove it or choose another");
        }
    }

    /** The stored CA if present and not expiring; fails on a CA that is present but broken. */
    private Optional<CertificateAuthority> loadCa(Signer signer, Instant now) {
        PkiLayout.Files files = signer.files(layout);
        if (!Files.exists(files.cert())) {
            return Optional.empty();
        }
        if (!Files.exists(files.key())) {
            throw new PkiException("CA certificate " + files.cert() + " exists but its key " + files.key()
                    + " does not: restore the key, or delete the certificate to create a new CA");
        }
        CertificateAuthority ca = CertificateAuthority.load(files.cert(), files.key(), clock);
        Optional<String> expiry = StoredCertificates.expiry(ca.certificate(), now, spec.renewBefore());
        expiry.ifPresent(reason -> LOG.warn("Renewing CA {}: {}", files.cert(), reason));
        return expiry.isPresent() ? Optional.empty() : Optional.of(ca);
    }

    private Optional<String> leafProblem(Map<Signer, CertificateAuthority> cas, Instant now) {
        if (!spec.fingerprint().equals(storedFingerprint())) {
            return Optional.of("the stored spec fingerprint " + layout.fingerprint() + " is missing or differs");
        }
        Optional<String> leafProblem = ClusterCertificates.leaves(spec).parallelStream()
                .map(leaf -> StoredCertificates.problem(layout.pair(leaf.name()), cas.get(leaf.signer()), now,
                        spec.renewBefore()))
                .flatMap(Optional::stream)
                .findFirst();
        Optional<String> problem = leafProblem.isPresent() ? leafProblem : serviceAccountProblem();
        if (problem.isPresent()) {
            // only now (off the fast path): a file someone damaged is an error, not a reason to replace every leaf
            DamagedFiles.check(layout, ClusterCertificates.leaves(spec));
        }
        return problem;
    }

    private Optional<String> serviceAccountProblem() {
        try {
            if (!KeyPairs.matches(Pem.readPublicKey(layout.serviceAccountPublicKey()),
                    Pem.readPrivateKey(layout.serviceAccountKey()))) {
                return Optional.of(layout.serviceAccountKey() + " does not match " + layout.serviceAccountPublicKey());
            }
        } catch (PkiException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    private String storedFingerprint() {
        try {
            return Files.readString(layout.fingerprint(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** Issues new CAs where missing, then every leaf and the service-account key, then writes. */
    private void issue(Map<Signer, CertificateAuthority> cas) {
        SecureFiles.requireWritableDirectory(layout.dir());
        Map<Signer, CertificateAuthority> newCas = new EnumMap<>(Signer.class);
        for (Signer signer : Signer.values()) {
            if (!cas.containsKey(signer)) {
                newCas.put(signer, CertificateAuthority.generate(signer.commonName(), spec.caValidity(),
                        spec.keyAlgorithm(), clock));
            }
        }
        cas.putAll(newCas);
        List<ClusterCertificates.Leaf> leaves = ClusterCertificates.leaves(spec);
        List<IssuedCertificate> issued = leaves.parallelStream()
                .map(leaf -> cas.get(leaf.signer()).issue(leaf.spec()))
                .collect(Collectors.toList());
        KeyPair serviceAccount = spec.keyAlgorithm().generateKeyPair(new SecureRandom());

        deleteFingerprint();
        newCas.forEach((signer, ca) -> ca.write(signer.files(layout).cert(), signer.files(layout).key()));
        for (int i = 0; i < leaves.size(); i++) {
            PkiLayout.Files files = layout.pair(leaves.get(i).name());
            issued.get(i).write(files.cert(), files.key(), false);
        }
        SecureFiles.write(layout.serviceAccountKey(), Pem.privateKey(serviceAccount.getPrivate()), SecureFiles.PRIVATE, false);
        SecureFiles.write(layout.serviceAccountPublicKey(), Pem.publicKey(serviceAccount.getPublic()), SecureFiles.PUBLIC,
                false);
        SecureFiles.write(layout.fingerprint(), spec.fingerprint() + "\n", SecureFiles.PUBLIC, false);
    }

    private void deleteFingerprint() {
        try {
            Files.deleteIfExists(layout.fingerprint());
        } catch (IOException e) {
            throw new PkiException("Cannot delete " + layout.fingerprint() + ": " + e
                    + "; check the permissions of " + layout.dir(), e);
        }
    }
}
