package io.polykube.runtime.process;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LogBufferTest {

    @Test
    void keepsTheLastLinesInOrder() {
        LogBuffer b = new LogBuffer(3);
        assertThat(b.tail(40)).isEmpty();
        b.add("1");
        b.add("2");
        assertThat(b.tail(40)).containsExactly("1", "2");
        b.add("3");
        b.add("4");
        b.add("5");

        assertThat(b.tail(40)).containsExactly("3", "4", "5");
        assertThat(b.tail(2)).containsExactly("4", "5");
        assertThat(b.count()).isEqualTo(5);
    }

    @Test
    void watchedPatternSeesLinesTheRingDropped() {
        LogBuffer b = new LogBuffer(2);
        Pattern ready = Pattern.compile("listening on \\d+");
        assertThat(b.matched(ready)).isFalse();

        b.add("listening on 8080");
        b.add("x");
        b.add("y");

        assertThat(b.tail(10)).doesNotContain("listening on 8080");
        assertThat(b.matched(ready)).isTrue();
    }

    @Test
    void firstQueryScansBufferedLines() {
        LogBuffer b = new LogBuffer(10);
        b.add("server started");
        assertThat(b.matched(Pattern.compile("started"))).isTrue();
        assertThat(b.matched(Pattern.compile("stopped"))).isFalse();
    }
}
