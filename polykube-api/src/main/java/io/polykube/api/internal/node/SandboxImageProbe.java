package io.polykube.api.internal.node;

import io.polykube.api.images.Images;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.ProbeContext;
import io.polykube.runtime.probe.ProbeResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * containerd is ready for kubelet when its socket answers and the sandbox image is loaded: the probe imports the locally
 * built sandbox image (idempotent) once the socket answers, so kubelet never starts a pod before it is there (containerd
 * would otherwise try to pull it).
 */
final class SandboxImageProbe implements Probe {
    private final Path socket;
    private final Images images;
    private final Path sandboxTarball;

    SandboxImageProbe(Path socket, Images images, Path sandboxTarball) {
        this.socket = socket;
        this.images = images;
        this.sandboxTarball = sandboxTarball;
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        if (!Files.exists(socket)) {
            return ProbeResult.notReady("containerd socket " + socket + " does not exist yet");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return ProbeResult.notReady("connect to containerd socket " + socket + " failed: " + e.getMessage());
        }
        try {
            if (!images.contains(Images.SANDBOX_IMAGE)) {
                images.load(sandboxTarball);
            }
            return ProbeResult.ready("containerd answers on " + socket + " and holds " + Images.SANDBOX_IMAGE);
        } catch (RuntimeException e) {
            return ProbeResult.notReady("loading the sandbox image " + Images.SANDBOX_IMAGE + " failed: " + e.getMessage());
        }
    }

    @Override
    public String description() {
        return "containerd answers on " + socket + " and holds " + Images.SANDBOX_IMAGE;
    }
}
