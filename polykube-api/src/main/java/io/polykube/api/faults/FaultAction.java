package io.polykube.api.faults;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Fault} does to a request it matches: answer in the API server's place with a status and a Kubernetes
 * {@code Status} body ({@link #conflict()}, {@link #tooManyRequests(Duration)}, {@link #internalError()},
 * {@link #serviceUnavailable()}, {@link #gatewayTimeout()}, {@link #status(int, String)}), forward it late
 * ({@link #latency(Duration)}), close the client's connection ({@link #closeConnection()}), or act on a watch's events
 * ({@link #endWatchAfter(int)}, {@link #expireWatchAfter(int)}, {@link #delayWatchEvents(Duration)}). Bad values are
 * refused when the action is made.
 */
public final class FaultAction {
    /** What kind of action this is. */
    public enum Kind {
        /** Answer with a status; the API server never sees the request. */
        RESPOND,
        /** Forward the request after a delay. */
        LATENCY,
        /** Close the client's connection (HTTP/2: reset the stream) without an answer. */
        CLOSE_CONNECTION,
        /** Forward a watch, then end it cleanly after some events. */
        END_WATCH,
        /** Forward a watch, then end it after some events with a 410 "too old resource version" error event. */
        EXPIRE_WATCH,
        /** Forward a watch, holding back each event. */
        DELAY_WATCH_EVENTS
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(400, "BadRequest"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "NotFound"),
            Map.entry(405, "MethodNotAllowed"), Map.entry(406, "NotAcceptable"), Map.entry(409, "Conflict"),
            Map.entry(410, "Expired"), Map.entry(413, "RequestEntityTooLarge"), Map.entry(415, "UnsupportedMediaType"),
            Map.entry(422, "Invalid"), Map.entry(429, "TooManyRequests"), Map.entry(500, "InternalError"),
            Map.entry(503, "ServiceUnavailable"), Map.entry(504, "Timeout"));

    private final Kind kind;
    private final int code;
    private final String message;
    private final Duration duration;
    private final int events;

    private FaultAction(Kind kind, int code, String message, Duration duration, int events) {
        this.kind = kind;
        this.code = code;
        this.message = message;
        this.duration = duration;
        this.events = events;
    }

    /** 409 Conflict, as an update with a stale resource version gets. */
    public static FaultAction conflict() {
        return status(409, null);
    }

    /** 429 Too Many Requests with {@code Retry-After} (whole seconds, at least 1), as API priority and fairness answers. */
    public static FaultAction tooManyRequests(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("tooManyRequests: retryAfter must be positive, was " + retryAfter);
        }
        return new FaultAction(Kind.RESPOND, 429, null, Duration.ofSeconds(Math.max(1, (retryAfter.toMillis() + 999) / 1000)), 0);
    }

    /** 500 Internal Server Error. */
    public static FaultAction internalError() {
        return status(500, null);
    }

    /** 503 Service Unavailable. */
    public static FaultAction serviceUnavailable() {
        return status(503, null);
    }

    /** 504 Gateway Timeout, as the API server answers a request that ran past its timeout. */
    public static FaultAction gatewayTimeout() {
        return status(504, null);
    }

    /**
     * Any 4xx or 5xx status with a {@code Status} body carrying {@code message} (or, when null, the API server's usual
     * message for that code).
     */
    public static FaultAction status(int code, String message) {
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("status: " + code + " is not an error status; use a code from 400 to 599 "
                    + "(409 conflict, 429 throttling, 500, 503, 504 ...)");
        }
        return new FaultAction(Kind.RESPOND, code, message, Duration.ZERO, 0);
    }

    /** Forward the request after {@code delay}. */
    public static FaultAction latency(Duration delay) {
        return new FaultAction(Kind.LATENCY, 0, null, nonNegative("latency", delay), 0);
    }

    /** Close the connection without answering (the client sees an I/O error). */
    public static FaultAction closeConnection() {
        return new FaultAction(Kind.CLOSE_CONNECTION, 0, null, Duration.ZERO, 0);
    }

    /** Let a watch deliver {@code events} events (bookmarks not counted), then end it as a timed-out watch ends. */
    public static FaultAction endWatchAfter(int events) {
        return new FaultAction(Kind.END_WATCH, 0, null, Duration.ZERO, nonNegative("endWatchAfter", events));
    }

    /**
     * Let a watch deliver {@code events} events, then send the error event of a resource version that is too old
     * (410 Expired) and end it: the client must list again. {@code 0} expires it at once.
     */
    public static FaultAction expireWatchAfter(int events) {
        return new FaultAction(Kind.EXPIRE_WATCH, 410, null, Duration.ZERO, nonNegative("expireWatchAfter", events));
    }

    /** Hold back each event of a watch for {@code delay} (order kept). */
    public static FaultAction delayWatchEvents(Duration delay) {
        return new FaultAction(Kind.DELAY_WATCH_EVENTS, 0, null, nonNegative("delayWatchEvents", delay), 0);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status answered ({@link Kind#RESPOND}, 410 for {@link Kind#EXPIRE_WATCH}), else 0. */
    public int code() {
        return code;
    }

    /** The Kubernetes {@code Status} reason of {@link #code()}: {@code Conflict}, {@code TooManyRequests} ..., or empty. */
    public String reason() {
        return REASONS.getOrDefault(code, "");
    }

    /** The message given, if any; the proxy writes the API server's usual one otherwise. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** The delay ({@link Kind#LATENCY}, {@link Kind#DELAY_WATCH_EVENTS}) or the {@code Retry-After} (429), else zero. */
    public Duration duration() {
        return duration;
    }

    /** The events a watch delivers first ({@link Kind#END_WATCH}, {@link Kind#EXPIRE_WATCH}), else 0. */
    public int events() {
        return events;
    }

    /** Whether the action acts on a watch's events (the request must be a watch for it to apply). */
    public boolean onWatchEvents() {
        return kind == Kind.END_WATCH || kind == Kind.EXPIRE_WATCH || kind == Kind.DELAY_WATCH_EVENTS;
    }

    @Override
    public String toString() {
        switch (kind) {
            case RESPOND:
                return code + " " + reason() + (code == 429 ? " (Retry-After " + duration.toSeconds() + " s)" : "");
            case LATENCY:
                return "latency " + duration.toMillis() + " ms";
            case CLOSE_CONNECTION:
                return "close the connection";
            case END_WATCH:
                return "end the watch after " + events + " events";
            case EXPIRE_WATCH:
                return "expire the watch (410) after " + events + " events";
            default:
                return "delay each watch event " + duration.toMillis() + " ms";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultAction a && kind == a.kind && code == a.code && Objects.equals(message, a.message)
                && duration.equals(a.duration) && events == a.events;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, code, message, duration, events);
    }

    private static Duration nonNegative(String what, Duration delay) {
        Objects.requireNonNull(delay, what);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + ": the delay must not be negative, was " + delay);
        }
        return delay;
    }

    private static int nonNegative(String what, int events) {
        if (events < 0) {
            throw new IllegalArgumentException(what + ": the number of events must not be negative, was " + events);
        }
        return events;
    }
}
