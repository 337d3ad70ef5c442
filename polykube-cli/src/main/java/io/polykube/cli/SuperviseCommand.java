package io.polykube.cli;

import io.polykube.api.Cluster;
import io.polykube.api.layout.ClusterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The detached owner of a cluster started by {@code up}: starts it, keeps it running (the runtime restarts crashed
 * components), and stops everything on SIGTERM or when {@code run/stop} appears.
 */
@Command(name = "supervise", hidden = true, description = "Run a cluster in the foreground until SIGTERM (used by 'up').")
final class SuperviseCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        Cluster running = Cluster.start(cluster.builder().build());
        Path stopFile = new ClusterLayout(running.directory()).stopFile();
        Files.deleteIfExists(stopFile);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "polykube-supervise-stop"));
        System.out.println("[polykube] cluster '" + running.name() + "' is running; stop it with ./polykube down --name "
                + running.name());
        while (stopped.getCount() > 0) {
            if (Files.exists(stopFile)) {
                running.close();
                Files.deleteIfExists(stopFile);
                return 0;
            }
            Thread.sleep(200);
        }
        return 0;
    }
}
