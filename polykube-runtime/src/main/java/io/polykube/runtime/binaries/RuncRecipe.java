package io.polykube.runtime.binaries;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds runc {@code version} (e.g. {@code 1.5.3}) into {@code outDir/runc}, with cgo (runc's {@code nsenter} runs C code
 * before the Go runtime starts; without cgo {@code runc init} cannot enter namespaces) as a PIE, like runc's Makefile.
 * With the {@code seccomp} tag when pkg-config finds libseccomp ({@code libseccomp-dev}): without it runc refuses every
 * container whose spec has a seccomp section, {@code RuntimeDefault} pods included. Never with {@code libpathrs} (a Rust
 * library this host lacks; runc then uses its pure Go fallback).
 */
final class RuncRecipe implements BuildRecipe {

    private static final Logger LOG = LoggerFactory.getLogger(RuncRecipe.class);

    static final String MODULE = "github.com/opencontainers/runc";

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        BinaryVersions.checkFormat("runc", version, 1);
        requireCCompiler(go.command());
        boolean seccomp = libseccompAvailable(go.command());
        List<String> tags = tags(seccomp);
        return go.inCgoWorkspace(ClusterBinarySet.RUNC, version, ws -> {
            ws.writeSingleModuleWrapper("runc-build", MODULE, version);
            String without = seccomp ? "" : " WITHOUT seccomp (libseccomp-dev or pkg-config is missing: containers with a "
                    + "seccomp profile will fail; install them and delete the cache entry to rebuild)";
            if (!seccomp) {
                LOG.warn("{}: building{}", ws.what(), without);
            }
            ws.goBuild(ws.what() + ": go build with cgo, tags " + String.join(" ", tags) + without + " (log " + ws.log() + ")",
                    List.of("build", "-trimpath", "-buildmode=pie", "-tags", String.join(" ", tags), "-ldflags", "-s -w",
                            "-o", outDir.resolve(ClusterBinary.RUNC.fileName()).toAbsolutePath().toString(), MODULE));
            return ws.provenance("go build via the Go module proxy, cgo, tags " + String.join(" ", tags) + without,
                    Instant.now());
        });
    }

    /** runc's build tags: its Makefile's, less {@code libpathrs}, and less {@code seccomp} without libseccomp. */
    static List<String> tags(boolean seccomp) {
        return seccomp ? List.of("seccomp", "urfave_cli_no_docs") : List.of("urfave_cli_no_docs");
    }

    /** Fails with what to install when there is no C compiler for the cgo build. */
    static void requireCCompiler(GoCommand command) {
        String cc = command.variable("CC", "gcc").trim().split("\\s+")[0];
        if (cc.contains(File.separator) ? Files.isExecutable(Path.of(cc)) : command.onSearchPath(cc).isPresent()) {
            return;
        }
        throw new BinaryException("runc is built with cgo and needs a C compiler, but there is no " + cc + " on PATH ("
                + command.searchPath() + "): install gcc, libc6-dev, libseccomp-dev and pkg-config (./polykube setup does)");
    }

    /** Whether {@code pkg-config --exists libseccomp} succeeds (false without pkg-config). */
    static boolean libseccompAvailable(GoCommand command) {
        Optional<Path> pkgConfig = command.onSearchPath("pkg-config");
        if (pkgConfig.isEmpty()) {
            return false;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(pkgConfig.get().toString(), "--exists", "libseccomp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(command.environment(true));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", pkgConfig.get(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while looking for libseccomp", e);
        }
    }
}
