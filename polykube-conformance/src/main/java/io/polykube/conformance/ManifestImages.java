package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image table of one Kubernetes version's e2e suite, read from its {@code test/utils/image/manifest.go}: each ImageID
 * (e.g. {@code Agnhost}) with the name the suite asks for, {@code registry/name:tag}, as {@code GetE2EImage} makes it
 * when {@code KUBE_TEST_REPO_LIST} and {@code KUBE_TEST_REPO} are unset.
 *
 * @param origin what was read (a path), for messages
 * @param images ImageID to image name, in the file's order
 */
record ManifestImages(String origin, Map<String, String> images) {
    /** Where the table is, relative to the k8s.io/kubernetes module. */
    static final String FILE = "test/utils/image/manifest.go";
    /** One image: {@code configs[Agnhost] = Config{list.PromoterE2eRegistry, "agnhost", "2.66.1"}}. */
    private static final Pattern CONFIG =
            Pattern.compile("configs\\[(\\w+)\\]\\s*=\\s*Config\\{list\\.(\\w+),\\s*\"([^\"]+)\",\\s*\"([^\"]+)\"\\}");
    /** The registries' block, {@code initRegistry = RegistryList{ ... }}. */
    private static final Pattern REGISTRIES = Pattern.compile("initRegistry\\s*=\\s*RegistryList\\{([^}]*)\\}");
    /** One registry in that block: {@code PromoterE2eRegistry: "registry.k8s.io/e2e-test-images",}. */
    private static final Pattern REGISTRY = Pattern.compile("(?m)^\\s*(\\w+):\\s*\"([^\"]+)\"");

    ManifestImages {
        Objects.requireNonNull(origin, "origin");
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** Reads {@code file} (a manifest.go). */
    static ManifestImages read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new PolykubeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a manifest.go; {@code origin} names it in errors. */
    static ManifestImages parse(String text, String origin) {
        Matcher block = REGISTRIES.matcher(text);
        if (!block.find()) {
            throw new PolykubeException(origin + " has no 'initRegistry = RegistryList{...}' block: its layout changed, so "
                    + "polykube cannot tell which images the e2e suite asks for; update ManifestImages");
        }
        Map<String, String> registries = new LinkedHashMap<>();
        Matcher registry = REGISTRY.matcher(block.group(1));
        while (registry.find()) {
            registries.put(registry.group(1), registry.group(2));
        }
        Map<String, String> images = new LinkedHashMap<>();
        Matcher config = CONFIG.matcher(text);
        while (config.find()) {
            String list = registries.get(config.group(2));
            if (list == null) {
                throw new PolykubeException(origin + ": image " + config.group(1) + " names registry list." + config.group(2)
                        + ", which initRegistry does not define (it has " + registries.keySet() + "); update ManifestImages");
            }
            images.put(config.group(1), list + "/" + config.group(3) + ":" + config.group(4));
        }
        if (images.isEmpty()) {
            throw new PolykubeException(origin + " has no 'configs[ID] = Config{list.R, \"name\", \"tag\"}' line: its layout "
                    + "changed, so polykube cannot tell which images the e2e suite asks for; update ManifestImages");
        }
        return new ManifestImages(origin, images);
    }

    /** The image of ImageID {@code id}, or an error naming the file when the suite has no such image. */
    String require(String id) {
        return find(id).orElseThrow(() -> new PolykubeException(origin + " has no image " + id + ": polykube builds a "
                + "local stand-in for it, so this Kubernetes version's e2e suite differs from what polykube knows; "
                + "update SuiteImages (or skip the tests that need it with --skip)"));
    }

    /** The image of ImageID {@code id}, if the suite has it. */
    Optional<String> find(String id) {
        return Optional.ofNullable(images.get(id));
    }
}
