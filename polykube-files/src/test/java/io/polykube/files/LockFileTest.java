package io.polykube.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderInThisJvmUntilClosed() throws IOException {
        Path file = dir.resolve("cluster.lock");
        try (LockFile lock = LockFile.tryLock(file).orElseThrow()) {
            assertThat(lock.file()).isEqualTo(file.toAbsolutePath());
            assertThat(file).isRegularFile();
            assertThat(LockFile.tryLock(file)).isEmpty();
            assertThat(LockFile.tryLock(dir.resolve("./cluster.lock"))).isEmpty();
            assertThat(LockFile.isLocked(file)).isTrue();
        }
        assertThat(LockFile.isLocked(file)).isFalse();
        try (LockFile again = LockFile.tryLock(file).orElseThrow()) {
            again.close();
            again.close(); // idempotent
        }
        assertThat(LockFile.isLocked(dir.resolve("missing.lock"))).isFalse();
        assertThat(dir.resolve("missing.lock")).doesNotExist();
    }

    @Test
    void takingTheLockNeverTruncatesAndTheHolderWritesItsNote() throws IOException {
        Path file = Files.writeString(dir.resolve("supervisor.lock"), "4242");
        try (LockFile lock = LockFile.tryLock(file).orElseThrow()) {
            assertThat(file).hasContent("4242");
            lock.write("17");
            assertThat(LockFile.readNote(file)).hasValue("17");
        }
        assertThat(file).hasContent("17");
        assertThat(LockFile.readNote(file)).hasValue("17");
        assertThat(LockFile.readNote(dir.resolve("missing.lock"))).isEmpty();
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path link = Files.createSymbolicLink(dir.resolve("port.lock"), victim);
        assertThatThrownBy(() -> LockFile.tryLock(link)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("symbolic link").hasMessageContaining("remove the link");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.lock"), dir.resolve("made-through-link"));
        assertThatThrownBy(() -> LockFile.tryLock(dangling)).isInstanceOf(FileSystemException.class);
        assertThat(dir.resolve("made-through-link")).doesNotExist();
        assertThat(victim).hasContent("untouched");
    }

    @Test
    void anotherProcessCannotTakeAHeldLockEvenAfterThisJvmAskedAgain() throws Exception {
        Path file = dir.resolve("full.lock");
        try (LockFile lock = LockFile.tryLock(file).orElseThrow()) {
            lock.write("me");
            // each of these would drop the lock if it opened and closed the file again (POSIX semantics)
            assertThat(LockFile.tryLock(file)).isEmpty();
            assertThat(LockFile.isLocked(file)).isTrue();
            assertThat(LockFile.readNote(file)).hasValue("me");
            assertThat(otherProcessTries(file)).isEqualTo("held");
        }
        assertThat(otherProcessTries(file)).isEqualTo("free");
    }

    @Test
    void aLockAnotherProcessHoldsIsSeenAndWaitedFor() throws Exception {
        Path file = dir.resolve("kubernetes.lock");
        Process holder = holder(file);
        try {
            assertThat(LockFile.tryLock(file)).isEmpty();
            assertThat(LockFile.isLocked(file)).isTrue();
            assertThat(LockFile.readNote(file)).hasValue("holder");
            long t0 = System.nanoTime();
            assertThat(LockFile.lock(file, Duration.ofMillis(200))).isEmpty();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));

            CompletableFuture<Optional<LockFile>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return LockFile.lock(file, Duration.ofSeconds(30));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.getOutputStream().close(); // the holder exits, and the kernel releases its lock
            try (LockFile lock = waiting.get(30, TimeUnit.SECONDS).orElseThrow()) {
                assertThat(LockFile.isLocked(file)).isTrue();
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Another JVM tries to lock {@code file} once: "held" or "free". */
    private static String otherProcessTries(Path file) throws Exception {
        Process p = java(Child.class, "try", file.toString());
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            p.destroyForcibly();
        }
    }

    /** Another JVM that takes the lock, writes "holder" into it and holds it until its stdin closes. */
    private static Process holder(Path file) throws Exception {
        Process p = java(Child.class, "hold", file.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    private static Process java(Class<?> main, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The other process: plain FileChannel locks, independent of the class under test. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[1]);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (args[0].equals("try") || lock == null) {
                    System.out.println(lock == null ? "held" : "free");
                    return;
                }
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap("holder".getBytes(StandardCharsets.UTF_8)));
                System.out.println("locked");
                System.out.flush();
                System.in.read(); // until the test closes our stdin
            }
        }
    }
}
