package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * A directory made, afresh each time, into a cache that holds only the sets {@code setup} builds, as hard links to a
 * real cache: the test suite runs against it, so a test that relies on something another command left in the cache
 * (the sets only {@code conformance} builds, say) fails on every machine, not only on a newcomer's.
 */
final class SetupOnlyView {
    /** Marks a directory as a view, so that replacing it never deletes a directory it did not make. */
    static final String MARKER = ".polykube-setup-only-view";

    private SetupOnlyView() {
    }

    /** Removes what {@code dir} held (it must be a view, empty or absent) and links {@code sets} of {@code cache} into it. */
    static void replace(Path dir, BinaryCache cache, Collection<SetVersion> sets) {
        Path root = cache.root();
        if (root.startsWith(dir) || dir.startsWith(root.resolve("bin"))) {
            throw new BinaryException("the setup-only view " + dir + " must lie outside the cache's binaries (" + root.resolve("bin")
                    + ") and must not hold the cache: choose another directory, for example " + root.resolve("setup-only-view"));
        }
        try {
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || !(Files.exists(dir.resolve(MARKER)) || isEmpty(dir))) {
                    throw new BinaryException(dir + " exists and is not a setup-only view made by polykube: remove it or "
                            + "choose another directory");
                }
                BinaryCache.deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKER), "made by ./polykube setup --setup-only-view from " + root + "\n");
        } catch (IOException e) {
            throw new BinaryException("cannot make the setup-only view " + dir + ": " + e, e);
        }
        BinaryCache view = new BinaryCache(dir);
        for (SetVersion entry : sets) {
            cache.linkInto(view, entry.set(), entry.version());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
