package io.polykube.config.flags;

import io.polykube.config.internal.Check;
import io.polykube.net.Cidr;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Typed flags of {@code kube-apiserver}. */
public final class KubeApiServerFlags extends ComponentFlags<KubeApiServerFlags> {
    private KubeApiServerFlags() {
        super("kube-apiserver");
    }

    public static KubeApiServerFlags builder() {
        return new KubeApiServerFlags();
    }

    public KubeApiServerFlags advertiseAddress(InetAddress address) {
        return address("advertise-address", address);
    }

    public KubeApiServerFlags bindAddress(InetAddress address) {
        return address("bind-address", address);
    }

    public KubeApiServerFlags securePort(int port) {
        return port("secure-port", port);
    }

    public KubeApiServerFlags etcdServers(List<URI> servers) {
        return list("etcd-servers", servers);
    }

    /** The etcd client certificate, key and the CA that signs etcd's server certificate. */
    public KubeApiServerFlags etcdTls(Path caFile, Path certFile, Path keyFile) {
        path("etcd-cafile", caFile);
        path("etcd-certfile", certFile);
        return path("etcd-keyfile", keyFile);
    }

    public KubeApiServerFlags clientCaFile(Path file) {
        return path("client-ca-file", file);
    }

    public KubeApiServerFlags tls(Path certFile, Path keyFile) {
        path("tls-cert-file", certFile);
        return path("tls-private-key-file", keyFile);
    }

    public KubeApiServerFlags serviceClusterIpRange(String cidr) {
        return serviceClusterIpRange(Check.cidr("kube-apiserver --service-cluster-ip-range", cidr));
    }

    public KubeApiServerFlags serviceClusterIpRange(Cidr cidr) {
        return text("service-cluster-ip-range", Check.required("kube-apiserver --service-cluster-ip-range", cidr).toString());
    }

    public KubeApiServerFlags serviceAccountIssuer(URI issuer) {
        return uri("service-account-issuer", issuer);
    }

    public KubeApiServerFlags serviceAccountKeyFile(Path file) {
        return path("service-account-key-file", file);
    }

    public KubeApiServerFlags serviceAccountSigningKeyFile(Path file) {
        return path("service-account-signing-key-file", file);
    }

    /** E.g. {@code List.of("Node", "RBAC")}. */
    public KubeApiServerFlags authorizationModes(List<String> modes) {
        return list("authorization-mode", modes);
    }

    public KubeApiServerFlags enableAdmissionPlugins(List<String> plugins) {
        return list("enable-admission-plugins", plugins);
    }

    public KubeApiServerFlags anonymousAuth(boolean enabled) {
        return bool("anonymous-auth", enabled);
    }

    public KubeApiServerFlags allowPrivileged(boolean allowed) {
        return bool("allow-privileged", allowed);
    }

    /** The client certificate the apiserver shows to kubelets, and the CA that signs kubelets' serving certificates. */
    public KubeApiServerFlags kubeletClient(Path certFile, Path keyFile, Path kubeletCaFile) {
        path("kubelet-client-certificate", certFile);
        path("kubelet-client-key", keyFile);
        return path("kubelet-certificate-authority", kubeletCaFile);
    }

    /** The front proxy (aggregation layer): its client CA, the apiserver's proxy client cert and key. */
    public KubeApiServerFlags frontProxy(Path requestHeaderClientCaFile, Path proxyClientCertFile,
                                         Path proxyClientKeyFile, List<String> allowedNames) {
        path("requestheader-client-ca-file", requestHeaderClientCaFile);
        path("proxy-client-cert-file", proxyClientCertFile);
        path("proxy-client-key-file", proxyClientKeyFile);
        list("requestheader-allowed-names", allowedNames);
        list("requestheader-username-headers", List.of("X-Remote-User"));
        list("requestheader-group-headers", List.of("X-Remote-Group"));
        return list("requestheader-extra-headers-prefix", List.of("X-Remote-Extra-"));
    }

    public KubeApiServerFlags serviceNodePortRange(int first, int last) {
        io.polykube.config.internal.Check.port("kube-apiserver --service-node-port-range", first);
        io.polykube.config.internal.Check.port("kube-apiserver --service-node-port-range", last);
        if (first > last) {
            throw new io.polykube.config.ConfigException("kube-apiserver --service-node-port-range",
                    first + "-" + last + " is empty: the first port must not exceed the last");
        }
        return text("service-node-port-range", first + "-" + last);
    }

    public KubeApiServerFlags profiling(boolean enabled) {
        return bool("profiling", enabled);
    }

    /** {@code --encryption-provider-config}: an {@code EncryptionConfiguration} file. */
    public KubeApiServerFlags encryptionProviderConfig(Path file) {
        return path("encryption-provider-config", file);
    }

    /** {@code --tls-min-version} and {@code --tls-cipher-suites}, e.g. {@link StrongTls}. */
    public KubeApiServerFlags tlsCiphers(String minVersion, List<String> cipherSuites) {
        text("tls-min-version", minVersion);
        return list("tls-cipher-suites", cipherSuites);
    }

    /** {@code --audit-policy-file}. */
    public KubeApiServerFlags auditPolicyFile(Path file) {
        return path("audit-policy-file", file);
    }

    /** The log backend of auditing: JSON lines in {@code file}, rotated at {@code maxSizeMb}, keeping {@code maxBackups} files for {@code maxAgeDays}. */
    public KubeApiServerFlags auditLog(Path file, int maxSizeMb, int maxBackups, int maxAgeDays) {
        if (maxSizeMb < 1 || maxBackups < 0 || maxAgeDays < 0) {
            throw new io.polykube.config.ConfigException("kube-apiserver --audit-log-*", "size " + maxSizeMb + " MB, "
                    + maxBackups + " backups, " + maxAgeDays + " days: the size must be at least 1 MB, the others not negative");
        }
        path("audit-log-path", file);
        text("audit-log-format", "json");
        number("audit-log-maxsize", maxSizeMb);
        number("audit-log-maxbackup", maxBackups);
        return number("audit-log-maxage", maxAgeDays);
    }
}
