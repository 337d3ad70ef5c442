package io.polykube.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.Component;
import io.polykube.api.Mode;
import io.polykube.config.flags.StrongTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CIS Kubernetes Benchmark (v1.10) controls that apply to a polykube control plane, checked on a running cluster:
 * the command lines of its processes ({@code /proc/<pid>/cmdline}) and the files it wrote. One test per control;
 * docs/cis.md lists the controls that do not apply or that polykube leaves off, with the reason.
 */
class CisDefaultsIT {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static Map<String, String> api;
    static Map<String, String> controllerManager;
    static Map<String, String> scheduler;
    static Map<String, String> etcd;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("cis-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .build().start();
        api = ProcessFlags.of(cluster, Component.KUBE_APISERVER);
        controllerManager = ProcessFlags.of(cluster, Component.KUBE_CONTROLLER_MANAGER);
        scheduler = ProcessFlags.of(cluster, Component.KUBE_SCHEDULER);
        etcd = ProcessFlags.of(cluster, Component.ETCD);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<Path> files(Path root, String glob) throws IOException {
        var matcher = root.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).filter(p -> matcher.matches(p.getFileName())).toList();
        }
    }

    // ---- 1.1 control-plane files

    @Test
    void cis_1_1_11_etcdDataDirectoryIs700() throws IOException {
        assertThat(mode(Path.of(etcd.get("data-dir")))).isEqualTo("rwx------");
    }

    @Test
    void cis_1_1_13_adminKubeconfigIs600() throws IOException {
        assertThat(mode(cluster.kubeconfig())).isEqualTo("rw-------");
    }

    @Test
    void cis_1_1_15_schedulerKubeconfigIs600() throws IOException {
        assertThat(mode(Path.of(scheduler.get("authentication-kubeconfig")))).isEqualTo("rw-------");
    }

    @Test
    void cis_1_1_17_controllerManagerKubeconfigIs600() throws IOException {
        assertThat(mode(Path.of(controllerManager.get("kubeconfig")))).isEqualTo("rw-------");
    }

    @Test
    void cis_1_1_21_everyPrivateKeyIs600() throws IOException {
        List<Path> keys = files(dir.resolve("pki"), "*.key");
        assertThat(keys).hasSizeGreaterThan(10).allSatisfy(k -> assertThat(mode(k)).as(k.toString()).isEqualTo("rw-------"));
    }

    @Test
    void everyConfigurationFilePolykubeWroteIs600() throws IOException {
        List<Path> configs = files(dir.resolve("config"), "*");
        assertThat(configs).extracting(p -> p.getFileName().toString())
                .contains("kube-scheduler.yaml", "audit-policy.yaml", "encryption-config.yaml");
        assertThat(configs).allSatisfy(c -> assertThat(mode(c)).as(c.toString()).isEqualTo("rw-------"));
    }

    @Test
    void everyKubeconfigIs600() throws IOException {
        assertThat(files(dir.resolve("kubeconfig"), "*.kubeconfig"))
                .allSatisfy(k -> assertThat(mode(k)).as(k.toString()).isEqualTo("rw-------"));
    }

    // ---- 1.2 API server

    @Test
    void cis_1_2_1_anonymousAuthIsOff() {
        assertThat(api).containsEntry("anonymous-auth", "false");
    }

    @Test
    void cis_1_2_2_noStaticTokenFile() {
        assertThat(api).doesNotContainKey("token-auth-file");
    }

    @Test
    void cis_1_2_4_kubeletClientCertificateAndKey() {
        assertThat(api).containsKeys("kubelet-client-certificate", "kubelet-client-key");
    }

    @Test
    void cis_1_2_5_kubeletCertificateAuthority() {
        assertThat(api).containsKey("kubelet-certificate-authority");
    }

    @Test
    void cis_1_2_6to8_authorizationModeIsNodeAndRbacNotAlwaysAllow() {
        assertThat(List.of(api.get("authorization-mode").split(","))).containsExactly("Node", "RBAC");
    }

    @Test
    void cis_1_2_10_and_14_admissionHasNodeRestrictionAndNoAlwaysAdmit() {
        assertThat(List.of(api.get("enable-admission-plugins").split(","))).contains("NodeRestriction").doesNotContain("AlwaysAdmit");
    }

    @Test
    void cis_1_2_12_and_13_noDefaultAdmissionPluginIsDisabled() {
        assertThat(api).doesNotContainKey("disable-admission-plugins");
    }

    @Test
    void cis_1_2_15_apiServerProfilingIsOff() {
        assertThat(api).containsEntry("profiling", "false");
    }

    @Test
    void cis_1_2_16_auditLogPathIsInTheClusterLogs() {
        assertThat(api).containsEntry("audit-log-path", dir.resolve("logs/audit.log").toString());
    }

    @Test
    void cis_1_2_17to19_auditLogIsKept30DaysIn10FilesOf100Mb() {
        assertThat(api).containsEntry("audit-log-maxage", "30").containsEntry("audit-log-maxbackup", "10")
                .containsEntry("audit-log-maxsize", "100");
    }

    @Test
    void cis_1_2_21_serviceAccountLookupIsNotOff() {
        assertThat(api.getOrDefault("service-account-lookup", "true")).isEqualTo("true");
    }

    @Test
    void cis_1_2_22_serviceAccountKeyFile() {
        assertThat(api).containsKey("service-account-key-file");
    }

    @Test
    void cis_1_2_23_etcdClientCertificateAndKey() {
        assertThat(api).containsKeys("etcd-certfile", "etcd-keyfile");
    }

    @Test
    void cis_1_2_24_servingCertificateAndKey() {
        assertThat(api).containsKeys("tls-cert-file", "tls-private-key-file");
    }

    @Test
    void cis_1_2_25_clientCaFile() {
        assertThat(api).containsKey("client-ca-file");
    }

    @Test
    void cis_1_2_26_etcdCaFile() {
        assertThat(api).containsKey("etcd-cafile");
    }

    @Test
    void cis_1_2_27_encryptionProviderConfig() {
        assertThat(api).containsKey("encryption-provider-config");
    }

    @Test
    void cis_1_2_28_secretsAreEncryptedWithSecretboxFirst() throws IOException {
        String config = Files.readString(Path.of(api.get("encryption-provider-config")));
        assertThat(config.indexOf("secretbox")).isPositive().isLessThan(config.indexOf("identity"));
    }

    @Test
    void cis_1_2_29_apiServerUsesOnlyStrongCiphersFromTls12() {
        assertThat(api).containsEntry("tls-cipher-suites", String.join(",", StrongTls.CIPHER_SUITES))
                .containsEntry("tls-min-version", "VersionTLS12");
    }

    // ---- 1.3 controller manager

    @Test
    void cis_1_3_2_controllerManagerProfilingIsOff() {
        assertThat(controllerManager).containsEntry("profiling", "false");
    }

    @Test
    void cis_1_3_3_controllersUseTheirOwnServiceAccounts() {
        assertThat(controllerManager).containsEntry("use-service-account-credentials", "true");
    }

    @Test
    void cis_1_3_4_serviceAccountPrivateKeyFile() {
        assertThat(controllerManager).containsKey("service-account-private-key-file");
    }

    @Test
    void cis_1_3_5_rootCaFile() {
        assertThat(controllerManager).containsKey("root-ca-file");
    }

    @Test
    void cis_1_3_6_kubeletServerCertificateRotationIsNotTurnedOff() {
        assertThat(controllerManager.getOrDefault("feature-gates", "")).doesNotContain("RotateKubeletServerCertificate=false");
    }

    @Test
    void cis_1_3_7_controllerManagerBindsToLoopback() {
        assertThat(controllerManager).containsEntry("bind-address", "127.0.0.1");
    }

    @Test
    void controllerManagerUsesOnlyStrongCiphers() {
        assertThat(controllerManager).containsEntry("tls-cipher-suites", String.join(",", StrongTls.CIPHER_SUITES));
    }

    // ---- 1.4 scheduler

    @Test
    void cis_1_4_1_schedulerProfilingIsOffInItsConfigFile() throws IOException {
        // kube-scheduler ignores --profiling when --config is given: the setting is in the file
        assertThat(Files.readString(Path.of(scheduler.get("config")))).contains("enableProfiling: false");
    }

    @Test
    void cis_1_4_2_schedulerBindsToLoopback() {
        assertThat(scheduler).containsEntry("bind-address", "127.0.0.1");
    }

    @Test
    void schedulerUsesOnlyStrongCiphers() {
        assertThat(scheduler).containsEntry("tls-cipher-suites", String.join(",", StrongTls.CIPHER_SUITES));
    }

    // ---- 2 etcd

    @Test
    void cis_2_1_etcdServesTls() {
        assertThat(etcd).containsKeys("cert-file", "key-file");
    }

    @Test
    void cis_2_2_etcdRequiresClientCertificates() {
        assertThat(etcd).containsEntry("client-cert-auth", "true");
    }

    @Test
    void cis_2_3_etcdHasNoAutoTls() {
        assertThat(etcd.getOrDefault("auto-tls", "false")).isEqualTo("false");
    }

    @Test
    void cis_2_4_etcdPeersUseTls() {
        assertThat(etcd).containsKeys("peer-cert-file", "peer-key-file");
    }

    @Test
    void cis_2_5_etcdPeersNeedClientCertificates() {
        assertThat(etcd).containsEntry("peer-client-cert-auth", "true");
    }

    @Test
    void cis_2_6_etcdPeersHaveNoAutoTls() {
        assertThat(etcd.getOrDefault("peer-auto-tls", "false")).isEqualTo("false");
    }

    @Test
    void cis_2_7_etcdHasItsOwnCa() {
        assertThat(etcd.get("trusted-ca-file")).isNotEqualTo(api.get("client-ca-file"));
    }
}
