package io.polykube.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lock on a lock file, held by this process until {@link #close()} (or until it dies: the kernel releases
 * it, so a crashed holder never blocks the next). The file is created if missing, opened without following a symbolic
 * link and never truncated when opened; its holder may {@link #write} a note into it, such as its pid.
 *
 * <p>POSIX locks belong to the process, and closing any descriptor of a locked file drops them, even one opened
 * elsewhere in the same JVM. So this class remembers the files this JVM holds and never opens a second descriptor on
 * one: a second {@link #tryLock} of a held file returns empty, and {@link #isLocked} and {@link #readNote} answer from memory.
 * Every lock on a file, and every read of a lock file, in this JVM must therefore go through this class.
 */
public final class LockFile implements AutoCloseable {
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** The lock files this JVM holds, by file key (device and inode); per process by nature, hence static. */
    private static final Map<Object, LockFile> HELD = new HashMap<>();

    private final Path file;
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;
    private String note = "";

    private LockFile(Path file, Object key, FileChannel channel, FileLock lock) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code file} if nobody holds it: empty when another process holds it, or this JVM already does.
     *
     * @throws IOException if the file cannot be created or opened for writing (a symbolic link is refused), or locked
     */
    public static Optional<LockFile> tryLock(Path file) throws IOException {
        Path path = file.toAbsolutePath();
        synchronized (HELD) {
            Optional<Object> existing = key(path);
            if (existing.isPresent() && HELD.containsKey(existing.get())) {
                return Optional.empty();
            }
            FileChannel channel = open(path, true);
            try {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // locked in this JVM without this class: closing below drops that lock; see the class doc
                }
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                Object key = key(path).orElse(path);
                LockFile held = new LockFile(path, key, channel, lock);
                HELD.put(key, held);
                return Optional.of(held);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
    }

    /**
     * Takes the lock on {@code file}, waiting up to {@code timeout} while another process or thread holds it; empty when
     * it is still held then.
     *
     * @throws IOException          as {@link #tryLock}
     * @throws InterruptedException if interrupted while waiting
     */
    public static Optional<LockFile> lock(Path file, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(10);
        while (true) {
            Optional<LockFile> lock = tryLock(file);
            long left = deadline - System.nanoTime();
            if (lock.isPresent() || left <= 0) {
                return lock;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * Whether a live process, this one included, holds the lock on {@code file}; false when the file does not exist.
     *
     * @throws IOException if the file exists but cannot be opened for writing, so whether it is held cannot be told
     */
    public static boolean isLocked(Path file) throws IOException {
        Path path = file.toAbsolutePath();
        synchronized (HELD) {
            Optional<Object> key = key(path);
            if (key.isEmpty()) {
                return false;
            }
            if (HELD.containsKey(key.get())) {
                return true;
            }
            try (FileChannel channel = open(path, false)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    return true;
                }
                lock.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (NoSuchFileException e) {
                return false; // removed meanwhile
            }
        }
    }

    /**
     * What the holder of {@code file} wrote into it with {@link #write} (this JVM's note from memory, another process's
     * from the file); empty when the file does not exist.
     */
    public static Optional<String> readNote(Path file) throws IOException {
        Path path = file.toAbsolutePath();
        synchronized (HELD) {
            Optional<Object> key = key(path);
            if (key.isEmpty()) {
                return Optional.empty();
            }
            LockFile held = HELD.get(key.get());
            if (held != null) {
                return Optional.of(held.currentNote());
            }
            try {
                return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Replaces the file's content with {@code text} (UTF-8), for whoever finds it locked: who holds it, since when. */
    public synchronized void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        channel.truncate(0);
        long position = 0;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
        note = text;
    }

    private synchronized String currentNote() {
        return note;
    }

    /** Releases the lock; idempotent. The file stays (deleting it would race with the next holder opening it). */
    @Override
    public void close() {
        synchronized (HELD) {
            if (HELD.get(key) != this) {
                return;
            }
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
            HELD.remove(key);
        }
    }

    private static Optional<Object> key(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(attributes.fileKey() != null ? attributes.fileKey() : path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static FileChannel open(Path path, boolean create) throws IOException {
        try {
            return create
                    ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) { // ELOOP comes as a plain IOException
            if (Files.isSymbolicLink(path)) {
                throw new FileSystemException(path.toString(), null, "the lock file is a symbolic link, which is never "
                        + "followed: remove the link, and check who made it");
            }
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public String toString() {
        return "LockFile[" + file + "]";
    }
}
