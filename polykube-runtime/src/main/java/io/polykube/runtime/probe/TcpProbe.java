package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

final class TcpProbe implements Probe {
    private final String host;
    private final int port;

    TcpProbe(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new ProcessException("Probe.tcp: host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new ProcessException("Probe.tcp: port must be 1..65535, got " + port);
        }
        this.host = host;
        this.port = port;
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, context.attemptTimeout().toMillis()));
            return ProbeResult.ready("TCP connect to " + host + ":" + port + " succeeded");
        } catch (IOException e) {
            return ProbeResult.notReady("TCP connect to " + host + ":" + port + " failed: " + Failures.describe(e));
        }
    }

    @Override
    public String description() {
        return "TCP connect to " + host + ":" + port;
    }
}
