/**
 * The PKI of a Kubernetes cluster, with BouncyCastle; knows X.509, not processes.
 *
 * <ul>
 *   <li>{@link io.polykube.pki.CertificateAuthority} and {@link io.polykube.pki.CertificateSpec}:
 *       generate or load a CA, issue leaf certificates with fresh ECDSA P-256 or RSA keys.</li>
 *   <li>{@link io.polykube.pki.ClusterPki} with {@link io.polykube.pki.ClusterPkiSpec}: the whole set
 *       a single-node cluster needs, in the kubeadm layout, reused while the spec and validity
 *       allow.</li>
 *   <li>{@link io.polykube.pki.Pem}: PEM read/write; private keys are PKCS#8, files are written
 *       atomically, keys 0600, certificates 0644.</li>
 * </ul>
 *
 * Every failure is a {@link io.polykube.pki.PkiException} whose message says what to fix.
 */
package io.polykube.pki;
