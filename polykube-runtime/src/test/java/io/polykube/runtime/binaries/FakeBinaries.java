package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/** Small shell scripts that print what the real binaries print for their version. */
final class FakeBinaries {

    private FakeBinaries() {
    }

    static Path write(Path dir, Binary binary, String version) throws IOException {
        Files.createDirectories(dir);
        String output;
        switch (binary.set()) {
            case KUBERNETES:
                output = binary == Binary.KUBECTL
                        ? "{\"clientVersion\": {\"major\": \"1\", \"gitVersion\": \"v" + version + "\"}}"
                        : "Kubernetes v" + version;
                break;
            case ETCD:
                output = binary.fileName() + (binary == Binary.ETCD ? " Version: " : " version: ") + version;
                break;
            default:
                output = "polykube-pause " + version;
        }
        Path file = dir.resolve(binary.fileName());
        Files.writeString(file, "#!/bin/sh\necho '" + output + "'\n");
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
