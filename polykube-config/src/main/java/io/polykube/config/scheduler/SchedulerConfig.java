package io.polykube.config.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.nio.file.Path;

/**
 * A {@code KubeSchedulerConfiguration} ({@code kubescheduler.config.k8s.io/v1}) with the kubeconfig
 * and, for a one-node cluster with one scheduler, leader election off (default). Profiling ({@code /debug/pprof}) is off.
 */
public final class SchedulerConfig {
    private final Path kubeconfig;
    private final boolean leaderElect;

    private SchedulerConfig(Path kubeconfig, boolean leaderElect) {
        this.kubeconfig = kubeconfig;
        this.leaderElect = leaderElect;
    }

    /** Leader election off. */
    public static SchedulerConfig of(Path kubeconfig) {
        return builder().kubeconfig(kubeconfig).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public boolean leaderElect() {
        return leaderElect;
    }

    /** The configuration as YAML. */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "kubescheduler.config.k8s.io/v1");
        root.put("kind", "KubeSchedulerConfiguration");
        root.putObject("clientConnection").put("kubeconfig", kubeconfig.toString());
        root.putObject("leaderElection").put("leaderElect", leaderElect);
        // The --profiling flag is ignored when a config file is given: profiling is turned off here.
        root.put("enableProfiling", false);
        root.put("enableContentionProfiling", false);
        return Mappers.yaml(root);
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic: configuration files are private, CIS 1.1 and 4.1). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Builds a {@link SchedulerConfig}; the kubeconfig is required and absolute. */
    public static final class Builder {
        private Path kubeconfig;
        private boolean leaderElect;

        private Builder() {
        }

        public Builder kubeconfig(Path file) {
            this.kubeconfig = file;
            return this;
        }

        /** Turn leader election on (several schedulers for one cluster). */
        public Builder leaderElect(boolean value) {
            this.leaderElect = value;
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(Check.absolute("scheduler.clientConnection.kubeconfig", kubeconfig), leaderElect);
        }
    }
}
