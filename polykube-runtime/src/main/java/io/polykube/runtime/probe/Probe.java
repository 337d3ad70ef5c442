package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A readiness check. One call to {@link #check} makes one attempt; the caller (the supervisor, or
 * {@link #await}) polls with an interval until a deadline. Implementations are thread-safe and
 * their results say what was tried and what came back.
 */
public interface Probe {

    /** Makes one attempt; never throws for an expected failure (refused, bad status, TLS error). */
    ProbeResult check(ProbeContext context);

    /** What this probe waits for, e.g. {@code HTTP GET http://127.0.0.1:2379/health -> 2xx}. */
    String description();

    /** Ready as soon as the process runs. */
    static Probe started() {
        return new Probe() {
            @Override
            public ProbeResult check(ProbeContext context) {
                return ProbeResult.ready("process is running");
            }

            @Override
            public String description() {
                return "process running";
            }
        };
    }

    /** Plain HTTP GET that expects a 2xx status. */
    static Probe http(URI uri) {
        return new HttpProbe(uri, null, body -> true, "any body");
    }

    /** Plain HTTP GET that expects a 2xx status and a body the predicate accepts. */
    static Probe http(URI uri, Predicate<String> bodyMatches, String bodyDescription) {
        return new HttpProbe(uri, null, bodyMatches, bodyDescription);
    }

    /**
     * HTTPS GET that expects 2xx. The server certificate is verified against the CA in
     * {@code trust} including the hostname (or IP SAN); a client certificate is sent if given.
     */
    static Probe https(URI uri, TlsTrust trust) {
        return new HttpProbe(uri, Objects.requireNonNull(trust, "trust"), body -> true, "any body");
    }

    /** HTTPS GET as {@link #https(URI, TlsTrust)}, also requiring the body to match. */
    static Probe https(URI uri, TlsTrust trust, Predicate<String> bodyMatches, String bodyDescription) {
        return new HttpProbe(uri, Objects.requireNonNull(trust, "trust"), bodyMatches, bodyDescription);
    }

    /** A TCP connect to host:port succeeds. */
    static Probe tcp(String host, int port) {
        return new TcpProbe(host, port);
    }

    /** A connect to the unix domain socket at path succeeds. */
    static Probe unixSocket(Path socket) {
        return new UnixSocketProbe(socket);
    }

    /** The command exits with 0 (run with the attempt timeout; killed if it overruns). */
    static Probe command(List<String> command) {
        return new CommandProbe(command);
    }

    /** A line of the process's own output (since its launch) matches the pattern. */
    static Probe logLine(Pattern pattern) {
        return new LogLineProbe(pattern);
    }

    /** All probes pass (checked in order; the first that fails is reported). */
    static Probe allOf(Probe... probes) {
        return new AllOfProbe(List.of(probes));
    }

    /**
     * Polls this probe every {@code interval} until it passes or {@code timeout} elapses.
     *
     * @return the passing result
     * @throws ProcessException at the deadline, with the last result
     */
    default ProbeResult await(Duration interval, Duration timeout) {
        return ProbePoller.await(this, ProbeContext.standalone(description(), Duration.ofSeconds(2)), interval, timeout);
    }
}
