package io.polykube.api.audit;

import io.polykube.api.error.PolykubeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The API server's audit log as typed events: what each user asked the API server, in order. Take a {@link #mark()},
 * do something, then read {@link #events(AuditMark)} written since; only the bytes after the mark are read, and rotated
 * files are followed.
 *
 * <pre>{@code
 * AuditLog audit = cluster.audit();
 * AuditMark mark = audit.mark();
 * ... the operator reconciles ...
 * List<AuditEvent> writes = audit.events(mark, AuditQuery.all().user("greeter").writes());
 * }</pre>
 *
 * <p>A scoped log ({@link #since(AuditMark)}, {@link #filtered(AuditQuery)}, {@link #inNamespace(String)}) is a new
 * immutable view: {@link #events()} then reads from its mark with its filter. The JUnit extension injects one scoped to
 * the running test. An event is written when the API server has answered; use {@link #await} to wait for it.
 */
public final class AuditLog {
    private static final Duration POLL = Duration.ofMillis(50);

    private final AuditSegments segments;
    private final Optional<AuditMark> start;
    private final List<AuditQuery> scope;

    private AuditLog(AuditSegments segments, Optional<AuditMark> start, List<AuditQuery> scope) {
        this.segments = segments;
        this.start = start;
        this.scope = scope;
    }

    /** The log in {@code file} ({@code logs/audit.log} of a cluster) and the rotated files beside it. */
    public static AuditLog of(Path file) {
        return new AuditLog(new AuditSegments(Objects.requireNonNull(file, "file")), Optional.empty(), List.of());
    }

    /** The current log file. */
    public Path file() {
        return segments.file();
    }

    /** The current end of the log: events after this point are read by {@link #events(AuditMark)}. */
    public AuditMark mark() {
        return segments.mark();
    }

    /** This log from {@code mark} on: {@link #events()} reads only what was written after it. */
    public AuditLog since(AuditMark mark) {
        return new AuditLog(segments, Optional.of(Objects.requireNonNull(mark, "mark")), scope);
    }

    /** This log narrowed to the events {@code query} accepts (on top of any earlier filter). */
    public AuditLog filtered(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<AuditQuery> more = new ArrayList<>(scope);
        more.add(query);
        return new AuditLog(segments, start, List.copyOf(more));
    }

    /** This log narrowed to one namespace, e.g. the test's own: {@code audit.inNamespace(namespace.name())}. */
    public AuditLog inNamespace(String namespace) {
        return filtered(AuditQuery.all().namespace(namespace));
    }

    /** The events since this log's mark (or every event still on disk, when it has none), oldest first. */
    public List<AuditEvent> events() {
        return read(start.orElseGet(() -> AuditMark.beginning(segments.file())), AuditQuery.all());
    }

    /** The events since this log's mark that {@code query} accepts. */
    public List<AuditEvent> events(AuditQuery query) {
        return read(start.orElseGet(() -> AuditMark.beginning(segments.file())), query);
    }

    /** The events after {@code since}. */
    public List<AuditEvent> events(AuditMark since) {
        return read(since, AuditQuery.all());
    }

    /** The events after {@code since} that {@code query} accepts. */
    public List<AuditEvent> events(AuditMark since, AuditQuery query) {
        return read(since, query);
    }

    /**
     * Waits until at least {@code count} events since this log's mark match {@code query}, and returns them all.
     *
     * @throws PolykubeException after {@code timeout}, listing what was found
     */
    public List<AuditEvent> await(AuditQuery query, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AuditEvent> found = events(query);
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new PolykubeException("waited " + timeout.toMillis() + " ms for " + count + " audit event(s) matching "
                        + query + " in " + segments.file() + ", found " + found.size() + ": " + found);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolykubeException("interrupted while waiting for audit events matching " + query, e);
            }
        }
    }

    private List<AuditEvent> read(AuditMark since, AuditQuery query) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(query, "query");
        return segments.read(since, e -> query.test(e) && scope.stream().allMatch(q -> q.test(e)));
    }

    @Override
    public String toString() {
        return "AuditLog[" + segments.file() + start.map(m -> " since " + m.offset()).orElse("") + " " + scope + "]";
    }
}
