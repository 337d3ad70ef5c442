package io.polykube.api.junit;

import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.files.PrivateDirectory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the cluster of a request in a fresh directory and publishes the start as a report entry; a failed start says
 * where its evidence is, and how to skip such classes when binaries are missing.
 */
final class ClusterStarter {
    /** The extension's log lines, under the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(PolykubeExtension.class);

    private ClusterStarter() {
    }

    /** Starts the cluster {@code request} asks for, named {@code name}; {@code what} says which cluster it is, for messages. */
    static ClusterResource start(ClusterRequest request, Owner owner, String name, String what) {
        ExtensionContext context = owner.context();
        Path directory = request.directoryChosen() ? null : freshDirectory(context, name);
        ClusterSpec spec = request.specFor(name, directory);
        long t0 = System.nanoTime();
        WebhookServer webhookServer = null;
        if (request.hasWebhooks()) {
            webhookServer = request.newWebhookServer();
            spec = ClusterRequest.withWebhooks(spec, request.webhookManifests(startWebhookServer(webhookServer, spec, owner)));
        }
        Cluster cluster = Cluster.of(spec);
        try {
            cluster.start();
        } catch (PolykubeException e) {
            cluster.close();
            ClusterResource.closeServer(webhookServer, spec.name());
            boolean binariesMissing = HostCheck.binaryProblem(spec).isPresent();
            throw new PolykubeException("@WithPolykube could not start cluster '" + spec.name() + "' for "
                    + owner.testClass().getName() + " (" + what + ")" + keptOrRemoved(spec.directory()) + "\n"
                    + e.getMessage() + (binariesMissing ? "\nTo skip such classes on hosts without the binaries instead: "
                    + "@WithPolykube(onUnsuitableHost = OnUnsuitableHost.SKIP)" : ""), e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("Started cluster '{}' ({}, {}) in {} ms for {}: {}", spec.name(), spec.mode(), what, millis,
                owner.testClass().getName(), spec.directory());
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(PolykubeExtension.REPORT_STARTED, spec.name());
        entry.put(PolykubeExtension.REPORT_DIRECTORY, spec.directory().toString());
        entry.put(PolykubeExtension.REPORT_START_MILLIS, Long.toString(millis));
        context.publishReportEntry(entry);
        return new ClusterResource(cluster, webhookServer);
    }

    /** Starts the class's webhook server with the certificate of the cluster about to start (its CA issued now). */
    private static int startWebhookServer(WebhookServer server, ClusterSpec spec, Owner owner) {
        try {
            return server.start(Cluster.of(spec).webhooks().certificate());
        } catch (Exception e) {
            ClusterResource.closeServer(server, spec.name());
            throw new PolykubeException("@WithPolykube on " + owner.testClass().getName() + ": the webhook server "
                    + server.getClass().getName() + " did not start: " + e, e);
        }
    }

    /** Removes a cluster directory that a failed start left empty; says where the evidence is otherwise. */
    private static String keptOrRemoved(Path directory) {
        try (var entries = Files.list(directory)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(directory);
                return "";
            }
        } catch (IOException e) {
            // fall through: report the path
        }
        return "; its directory is kept: " + directory;
    }

    /** A new directory {@code <base>/<name>-<n>}: fresh in every run, even when kept directories of earlier runs remain. */
    private static Path freshDirectory(ExtensionContext context, String name) {
        Path base = context.getConfigurationParameter(PolykubeExtension.DIRECTORY_PARAMETER).map(Path::of).orElseGet(() ->
                Files.isDirectory(Path.of("target")) ? Path.of("target", "polykube")
                        : Path.of(System.getProperty("java.io.tmpdir"), "polykube")).toAbsolutePath().normalize();
        try {
            PrivateDirectory.ensure(base, "the JUnit extension's cluster directory base " + base);
            for (int i = 1; ; i++) {
                try {
                    return Files.createDirectory(base.resolve(name + "-" + i),
                            PosixFilePermissions.asFileAttribute(PrivateDirectory.OWNER_ONLY));
                } catch (FileAlreadyExistsException e) {
                    // kept from an earlier run or taken by a parallel JVM: try the next one
                }
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot create a cluster directory under " + base + ": " + e.getMessage()
                    + "; make it writable or set the configuration parameter " + PolykubeExtension.DIRECTORY_PARAMETER, e);
        }
    }
}
