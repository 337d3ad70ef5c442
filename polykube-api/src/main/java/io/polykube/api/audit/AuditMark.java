package io.polykube.api.audit;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A position in an audit log: the file that was current when the mark was taken (identified by its inode, so the mark
 * survives the file's rotation) and the byte offset of its end. Events written after the mark are read from there.
 */
public record AuditMark(Path file, Optional<String> fileKey, long offset) {
    public AuditMark {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileKey, "fileKey");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }

    /** The start of a log that did not exist yet when the mark was taken: every event is after it. */
    public static AuditMark beginning(Path file) {
        return new AuditMark(file, Optional.empty(), 0);
    }
}
