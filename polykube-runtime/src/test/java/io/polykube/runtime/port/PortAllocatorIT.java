package io.polykube.runtime.port;

import io.polykube.runtime.process.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PortAllocatorIT {
    private static final int FIRST = 24000;
    private static final int LAST = 24599;
    private static final int EACH = 250;

    @Test
    void twoAllocatorsInTwoJvmsNeverHandOutTheSamePort() throws Exception {
        Path locks = TestFiles.newDirectory("port-locks");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PortHolder.class.getName(),
                locks.toString(), Integer.toString(EACH), Integer.toString(FIRST), Integer.toString(LAST))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            // allocate at the same time as the child
            PortAllocator allocator = PortAllocator.builder().lockDirectory(locks).range(FIRST, LAST).build();
            List<ReservedPort> mine = new ArrayList<>();
            for (int i = 0; i < EACH; i++) {
                mine.add(allocator.allocate());
            }
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
                assertThat(line).startsWith("PORTS ");
                Set<Integer> theirs = Arrays.stream(line.substring(6).split(" ")).map(Integer::valueOf).collect(Collectors.toSet());
                Set<Integer> ours = mine.stream().map(ReservedPort::port).collect(Collectors.toSet());

                assertThat(theirs).hasSize(EACH);
                assertThat(ours).hasSize(EACH);
                assertThat(ours).doesNotContainAnyElementsOf(theirs);

                int held = theirs.iterator().next();
                assertThat(allocator.tryReserve(held)).as("port %d is held by the other JVM", held).isEmpty();

                child.getOutputStream().close(); // child releases and exits
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                try (ReservedPort again = allocator.tryReserve(held).orElseThrow()) {
                    assertThat(again.port()).isEqualTo(held);
                }
            }
            mine.forEach(ReservedPort::close);
            assertThat(mine).noneMatch(ReservedPort::isReserved);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void skipsPortsThatAreBoundAndHonoursReservationsInTheSameJvm() throws Exception {
        Path locks = TestFiles.newDirectory("port-locks");
        try (ServerSocket busy = new ServerSocket(24700, 1, InetAddress.getLoopbackAddress())) {
            PortAllocator allocator = PortAllocator.builder().lockDirectory(locks).range(24700, 24702).build();
            Set<Integer> got = new HashSet<>();
            try (ReservedPort a = allocator.allocate(); ReservedPort b = allocator.allocate()) {
                got.add(a.port());
                got.add(b.port());
                assertThat(got).containsExactlyInAnyOrder(24701, 24702);
                assertThat(a.hostAndPort()).startsWith("127.0.0.1:");
                org.assertj.core.api.Assertions.assertThatThrownBy(allocator::allocate)
                        .hasMessageContaining("No free TCP port in 24700-24702");
            }
            assertThat(busy.isBound()).isTrue();
        }
    }
}
