package io.polykube.runtime.process;

import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows a log file a child process writes itself, from a start offset: each complete line goes
 * to a {@link LogBuffer} (for failure messages and log-line probes) and to a logger. The child owns
 * the file, so it keeps logging if this JVM dies. {@link #poll()} reads what is new; callers poll
 * on a timer and before they look at the buffer, so nothing waits for the timer.
 */
final class LogTailer {
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final LogBuffer output;
    private final Logger logger;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long offset;
    private boolean closed;

    LogTailer(Path file, long offset, LogBuffer output, Logger logger) {
        this.file = file;
        this.offset = offset;
        this.output = output;
        this.logger = logger;
    }

    LogBuffer output() {
        return output;
    }

    /** Reads the lines appended since the last poll. Returns whether anything was read. */
    synchronized boolean poll() {
        if (closed) {
            return false;
        }
        boolean read = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                offset = 0; // truncated by someone: start over
                partial.reset();
            }
            while (offset < size) {
                chunk.clear();
                int n = channel.read(chunk, offset);
                if (n <= 0) {
                    break;
                }
                offset += n;
                read = true;
                byte[] bytes = chunk.array();
                for (int i = 0; i < n; i++) {
                    if (bytes[i] == '\n') {
                        line();
                    } else {
                        partial.write(bytes[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the file was removed or is unreadable: nothing to follow now
        }
        return read;
    }

    /** Reads what is left, including an unterminated last line, and stops following. */
    synchronized void drainAndClose() {
        poll();
        if (partial.size() > 0) {
            line();
        }
        closed = true;
    }

    private void line() {
        byte[] bytes = partial.toByteArray();
        partial.reset();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        String line = new String(bytes, 0, end, StandardCharsets.UTF_8);
        output.add(line);
        logger.info(line);
    }
}
