package io.polykube.runtime.binaries;

import java.nio.file.Path;

/** How a {@link BinarySet} is built from source with Go; the common machinery is {@link GoModuleBuilder}'s. */
@FunctionalInterface
public interface BuildRecipe {

    /**
     * Builds the set at {@code version} into {@code outDir} (an empty temporary directory of the cache), every one of its
     * binaries, usually in a workspace of {@code go} ({@link GoModuleBuilder#inWorkspace}).
     *
     * @return how the binaries were made, for the manifest
     * @throws BinaryException if {@code version} cannot be built or the build fails; the message says what to do
     */
    Provenance build(GoModuleBuilder go, String version, Path outDir);
}
