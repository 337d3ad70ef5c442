package io.polykube.config.containerd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A containerd registry hosts directory ({@code config_path}) that sends every registry host to one local endpoint and
 * never to the upstream registry. Checked against containerd 1.6.20 (Debian 12), whose hosts code the CRI plugin and
 * {@code ctr --hosts-dir} share: {@code _default/hosts.toml} covers every host without a directory of its own; a file
 * without a {@code [host]} table fails to decode ("invalid `host` tree") and containerd then falls back to the upstream,
 * so the endpoint is given as a {@code [host]} mirror; and the upstream is the last host tried unless {@code server}
 * names another, so {@code server} is the endpoint too.
 */
public final class RegistryHosts {
    /** The directory containerd uses for every host that has none of its own. */
    public static final String DEFAULT_HOST = "_default";

    private final URI endpoint;
    private final List<String> hosts;

    private RegistryHosts(URI endpoint, List<String> hosts) {
        this.endpoint = endpoint;
        this.hosts = hosts;
    }

    /** Every host ({@code _default}) to {@code endpoint}, e.g. a closed local port. */
    public static RegistryHosts allTo(URI endpoint) {
        return allTo(endpoint, List.of(DEFAULT_HOST));
    }

    /** These hosts to {@code endpoint}. */
    public static RegistryHosts allTo(URI endpoint, List<String> hosts) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new ConfigException("registry endpoint", "'" + endpoint + "' must be an http(s) URL such as http://127.0.0.1:1");
        }
        List<String> list = new ArrayList<>();
        for (String host : hosts) {
            if (!host.matches("_default|[a-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new ConfigException("registry host", "'" + host + "' is not a registry host such as docker.io or "
                        + "localhost:5000");
            }
            list.add(host);
        }
        return new RegistryHosts(endpoint, List.copyOf(list));
    }

    public URI endpoint() {
        return endpoint;
    }

    public List<String> hosts() {
        return hosts;
    }

    /** The {@code hosts.toml} of every host. */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("server", endpoint.toString());
        root.putObject("host").putObject(endpoint.toString()).putArray("capabilities").add("pull").add("resolve");
        return Mappers.toml(root);
    }

    /** Writes {@code <dir>/<host>/hosts.toml} for every host (0600, atomic) and returns {@code dir}. */
    public Path writeInto(Path dir) {
        Path base = Check.absolute("registry config_path", dir);
        String content = render();
        for (String host : hosts) {
            ConfigFiles.writeAtomically(base.resolve(host).resolve("hosts.toml"),
                    content, ConfigFiles.PRIVATE);
        }
        return base;
    }
}
