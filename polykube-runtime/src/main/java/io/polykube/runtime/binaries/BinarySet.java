package io.polykube.runtime.binaries;

import java.util.List;

/**
 * A group of binaries that is built, downloaded and cached together under one version, in
 * {@code <cache>/bin/<id>-v<version>/} with a {@link Manifest}. The library's sets, those {@code ./polykube setup} builds,
 * are {@link ClusterBinarySet}; a module that needs programs of its own declares its sets (with their {@link Binary}s and
 * {@link BuildRecipe}s) and {@link Binaries} finds, verifies, caches and builds them as it does the library's.
 */
public interface BinarySet {

    /**
     * Short name used in directory names, manifests and messages ({@code kubernetes}, {@code cni-plugins}); sets of
     * different modules must not share one, since it names their cache directories.
     */
    String id();

    /** The binaries of this set: every one is in the set's directory after a build. */
    List<? extends Binary> binaries();

    /** The version of this set that {@code versions} asks for. */
    String version(BinaryVersions versions);

    /** How this set is built from source. */
    BuildRecipe recipe();

    /** The version as directory names and messages show it: {@code v1.34.4}; a set may drop the {@code v}. */
    default String versionTag(String version) {
        return "v" + version;
    }

    /** Cache directory name: {@code kubernetes-v1.34.4}, {@code pause-1}. */
    default String dirName(String version) {
        return id() + "-" + versionTag(version);
    }

    /** {@code kubernetes v1.34.4}, {@code pause 1}: for messages and progress lines. */
    default String describe(String version) {
        return id() + " " + versionTag(version);
    }
}
