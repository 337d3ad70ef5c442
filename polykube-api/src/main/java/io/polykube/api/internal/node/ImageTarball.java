package io.polykube.api.internal.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.error.PolykubeException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The image names an image tarball holds, as containerd names them once imported: an OCI layout's {@code index.json}
 * ({@code io.containerd.image.name} of each manifest) or a {@code docker save} archive's {@code manifest.json}
 * ({@code RepoTags}, normalized as containerd does: {@code busybox:1} is {@code docker.io/library/busybox:1}). Read from
 * the file itself, so what a load reports does not depend on the output format of one {@code ctr} version.
 */
final class ImageTarball {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageTarball() {
    }

    /** The names in {@code tarball}, in the order it lists them. */
    static List<String> names(Path tarball) {
        Set<String> names = new LinkedHashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (name.equals("index.json")) {
                    for (JsonNode manifest : JSON.readTree(tar.readAllBytes()).path("manifests")) {
                        String image = manifest.path("annotations").path("io.containerd.image.name").asText("");
                        if (!image.isEmpty()) {
                            names.add(normalize(image));
                        }
                    }
                } else if (name.equals("manifest.json")) {
                    for (JsonNode image : JSON.readTree(tar.readAllBytes())) {
                        image.path("RepoTags").forEach(tag -> names.add(normalize(tag.asText())));
                    }
                }
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot read image tarball " + tarball + " (" + e.getMessage() + "): give an OCI layout "
                    + "or a docker-save archive, as a plain .tar", e);
        }
        return new ArrayList<>(names);
    }

    /** {@code busybox:1} as containerd names it: {@code docker.io/library/busybox:1}. */
    static String normalize(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + reference;
        }
        String first = reference.substring(0, slash);
        boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
        return registry ? reference : "docker.io/" + reference;
    }
}
