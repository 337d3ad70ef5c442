package io.polykube.api.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events after a mark from an audit log and the files its rotation left: {@code audit.log} is renamed to
 * {@code audit-<timestamp>.log} (timestamps sort by name) and a new {@code audit.log} begins. Each file is known by its
 * inode, so a mark on a file that has since been rotated is still found. Only the bytes after the mark are read.
 */
final class AuditSegments {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSegments.class);
    private static final ObjectReader READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readerFor(RawEvent.class);

    private final Path file;
    private final String prefix;
    private final String suffix;

    AuditSegments(Path file) {
        this.file = file.toAbsolutePath().normalize();
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.prefix = (dot < 0 ? name : name.substring(0, dot)) + "-";
        this.suffix = dot < 0 ? "" : name.substring(dot);
    }

    Path file() {
        return file;
    }

    AuditMark mark() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new AuditMark(file, Optional.of(String.valueOf(attributes.fileKey())), attributes.size());
        } catch (NoSuchFileException e) {
            return AuditMark.beginning(file);
        } catch (IOException e) {
            throw new PolykubeException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The events after {@code since} that {@code filter} accepts, oldest first. */
    List<AuditEvent> read(AuditMark since, Predicate<AuditEvent> filter) {
        List<Segment> segments = segments();
        int start = 0;
        long offset = 0;
        if (since.fileKey().isPresent()) {
            start = -1;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).key.equals(since.fileKey().get())) {
                    start = i;
                    offset = since.offset();
                    break;
                }
            }
            if (start < 0) {
                LOG.warn("The audit log file marked at {} was rotated away ({} files kept): reading every file that is left",
                        since, segments.size());
                start = 0;
            }
        }
        List<AuditEvent> out = new ArrayList<>();
        for (int i = start; i < segments.size(); i++) {
            readFrom(segments.get(i).path, i == start ? offset : 0, filter, out);
        }
        return out;
    }

    /** The rotated files by age, then the current one; each with its inode. */
    private List<Segment> segments() {
        List<Path> rotated = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), prefix + "*" + suffix)) {
            dir.forEach(rotated::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PolykubeException("cannot list the audit logs in " + file.getParent() + ": " + e.getMessage(), e);
        }
        rotated.sort(null);
        rotated.add(file);
        List<Segment> out = new ArrayList<>();
        for (Path p : rotated) {
            try {
                out.add(new Segment(p, String.valueOf(Files.readAttributes(p, BasicFileAttributes.class).fileKey())));
            } catch (NoSuchFileException e) {
                // rotated away, or not written yet
            } catch (IOException e) {
                throw new PolykubeException("cannot read the audit log " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Parses the complete lines of {@code path} from {@code offset} on (a line still being written is left for later). */
    private static void readFrom(Path path, long offset, Predicate<AuditEvent> filter, List<AuditEvent> out) {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return;
            }
            long length = size - offset;
            if (length > Integer.MAX_VALUE - 16) {
                throw new PolykubeException("the audit log " + path + " holds " + length + " bytes after the mark: take a later "
                        + "mark, or lower the log's size limit (apiServer(a -> a.auditLogLimits(..)))");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // keep reading
            }
            bytes = buffer.array();
            int end = buffer.position();
            if (end < bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, end);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new PolykubeException("cannot read the audit log " + path + ": " + e.getMessage(), e);
        }
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i > lineStart) {
                AuditEvent event = parse(path, bytes, lineStart, i - lineStart);
                if (filter.test(event)) {
                    out.add(event);
                }
            }
            lineStart = i + 1;
        }
    }

    static AuditEvent parse(Path path, byte[] bytes, int from, int length) {
        RawEvent raw;
        try {
            raw = READER.readValue(bytes, from, length);
        } catch (IOException e) {
            throw new PolykubeException("the audit log " + path + " holds a line that is not an audit event ("
                    + e.getMessage().lines().findFirst().orElse("") + "): was it written by kube-apiserver with --audit-log-format=json?", e);
        }
        return raw.toEvent();
    }

    private record Segment(Path path, String key) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawEvent(String level, String auditID, String stage, String requestURI, String verb, RawUser user, String userAgent,
            RawObjectRef objectRef, RawStatus responseStatus, String requestReceivedTimestamp, String stageTimestamp) {
        AuditEvent toEvent() {
            RawUser u = user == null ? new RawUser("", List.of()) : user;
            RawObjectRef o = objectRef == null ? new RawObjectRef(null, null, null, null, null, null) : objectRef;
            return new AuditEvent(s(auditID), s(stage), s(level), s(verb), s(requestURI), s(u.username()),
                    u.groups() == null ? List.of() : u.groups(), s(userAgent), s(o.apiGroup()), s(o.apiVersion()),
                    s(o.resource()), s(o.subresource()), s(o.namespace()), s(o.name()),
                    responseStatus == null || responseStatus.code() == null ? 0 : responseStatus.code(),
                    instant(requestReceivedTimestamp), instant(stageTimestamp));
        }

        private static String s(String value) {
            return value == null ? "" : value;
        }

        private static Instant instant(String value) {
            return value == null || value.isEmpty() ? null : Instant.parse(value);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawUser(String username, List<String> groups) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawObjectRef(String resource, String namespace, String name, String apiGroup, String apiVersion, String subresource) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawStatus(Integer code) {
    }
}
