package io.polykube.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory this user may trust with files it acts on as root: a real directory (not a symbolic link), owned by this
 * process's user, and writable by nobody else. {@link #ensure} makes a missing one {@code 0700}; {@link #check} refuses,
 * naming the problem and the fix, one that another user made or could change, since whoever can write in it can swap a
 * lock file, a record or a key for a link to a file of their choice.
 */
public final class PrivateDirectory {
    /** {@code rwx------}: for directories only their owner may enter. */
    public static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final Path PROC_SELF = Path.of("/proc/self");

    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} {@code 0700} if missing (with its missing parents, {@code 0700} too), then {@link #check}s it.
     *
     * @param what what the directory is for, for messages ("the port lock directory")
     * @throws IOException if it cannot be created, or fails the check
     */
    public static Path ensure(Path dir, String what) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            createPrivately(absolute);
        }
        check(absolute, what);
        return absolute;
    }

    /**
     * Refuses {@code dir} unless it is a directory (not a link to one), owned by this process's user, and not writable by
     * its group or others.
     *
     * @throws IOException naming the problem and the fix; {@link NoSuchFileException} if it does not exist
     */
    public static void check(Path dir, String what) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new FileSystemException(dir.toString(), null, what + " is a symbolic link, which polykube never follows "
                    + "(whoever made it chooses where polykube's files go): remove the link, check who made it, and give the "
                    + "real directory instead");
        }
        if (!attributes.isDirectory()) {
            throw new FileSystemException(dir.toString(), null, what + " is not a directory: remove it or choose another path");
        }
        int owner = uid(dir);
        int self = currentUid();
        if (owner != self) {
            throw new FileSystemException(dir.toString(), null, what + " is owned by uid " + owner + ", not by this user (uid "
                    + self + "): another user could change what polykube reads and writes there. Remove it after checking who "
                    + "made it, or choose a directory of your own");
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
        open.retainAll(OTHERS_WRITE);
        if (!open.isEmpty()) {
            throw new FileSystemException(dir.toString(), null, what + " is writable by " + (open.size() == 2 ? "its group and "
                    + "others" : open.contains(PosixFilePermission.GROUP_WRITE) ? "its group" : "others") + " ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "), so another user could swap a file in it: "
                    + "chmod go-w " + dir + " (polykube makes its directories 0700)");
        }
    }

    /** The effective uid of this process (the owner of {@code /proc/self}). */
    public static int currentUid() throws IOException {
        return (Integer) Files.getAttribute(PROC_SELF, "unix:uid"); // the link leads to /proc/<pid>, owned by the euid
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static void createPrivately(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            createPrivately(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            return; // made meanwhile by another process: check() judges it
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have narrowed it; never wider than 0700
    }
}
