package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.config.ConfigException;
import io.polykube.pki.PkiException;
import io.polykube.runtime.ProcessException;
import java.util.List;

/**
 * A cluster's start, step by step. The first steps take nothing that outlives their failure, so bad input (binaries,
 * flags, a directory in use, a port taken) fails before any process; when a later step fails, whatever was started is
 * stopped again and the ports and the directory are released.
 */
final class StartSequence {
    private static final List<StartStep> PREPARE = List.of(new CheckVersion(), new ResolveBinaries(),
            new CheckWebhookServers(), new ReservePorts());
    private static final List<StartStep> START = List.of(new IssuePki(), new WriteConfig(), new StartProcesses(),
            new AwaitNodes(), new ApplyManifests(), new InstallWebhooks(),
            new TakeSnapshot());

    private StartSequence() {
    }

    static ClusterRun run(ClusterSpec spec, ClusterLayout layout) {
        Start start = new Start(spec, layout);
        for (StartStep step : PREPARE) {
            step.run(start);
        }
        try {
            for (StartStep step : START) {
                step.run(start);
            }
            start.run.markRunning(start.startedAt);
            return start.run;
        } catch (ProcessException e) {
            start.release();
            throw new PolykubeException("cluster '" + spec.name() + "' did not start: " + e.getMessage() + "\nAll logs: "
                    + layout.logs() + ", certificates: " + layout.pki() + ", configs: " + layout.config(), e);
        } catch (PkiException | ConfigException e) {
            start.release();
            throw new PolykubeException("cluster '" + spec.name() + "' cannot be prepared: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            start.release();
            throw e;
        }
    }
}
