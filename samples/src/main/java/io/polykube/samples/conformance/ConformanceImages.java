package io.polykube.samples.conformance;

import io.polykube.api.PolykubeException;
import io.polykube.api.node.ImageBuilder;
import io.polykube.api.node.Images;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The images the conformance tests run, built locally from files under the exact upstream names and tags the suite asks for
 * (so no registry is ever asked): agnhost from source, busybox from the host's static busybox, pause from polykube's own,
 * and httpd/nginx stand-ins that serve {@code index.html} on :80 with busybox httpd.
 */
public final class ConformanceImages {
    static final String E2E = "registry.k8s.io/e2e-test-images/";
    /** The names the suite of Kubernetes 1.34 asks for (test/utils/image/manifest.go). */
    public static final String AGNHOST = E2E + "agnhost:2.56";
    public static final String BUSYBOX = E2E + "busybox:1.37.0-1";
    public static final String PAUSE = "registry.k8s.io/pause:3.10.1";
    static final List<String> HTTPD = List.of(E2E + "httpd:2.4.38-4", E2E + "httpd:2.4.39-4");
    static final List<String> NGINX = List.of(E2E + "nginx:1.14-4", E2E + "nginx:1.15-4");

    /**
     * A stand-in for the curl options the suite uses ({@code -q -s -g --connect-timeout N -o FILE URL}) on busybox wget:
     * agnhost's upstream image has curl, busybox has none.
     */
    static final String CURL = "#!/bin/sh\n"
            + "# polykube stand-in for curl: the options the e2e suite passes, mapped onto busybox wget\n"
            + "url=; timeout=; out=-\n"
            + "while [ $# -gt 0 ]; do\n"
            + "  case \"$1\" in\n"
            + "    --connect-timeout|-m|--max-time) timeout=\"$2\"; shift ;;\n"
            + "    -o|--output) out=\"$2\"; shift ;;\n"
            + "    -X|-H|-d|--data|--header|--request|-w|--write-out) shift ;;\n"
            + "    -*) ;;\n"
            + "    *) url=\"$1\" ;;\n"
            + "  esac\n"
            + "  shift\n"
            + "done\n"
            + "exec /bin/busybox wget -q ${timeout:+-T \"$timeout\"} -O \"$out\" \"$url\"\n";

    private final Path busybox;
    private final Path agnhost;
    private final Path pause;

    public ConformanceImages(Path busybox, Path agnhost, Path pause) {
        this.busybox = busybox;
        this.agnhost = agnhost;
        this.pause = pause;
    }

    /** Writes every image's tarball into {@code dir}; returns image name to tarball. */
    public Map<String, Path> writeTo(Path dir) {
        List<String> applets = applets();
        UnaryOperator<ImageBuilder> withBusybox = b -> {
            b.file(busybox, "/bin/busybox", 0755).content("/tmp/.keep", "", 0644);
            for (String applet : applets) {
                b.symlink("/bin/" + applet, "busybox");
            }
            return b;
        };
        Map<String, ImageBuilder> images = new LinkedHashMap<>();
        images.put(AGNHOST, withBusybox.apply(Images.fromFiles(AGNHOST)).file(agnhost, "/agnhost", 0755)
                .content("/usr/bin/curl", CURL, 0755).entrypoint("/agnhost").cmd("pause"));
        images.put(BUSYBOX, withBusybox.apply(Images.fromFiles(BUSYBOX)).cmd("sh"));
        images.put(PAUSE, Images.fromFiles(PAUSE).file(pause, "/pause", 0755).entrypoint("/pause"));
        for (String httpd : HTTPD) {
            images.put(httpd, webServer(withBusybox.apply(Images.fromFiles(httpd)), "/usr/local/apache2/htdocs"));
        }
        for (String nginx : NGINX) {
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

    /** The applets of the host's busybox ({@code busybox --list}), without {@code busybox} itself. */
    private List<String> applets() {
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new PolykubeException(busybox + " --list failed: " + out.strip() + ". Install busybox-static (./polykube setup)");
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
