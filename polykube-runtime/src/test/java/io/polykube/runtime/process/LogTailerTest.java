package io.polykube.runtime.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LogTailerTest {

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void followsAppendedLinesFromItsOffsetAndKeepsAPartialLineUntilItEnds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.log");
        append(file, "--- header of an earlier run ---\n");
        LogTailer tailer = new LogTailer(file, Files.size(file), new LogBuffer(10), LoggerFactory.getLogger("polykube.x"));

        assertThat(tailer.poll()).isFalse();
        append(file, "one\ntw");
        assertThat(tailer.poll()).isTrue();
        assertThat(tailer.output().tail(10)).containsExactly("one");
        append(file, "o\r\nready\n");
        tailer.poll();
        assertThat(tailer.output().tail(10)).containsExactly("one", "two", "ready");
        assertThat(tailer.output().matched(Pattern.compile("^ready$"))).isTrue();

        append(file, "last words without newline");
        tailer.drainAndClose();
        assertThat(tailer.output().tail(1)).containsExactly("last words without newline");
        append(file, "after close\n");
        assertThat(tailer.poll()).isFalse();
    }

    @Test
    void startsOverWhenTheFileIsTruncatedAndToleratesAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("y.log");
        LogTailer tailer = new LogTailer(file, 0, new LogBuffer(10), LoggerFactory.getLogger("polykube.y"));
        assertThat(tailer.poll()).isFalse();
        append(file, "a long first line\n");
        tailer.poll();
        Files.writeString(file, "b\n");
        tailer.poll();
        assertThat(tailer.output().tail(10)).containsExactly("a long first line", "b");
    }
}
