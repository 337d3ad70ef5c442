package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/** Small shell scripts that print what the real binaries print for their version (another module's: {@code NAME version V}). */
final class FakeBinaries {

    private FakeBinaries() {
    }

    static Path write(Path dir, Binary binary, String version) throws IOException {
        Files.createDirectories(dir);
        if (!(binary.set() instanceof ClusterBinarySet set)) {
            return script(dir.resolve(binary.fileName()), "echo '" + binary.fileName() + " version " + version + "'\n");
        }
        String output;
        switch (set) {
            case KUBERNETES:
                output = binary == ClusterBinary.KUBECTL
                        ? "{\"clientVersion\": {\"major\": \"1\", \"gitVersion\": \"v" + version + "\"}}"
                        : "Kubernetes v" + version;
                break;
            case ETCD:
                output = binary.fileName() + (binary == ClusterBinary.ETCD ? " Version: " : " version: ") + version;
                break;
            case CONTAINERD:
                output = binary == ClusterBinary.CONTAINERD_SHIM_RUNC_V2
                        ? binary.fileName() + ":\n  Version:  " + version + "\n  Revision: \n"
                        : binary.fileName() + " github.com/containerd/containerd/v2 " + version;
                break;
            case RUNC:
                output = "runc version " + version + "\nspec: 1.3.0\nlibseccomp: 2.5.4";
                break;
            case CNI_PLUGINS:
                // a plugin prints its name and version on stderr when CNI_COMMAND is unset, and acts on it otherwise
                Path plugin = dir.resolve(binary.fileName());
                Files.writeString(plugin, "#!/bin/sh\nif [ -n \"$CNI_COMMAND\" ]; then echo acted; exit 7; fi\n"
                        + "echo 'CNI " + binary.fileName() + " plugin v" + version + "' >&2\n"
                        + "echo 'CNI protocol versions supported: 0.1.0, 1.1.0' >&2\n");
                Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
                return plugin;
            default:
                output = "polykube-pause " + version;
        }
        return script(dir.resolve(binary.fileName()), "echo '" + output + "'\n");
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A populator that writes the whole set at {@code version}. */
    static BinaryCache.Populator set(BinarySet set, String version) {
        return dir -> {
            for (Binary b : set.binaries()) {
                write(dir, b, version);
            }
            return new Provenance("fake", null, Instant.now());
        };
    }
}
