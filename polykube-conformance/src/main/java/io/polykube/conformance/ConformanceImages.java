package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.ImageBuilder;
import io.polykube.api.images.Images;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The images the conformance tests run, built locally from files under the exact upstream names and tags the suite of the
 * cluster's Kubernetes version asks for ({@link SuiteImages}, read from its manifest.go), so no registry is ever asked:
 * agnhost from source (under the current and, where the suite has one, the previous agnhost tag), busybox built from
 * upstream source, pause from polykube's own, httpd (where the suite still has it) and nginx stand-ins that serve
 * {@code index.html} on :80 with busybox httpd, the DNS tests' image (jessie-dnsutils, or glibc-dns-testing from 1.36 on)
 * from busybox plus the host's Debian {@code dig} and {@code getent} (with their libraries), and nautilus/kitten as agnhost
 * {@code test-webserver} serving the upstream files of {@code test/images/<name>/html} from the Kubernetes module source,
 * nonewprivs as busybox plus its {@code nnp} program setuid root (built from the same source); with
 * {@link #withSampleApiServer} also sample-apiserver and etcd for the aggregator test.
 */
final class ConformanceImages {
    /** Where upstream's Dockerfile puts nnp ({@code COPY nnp /usr/local/bin/nnp}, {@code RUN chmod +s}, {@code CMD ["nnp"]}). */
    static final String NNP = "/usr/local/bin/nnp";
    /** The host's Debian binaries the DNS probes run ({@code dig +search ...}, {@code getent hosts ...}). */
    static final Path DIG = Path.of("/usr/bin/dig");
    static final Path GETENT = Path.of("/usr/bin/getent");
    /**
     * The host's Debian OpenBSD netcat, which agnhost's upstream image has (alpine's netcat-openbsd): the Service tests
     * run {@code nc -v -t -w 2 <host> <port>} and {@code nc -u}, options busybox's nc lacks. Put at /usr/bin/nc, ahead of
     * busybox's /bin/nc on the PATH.
     */
    static final Path NETCAT = Path.of("/usr/bin/nc.openbsd");
    /**
     * The host's bash, as agnhost's /bin/sh: the static busybox's ash prefers its own applets to the PATH, so {@code nc}
     * would not be netcat. (The busybox image's sh is upstream's ash: Debian's drops environment variables whose names are
     * not identifiers, which the Secret and ConfigMap tests print with {@code sh -c env}.)
     */
    static final Path BASH = Path.of("/bin/bash");
    /** glibc reads it for {@code getent hosts}: /etc/hosts (which kubelet writes) first, then DNS, as on Debian. */
    static final String NSSWITCH = "hosts: files dns\n";

    /**
     * The host's Debian curl, which agnhost's upstream image has: the Service tests run {@code curl -q -s --connect-timeout
     * N --max-time M URL} in loops (busybox's wget, a static glibc build, crashes on {@code -T}).
     */
    static final Path CURL = Path.of("/usr/bin/curl");

    private final SuiteImages names;
    private final Path busybox;
    private final Path upstreamBusybox;
    private final Path agnhost;
    private final Path pause;
    private final Path nonewprivs;
    private final KubernetesSource source;
    private final HostExecutable dig;
    private final HostExecutable getent;
    private final HostExecutable netcat;
    private final HostExecutable bash;
    private final HostExecutable curl;
    private final Optional<Aggregated> aggregated;

    /** The programs of the aggregator test's two images. */
    private record Aggregated(Path sampleApiServer, Path etcd) {
    }

    /**
     * Checks every input at once (before a cluster starts), so a missing tool fails fast with its fix.
     *
     * @param names           the names the suite asks for (the cluster's Kubernetes version's manifest.go)
     * @param busybox         the host's static busybox, for the other images
     * @param upstreamBusybox a static busybox built from upstream's source, for the busybox image (its ash is /bin/sh)
     * @param agnhost         agnhost built from {@code source}
     * @param nonewprivs      the static {@code nnp} program (upstream test/images/nonewprivs/nnp.go of {@code source})
     * @param source          the k8s.io/kubernetes module source of the cluster's Kubernetes version
     */
    ConformanceImages(SuiteImages names, Path busybox, Path upstreamBusybox, Path agnhost, Path pause, Path nonewprivs,
            KubernetesSource source) {
        this.names = names;
        this.busybox = busybox;
        this.upstreamBusybox = upstreamBusybox;
        this.agnhost = agnhost;
        this.pause = pause;
        this.nonewprivs = nonewprivs;
        this.source = source;
        Map<Path, String> upstreamFiles = new LinkedHashMap<>();
        for (String name : List.of("nautilus", "kitten")) {
            upstreamFiles.put(html(name).resolve(name + ".jpg"), name);
            upstreamFiles.put(html(name).resolve("data.json"), name);
        }
        upstreamFiles.put(porter("localhost.crt"), "agnhost");
        upstreamFiles.put(porter("localhost.key"), "agnhost");
        upstreamFiles.forEach((file, image) -> {
            if (!Files.isRegularFile(file)) {
                throw new PolykubeException(file + " is missing: the " + image + " image carries it; " + source.fix());
            }
        });
        this.dig = HostExecutable.of(DIG, "the DNS tests need dig: install bind9-dnsutils (./polykube setup)");
        this.getent = HostExecutable.of(GETENT, "the DNS tests need getent: install libc-bin (./polykube setup)");
        this.netcat = HostExecutable.of(NETCAT, "the Service tests need nc -v/-u: install netcat-openbsd (./polykube setup)");
        this.bash = HostExecutable.of(BASH, "agnhost's shell is the host's bash: install bash");
        this.curl = HostExecutable.of(CURL, "the Service tests run curl: install curl (./polykube setup)");
        this.aggregated = Optional.empty();
    }

    private ConformanceImages(ConformanceImages base, Aggregated aggregated) {
        this.names = base.names;
        this.busybox = base.busybox;
        this.upstreamBusybox = base.upstreamBusybox;
        this.agnhost = base.agnhost;
        this.pause = base.pause;
        this.nonewprivs = base.nonewprivs;
        this.source = base.source;
        this.dig = base.dig;
        this.getent = base.getent;
        this.netcat = base.netcat;
        this.bash = base.bash;
        this.curl = base.curl;
        this.aggregated = Optional.of(aggregated);
    }

    /** These images plus sample-apiserver (the static {@code sampleApiServer} program) and etcd ({@code etcd}). */
    ConformanceImages withSampleApiServer(Path sampleApiServer, Path etcd) {
        for (Path p : List.of(sampleApiServer, etcd)) {
            if (!Files.isRegularFile(p)) {
                throw new PolykubeException(p + " is missing: the Sample API Server test's images are made from it");
            }
        }
        return new ConformanceImages(this, new Aggregated(sampleApiServer, etcd));
    }

    /** agnhost's serving certificate and key (upstream ADDs porter/localhost.crt and .key to /): netexec --tls-* reads them. */
    private Path porter(String file) {
        return source.resolve("test/images/agnhost/porter").resolve(file);
    }

    private Path html(String image) {
        return source.resolve("test/images").resolve(image).resolve("html");
    }

    /** Writes every image's tarball into {@code dir}; returns image name to tarball. */
    Map<String, Path> writeTo(Path dir) {
        List<String> applets = applets(busybox);
        UnaryOperator<ImageBuilder> withBusybox = b -> withBusybox(b, busybox, applets);
        // the DNS probes run dig and getent in both the agnhost and the DNS image's container
        UnaryOperator<ImageBuilder> withDnsTools = b -> {
            dig.addTo(b);
            getent.addTo(b);
            return b.content("/etc/nsswitch.conf", NSSWITCH, 0644);
        };
        // bash as sh as well: Debian's static busybox ash runs its own applets before the PATH, so nc would be busybox's
        UnaryOperator<ImageBuilder> asAgnhost = b -> curl.addTo(bash.addTo(netcat.addTo(withBusybox.apply(b), "/usr/bin/nc"), "/bin/sh"))
                .file(agnhost, "/agnhost", 0755)
                .symlink("/agnhost-2", "agnhost") // upstream: RUN ln -s agnhost agnhost-2 (the Containers tests run it)
                .file(porter("localhost.crt"), "/localhost.crt", 0644) // the lifecycle hook tests' HTTPS handler
                .file(porter("localhost.key"), "/localhost.key", 0600)
                .content("/uploads/.keep", "", 0644) // upstream: RUN mkdir /uploads (netexec's /upload)
                .entrypoint("/agnhost");
        Map<String, ImageBuilder> images = new LinkedHashMap<>();
        // the current and the previous agnhost (the rolling-update tests go from one to the other): the same program
        for (String image : names.agnhost()) {
            images.put(image, withDnsTools.apply(asAgnhost.apply(Images.fromFiles(image))).cmd("pause"));
        }
        // jessie-dnsutils, or glibc-dns-testing from 1.36 on: the probes (dig, getent) did not change
        for (String image : names.dnsUtils()) {
            images.put(image, withDnsTools.apply(withBusybox.apply(Images.fromFiles(image))).cmd("sh"));
        }
        // upstream: agnhost with <name>.jpg and data.json copied to / and CMD ["test-webserver"] (serves / on :80)
        for (String image : List.of(names.nautilus(), names.kitten())) {
            String name = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
            images.put(image, asAgnhost.apply(Images.fromFiles(image))
                    .file(html(name).resolve(name + ".jpg"), "/" + name + ".jpg", 0644)
                    .file(html(name).resolve("data.json"), "/data.json", 0644)
                    .cmd("test-webserver"));
        }
        aggregated.ifPresent(a -> {
            // upstream: ENTRYPOINT ["/sample-apiserver"]; the test passes only args
            images.put(names.sampleApiServer(), Images.fromFiles(names.sampleApiServer())
                    .file(a.sampleApiServer(), "/sample-apiserver", 0755)
                    .content("/tmp/.keep", "", 0644).entrypoint("/sample-apiserver"));
            // the test gives the whole command; etcd keeps its data in the working directory
            images.put(names.etcd(), Images.fromFiles(names.etcd()).file(a.etcd(), "/usr/local/bin/etcd", 0755)
                    .content("/var/lib/etcd/.keep", "", 0644).content("/tmp/.keep", "", 0644)
                    .workingDir("/var/lib/etcd").entrypoint("/usr/local/bin/etcd"));
        });
        // upstream's ash as sh: keeps variables like 1-data-1, says "/bin/sh: can't create /file: Read-only file system"
        images.put(names.busybox(), withBusybox(Images.fromFiles(names.busybox()), upstreamBusybox, applets(upstreamBusybox))
                .cmd("sh"));
        images.put(names.pause(), Images.fromFiles(names.pause()).file(pause, "/pause", 0755).entrypoint("/pause"));
        // upstream: alpine with nnp setuid root; run as uid 1000 it prints uid 0 unless no_new_privs stops the setuid
        images.put(names.nonewprivs(), withBusybox.apply(Images.fromFiles(names.nonewprivs())).file(nonewprivs, NNP, 04755)
                .cmd("nnp"));
        for (String httpd : names.httpd()) {
            images.put(httpd, webServer(withBusybox.apply(Images.fromFiles(httpd)), "/usr/local/apache2/htdocs"));
        }
        for (String nginx : names.nginx()) {
            images.put(nginx, webServer(withBusybox.apply(Images.fromFiles(nginx)), "/usr/share/nginx/html"));
        }
        Map<String, Path> tarballs = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PolykubeException("cannot create the image directory " + dir + ": " + e.getMessage(), e);
        }
        images.forEach((name, builder) -> tarballs.put(name,
                builder.writeTo(dir.resolve(name.substring(name.lastIndexOf('/') + 1).replace(':', '-') + ".tar"))));
        return tarballs;
    }

    private static ImageBuilder webServer(ImageBuilder b, String root) {
        return b.content(root + "/index.html", "<html><body><h1>It works!</h1></body></html>\n", 0644)
                .entrypoint("/bin/busybox", "httpd", "-f", "-p", "80", "-h", root);
    }

    private static ImageBuilder withBusybox(ImageBuilder b, Path busybox, List<String> applets) {
        b.file(busybox, "/bin/busybox", 0755).content("/tmp/.keep", "", 0644);
        for (String applet : applets) {
            b.symlink("/bin/" + applet, "busybox");
        }
        return b;
    }

    /** The applets of a busybox ({@code busybox --list}), without {@code busybox} itself. */
    private static List<String> applets(Path busybox) {
        try {
            BoundedCommand.Outcome listed = BoundedCommand.of(busybox.toString(), "--list").timeout(Duration.ofSeconds(30)).run();
            String out = listed.output();
            if (!listed.succeeded()) {
                throw new PolykubeException(busybox + " --list " + listed.describeEnd() + ": " + out.strip()
                        + ". Install busybox-static (./polykube setup)");
            }
            Set<String> skip = Set.of("busybox", "curl");
            List<String> applets = new ArrayList<>();
            Arrays.stream(out.split("\n")).map(String::strip).filter(a -> a.matches("[A-Za-z0-9_.\\[-]+"))
                    .filter(a -> !skip.contains(a)).forEach(applets::add);
            return applets;
        } catch (IOException e) {
            throw new PolykubeException("cannot run " + busybox + ": " + e.getMessage() + ". Install busybox-static (./polykube setup)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while listing the applets of " + busybox, e);
        }
    }
}
