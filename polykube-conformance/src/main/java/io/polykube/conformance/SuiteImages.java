package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The images of one Kubernetes version's e2e suite that polykube builds local stand-ins for, under the names that
 * version's {@code test/utils/image/manifest.go} gives them ({@link ManifestImages}), grouped by stand-in. Lists hold the
 * names one stand-in is tagged with (current and previous agnhost, the two nginx tags, ...), without repeats.
 *
 * @param agnhost         ImageIDs Agnhost and, where present, AgnhostPrev (the "old" image the rolling-update tests
 *                        start from; both from the same locally built agnhost)
 * @param busybox         BusyBox
 * @param pause           Pause
 * @param httpd           Httpd and HttpdNew where present (Kubernetes 1.34 and before); may be empty
 * @param nginx           Nginx and NginxNew
 * @param dnsUtils        JessieDnsutils or, from 1.36 on, GlibcDnsTesting (the same dig and getent probes)
 * @param nautilus        Nautilus
 * @param kitten          Kitten
 * @param nonewprivs      Nonewprivs
 * @param sampleApiServer APIServer, the aggregator test's sample-apiserver
 * @param etcd            Etcd, which runs beside the sample-apiserver
 */
record SuiteImages(List<String> agnhost, String busybox, String pause, List<String> httpd, List<String> nginx,
        List<String> dnsUtils, String nautilus, String kitten, String nonewprivs, String sampleApiServer, String etcd) {

    SuiteImages {
        agnhost = distinct("agnhost", agnhost, true);
        httpd = distinct("httpd", httpd, false);
        nginx = distinct("nginx", nginx, true);
        dnsUtils = distinct("dnsUtils", dnsUtils, true);
        for (String name : new String[] {busybox, pause, nautilus, kitten, nonewprivs, sampleApiServer, etcd}) {
            Objects.requireNonNull(name, "image name");
        }
    }

    /**
     * The stand-ins' names in {@code manifest}; an error naming the file if an image polykube builds is missing (ImageIDs
     * Agnhost, BusyBox, Pause, Nginx, NginxNew, Nautilus, Kitten, Nonewprivs, APIServer, Etcd, and JessieDnsutils or
     * GlibcDnsTesting).
     */
    static SuiteImages of(ManifestImages manifest) {
        List<String> dnsUtils = Stream.of("JessieDnsutils", "GlibcDnsTesting").flatMap(id -> manifest.find(id).stream()).toList();
        if (dnsUtils.isEmpty()) {
            throw new PolykubeException(manifest.origin() + " has neither image JessieDnsutils nor GlibcDnsTesting: polykube "
                    + "builds the DNS tests' image under one of those names, so this Kubernetes version's e2e suite differs "
                    + "from what polykube knows; update SuiteImages (or skip the DNS tests with --skip '\\[sig-network\\] DNS')");
        }
        return new SuiteImages(
                withOptional(manifest.require("Agnhost"), manifest, "AgnhostPrev"),
                manifest.require("BusyBox"),
                manifest.require("Pause"),
                Stream.of("Httpd", "HttpdNew").flatMap(id -> manifest.find(id).stream()).toList(),
                List.of(manifest.require("Nginx"), manifest.require("NginxNew")),
                dnsUtils,
                manifest.require("Nautilus"),
                manifest.require("Kitten"),
                manifest.require("Nonewprivs"),
                manifest.require("APIServer"),
                manifest.require("Etcd"));
    }

    /** The current agnhost, the one most tests run. */
    String currentAgnhost() {
        return agnhost.get(0);
    }

    /** Every name, each once. */
    List<String> all() {
        List<String> all = new ArrayList<>(agnhost);
        all.addAll(List.of(busybox, pause));
        all.addAll(httpd);
        all.addAll(nginx);
        all.addAll(dnsUtils);
        all.addAll(List.of(nautilus, kitten, nonewprivs, sampleApiServer, etcd));
        return all.stream().distinct().toList();
    }

    private static List<String> withOptional(String required, ManifestImages manifest, String optionalId) {
        List<String> names = new ArrayList<>(List.of(required));
        manifest.find(optionalId).ifPresent(names::add);
        return names;
    }

    private static List<String> distinct(String what, List<String> names, boolean required) {
        List<String> distinct = Objects.requireNonNull(names, what).stream().distinct().toList();
        if (required && distinct.isEmpty()) {
            throw new IllegalArgumentException(what + ": at least one image name is needed");
        }
        return distinct;
    }
}
