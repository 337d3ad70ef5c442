package io.polykube.runtime.probe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

final class UnixSocketProbe implements Probe {
    private final Path socket;

    UnixSocketProbe(Path socket) {
        this.socket = socket.toAbsolutePath();
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        if (!Files.exists(socket)) {
            return ProbeResult.notReady("unix socket " + socket + " does not exist yet");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return ProbeResult.ready("connected to unix socket " + socket);
        } catch (IOException e) {
            return ProbeResult.notReady("connect to unix socket " + socket + " failed: " + Failures.describe(e));
        }
    }

    @Override
    public String description() {
        return "connect to unix socket " + socket;
    }
}
