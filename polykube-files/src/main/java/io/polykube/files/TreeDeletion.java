package io.polykube.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a directory tree without ever leaving it:
 *
 * <ul>
 *   <li>a symbolic link is deleted itself, never followed (its target, in the tree or not, is left alone); directories
 *       are opened relative to their parent without following links, so a directory swapped for a link meanwhile is
 *       not entered either;</li>
 *   <li>a directory that is a mount point (on another device than the root, or listed in {@code /proc/self/mountinfo},
 *       which also finds bind mounts from the same file system) is not entered: a volume still mounted under the tree is
 *       never emptied. It is left, with its parents, and named in the exception;</li>
 *   <li>a read-only directory of this user (a Go module cache, say) is made {@code u+rwx} first, as it is about to go;
 *       one this process may not open at all is reported (permission denied).</li>
 * </ul>
 *
 * Whatever can be deleted is; what cannot is reported together at the end.
 */
public final class TreeDeletion {
    private static final int MAX_REPORTED = 10;
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path root;
    private final Path realRoot;
    private final Object device;
    private final Set<Path> mountPoints;
    private final List<String> problems = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private int problemCount;

    private TreeDeletion(Path root, Object device, Set<Path> mountPoints) {
        this.root = root;
        this.realRoot = MountPoints.realOrAbsolute(root);
        this.device = device;
        this.mountPoints = mountPoints;
    }

    /**
     * Deletes {@code root} and everything below it, as described above. A missing {@code root} is fine; a {@code root}
     * that is a file or a symbolic link is deleted itself.
     *
     * @throws IOException naming what was left and why (a mount point: unmount it; permission denied: delete as its
     *                     owner or as root), with the underlying exceptions as suppressed ones
     */
    public static void delete(Path root) throws IOException {
        delete(root, MountPoints.mountinfo());
    }

    /** {@link #delete(Path)} with these lines of {@code /proc/self/mountinfo} (tests). */
    static void delete(Path root, List<String> mountinfo) throws IOException {
        Path start = root.toAbsolutePath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(start, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isDirectory()) {
            Files.deleteIfExists(start);
            return;
        }
        Set<Path> mounts = new HashSet<>(MountPoints.under(start, mountinfo));
        TreeDeletion deletion = new TreeDeletion(start, device(start), mounts);
        deletion.run();
    }

    private void run() throws IOException {
        boolean empty;
        makeEnterable(root);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("cannot delete " + root + " safely: its file system has no secure directory stream "
                        + "(needed to never follow a symbolic link out of the tree); delete it by hand");
            }
            empty = deleteContents(secure, root);
        }
        if (empty) {
            try {
                Files.deleteIfExists(root);
            } catch (IOException e) {
                problem(root, e);
            }
        }
        if (problemCount > 0) {
            IOException e = new IOException("cannot delete all of " + root + ": " + String.join("; ", problems)
                    + (problemCount > problems.size() ? "; and " + (problemCount - problems.size()) + " more" : ""));
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Deletes what is in {@code dir}; true when it is empty afterwards. */
    private boolean deleteContents(SecureDirectoryStream<Path> dir, Path dirPath) {
        List<Path> names = new ArrayList<>();
        for (Path entry : dir) {
            names.add(entry.getFileName());
        }
        boolean empty = true;
        for (Path name : names) {
            Path path = dirPath.resolve(name);
            try {
                PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                PosixFileAttributes attributes = view.readAttributes();
                if (!attributes.isDirectory()) {
                    dir.deleteFile(name);
                    continue;
                }
                String mount = mountPoint(path);
                if (mount != null) {
                    problem(path + " is a mount point (" + mount + "): unmount it, then delete again");
                    empty = false;
                    continue;
                }
                if (!attributes.permissions().containsAll(OWNER_ALL)) {
                    Set<PosixFilePermission> wider = EnumSet.copyOf(OWNER_ALL);
                    wider.addAll(attributes.permissions());
                    try {
                        view.setPermissions(wider);
                    } catch (IOException e) {
                        // not ours: opening or emptying it below says so
                    }
                }
                boolean subEmpty;
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    subEmpty = deleteContents(sub, path);
                }
                if (subEmpty) {
                    dir.deleteDirectory(name);
                } else {
                    empty = false;
                }
            } catch (NoSuchFileException e) {
                // gone meanwhile
            } catch (IOException e) {
                problem(path, e);
                empty = false;
            }
        }
        return empty;
    }

    /** Why {@code dir} is a mount point, or null when it is not. */
    private String mountPoint(Path dir) throws IOException {
        if (device != null) {
            Object own = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            if (!device.equals(own)) {
                return "device " + own + ", the tree is on device " + device;
            }
        }
        if (!mountPoints.isEmpty() && mountPoints.contains(realRoot.resolve(root.relativize(dir)))) {
            return "listed in " + MountPoints.MOUNTINFO;
        }
        return null;
    }

    private static Object device(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return null;
        }
        return Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }

    private static void makeEnterable(Path dir) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!permissions.containsAll(OWNER_ALL)) {
                permissions.addAll(OWNER_ALL);
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not ours or not POSIX: emptying it says what is wrong
        }
    }

    private void problem(Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            problem(path + ": permission denied (delete it as its owner or as root)");
        } else {
            problem(path + ": " + e);
        }
        if (failures.size() < MAX_REPORTED) {
            failures.add(e);
        }
    }

    private void problem(String text) {
        problemCount++;
        if (problems.size() < MAX_REPORTED) {
            problems.add(text);
        }
    }
}
