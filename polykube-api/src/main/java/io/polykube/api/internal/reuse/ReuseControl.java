package io.polykube.api.internal.reuse;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/** The test JVM's side of a reused cluster: asks its owner for a lease, for resets, and gives the lease back. */
public final class ReuseControl {
    private final ClusterLayout layout;
    private final ReuseEndpoint endpoint;
    private final String token;
    private final long pid = ProcessHandle.current().pid();

    private ReuseControl(ClusterLayout layout, ReuseEndpoint endpoint, String token) {
        this.layout = layout;
        this.endpoint = endpoint;
        this.token = token;
    }

    /** Thrown when another live JVM holds the cluster's lease. */
    public static final class InUseException extends PolykubeException {
        InUseException(String message) {
            super(message);
        }
    }

    /** The control of the reused cluster whose live owner {@code endpoint} names. */
    public static ReuseControl of(ClusterLayout layout, ReuseEndpoint endpoint) {
        try {
            return new ReuseControl(layout, endpoint, Files.readString(ReuseEndpoint.tokenFile(layout), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new PolykubeException("cannot read the reuse token of the cluster in " + layout.root() + ": " + e.getMessage()
                    + "; is it another user's? Stop it with ./polykube down --dir " + layout.root(), e);
        }
    }

    public ReuseEndpoint endpoint() {
        return endpoint;
    }

    /** Takes the lease (the owner resets the cluster first if its last user left it dirty). */
    public void attach(Duration timeout) {
        call("attach", timeout);
    }

    public void reset(Duration timeout) {
        call("reset", timeout);
    }

    /** Gives the lease back; the owner then resets the cluster for the next JVM. Never throws. */
    public void release() {
        try {
            call("release", Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // the owner is gone or busy: its watchdog lets the lease lapse when this JVM ends
        }
    }

    private void call(String request, Duration timeout) {
        String what = "the owner (pid " + endpoint.ownerPid() + ") of the reused cluster in " + layout.root();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + endpoint.port() + "/" + request + "?pid=" + pid)
                    .openConnection();
            c.setRequestMethod("POST");
            c.setRequestProperty(ReuseOwner.TOKEN_HEADER, token);
            c.setConnectTimeout(2000);
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setDoOutput(true);
            c.getOutputStream().close();
            int status = c.getResponseCode();
            String body;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (status == 409 && request.equals("attach")) {
                throw new InUseException(what + " is " + body);
            }
            if (status != 200) {
                throw new PolykubeException(what + " refused '" + request + "' (" + status + "): " + body + ". Its log: "
                        + layout.supervisorLog() + "; stop it with ./polykube down --dir " + layout.root());
            }
        } catch (IOException e) {
            throw new PolykubeException(what + " did not answer '" + request + "': " + e + ". Its log: " + layout.supervisorLog(), e);
        }
    }
}
