package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A set another module declares (as the conformance runner does): one program, {@code tool}, at its own version, "built"
 * by writing a fake.
 */
enum ForeignSet implements BinarySet {
    TOOLS;

    static final String VERSION = "2.0.1";

    /** Its one binary. */
    enum Tool implements Binary {
        TOOL;

        @Override
        public String fileName() {
            return "tool";
        }

        @Override
        public BinarySet set() {
            return TOOLS;
        }

        @Override
        public VersionQuery versionQuery() {
            return VersionQuery.of("tool version (\\d+\\.\\d+\\.\\d+)", "--version");
        }
    }

    @Override
    public String id() {
        return "foreign-tools";
    }

    @Override
    public List<Tool> binaries() {
        return List.of(Tool.TOOL);
    }

    @Override
    public String version(BinaryVersions versions) {
        return VERSION;
    }

    @Override
    public BuildRecipe recipe() {
        return (GoModuleBuilder go, String version, Path outDir) -> {
            try {
                FakeBinaries.write(outDir, Tool.TOOL, version);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Provenance("written by the test", null, Instant.now());
        };
    }
}
