package io.polykube.config.flags;

import io.polykube.config.internal.Check;
import io.polykube.net.Cidr;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** Typed flags of {@code kube-controller-manager}. */
public final class KubeControllerManagerFlags extends ComponentFlags<KubeControllerManagerFlags> {
    private KubeControllerManagerFlags() {
        super("kube-controller-manager");
    }

    public static KubeControllerManagerFlags builder() {
        return new KubeControllerManagerFlags();
    }

    /** Sets {@code --kubeconfig}, {@code --authentication-kubeconfig} and {@code --authorization-kubeconfig}. */
    public KubeControllerManagerFlags kubeconfig(Path file) {
        path("kubeconfig", file);
        path("authentication-kubeconfig", file);
        return path("authorization-kubeconfig", file);
    }

    public KubeControllerManagerFlags bindAddress(InetAddress address) {
        return address("bind-address", address);
    }

    public KubeControllerManagerFlags securePort(int port) {
        return port("secure-port", port);
    }

    public KubeControllerManagerFlags leaderElect(boolean value) {
        return bool("leader-elect", value);
    }

    /** The CA certificate and key that sign CSRs. */
    public KubeControllerManagerFlags clusterSigning(Path certFile, Path keyFile) {
        path("cluster-signing-cert-file", certFile);
        return path("cluster-signing-key-file", keyFile);
    }

    public KubeControllerManagerFlags rootCaFile(Path file) {
        return path("root-ca-file", file);
    }

    public KubeControllerManagerFlags serviceAccountPrivateKeyFile(Path file) {
        return path("service-account-private-key-file", file);
    }

    public KubeControllerManagerFlags useServiceAccountCredentials(boolean value) {
        return bool("use-service-account-credentials", value);
    }

    /** Sets {@code --cluster-cidr} and {@code --allocate-node-cidrs=true}. */
    public KubeControllerManagerFlags allocateNodeCidrs(String clusterCidr) {
        return allocateNodeCidrs(Check.cidr("kube-controller-manager --cluster-cidr", clusterCidr));
    }

    /** Sets {@code --cluster-cidr} and {@code --allocate-node-cidrs=true}. */
    public KubeControllerManagerFlags allocateNodeCidrs(Cidr clusterCidr) {
        text("cluster-cidr", Check.required("kube-controller-manager --cluster-cidr", clusterCidr).toString());
        return bool("allocate-node-cidrs", true);
    }

    public KubeControllerManagerFlags serviceClusterIpRange(String cidr) {
        return serviceClusterIpRange(Check.cidr("kube-controller-manager --service-cluster-ip-range", cidr));
    }

    public KubeControllerManagerFlags serviceClusterIpRange(Cidr cidr) {
        return text("service-cluster-ip-range",
                Check.required("kube-controller-manager --service-cluster-ip-range", cidr).toString());
    }

    /** E.g. {@code List.of("*", "-bootstrapsigner")}. */
    public KubeControllerManagerFlags controllers(List<String> controllers) {
        return list("controllers", controllers);
    }

    public KubeControllerManagerFlags clusterName(String name) {
        return text("cluster-name", name);
    }

    public KubeControllerManagerFlags tls(Path certFile, Path keyFile) {
        path("tls-cert-file", certFile);
        return path("tls-private-key-file", keyFile);
    }

    public KubeControllerManagerFlags profiling(boolean enabled) {
        return bool("profiling", enabled);
    }

    /** {@code --tls-min-version} and {@code --tls-cipher-suites}, e.g. {@link StrongTls}. */
    public KubeControllerManagerFlags tlsCiphers(String minVersion, List<String> cipherSuites) {
        text("tls-min-version", minVersion);
        return list("tls-cipher-suites", cipherSuites);
    }
}
