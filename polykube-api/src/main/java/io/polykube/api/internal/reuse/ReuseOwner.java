package io.polykube.api.internal.reuse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.files.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner side of a reused cluster: a loopback endpoint where one test JVM at a time takes a lease ({@code attach}),
 * asks for resets, and gives the lease back ({@code release}, after which the owner resets the cluster while nobody waits).
 * A lease whose JVM died lapses; with no lease for the idle timeout the owner is told to stop ({@code onIdle}).
 */
public final class ReuseOwner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReuseOwner.class);
    static final String TOKEN_HEADER = "X-Polykube-Token";

    /** What the owner does for its callers. */
    public interface Operations {
        /** Resets the cluster to its post-start snapshot. */
        void reset();

        /** Why the cluster cannot serve a test now (a component not ready), if so. */
        Optional<String> unhealthy();
    }

    private final ClusterLayout layout;
    private final Operations operations;
    private final byte[] token;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2, daemon("polykube-reuse-http"));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("polykube-reuse-watchdog"));
    private long leasePid;
    private boolean dirty;
    private long idleSince = System.nanoTime();

    private ReuseOwner(ClusterLayout layout, Operations operations, byte[] token, HttpServer server) {
        this.layout = layout;
        this.operations = operations;
        this.token = token;
        this.server = server;
    }

    /** Serves the cluster in {@code layout} (running, key {@code key}) on a loopback port, recorded in {@code run/reuse.json}. */
    public static ReuseOwner serve(ClusterLayout layout, String key, Duration idleTimeout, Operations operations, Runnable onIdle)
            throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        byte[] token = HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
        AtomicFile.at(ReuseEndpoint.tokenFile(layout)).permissions(AtomicFile.OWNER_ONLY).write(out -> out.write(token));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        ReuseOwner owner = new ReuseOwner(layout, operations, token, server);
        server.createContext("/", owner::handle);
        server.setExecutor(owner.handlers);
        server.start();
        new ReuseEndpoint(key, server.getAddress().getPort(), ProcessHandle.current().pid(),
                ReuseEndpoint.currentProcessStartMillis(), idleTimeout.toString()).write(layout);
        owner.watchdog.scheduleWithFixedDelay(() -> owner.watch(idleTimeout, onIdle), 1, 1, TimeUnit.SECONDS);
        return owner;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII), token)) {
                reply(exchange, 403, "bad token");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "POST only");
                return;
            }
            long pid = pidOf(exchange.getRequestURI().getQuery());
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/attach" -> attach(exchange, pid);
                case "/reset" -> reset(exchange, pid);
                case "/release" -> release(exchange, pid);
                default -> reply(exchange, 404, "no such request: " + path);
            }
        } catch (RuntimeException e) {
            LOG.warn("Reused cluster in {}: a request failed: {}", layout.root(), e.toString());
        }
    }

    private synchronized void attach(HttpExchange exchange, long pid) throws IOException {
        if (leasePid != 0 && leasePid != pid && alive(leasePid)) {
            reply(exchange, 409, "in use by the test JVM pid " + leasePid);
            return;
        }
        Optional<String> unhealthy = operations.unhealthy();
        if (unhealthy.isPresent()) {
            reply(exchange, 503, unhealthy.get());
            return;
        }
        if (dirty && !resetOrReply(exchange)) {
            return;
        }
        leasePid = pid;
        dirty = true;
        LOG.info("Reused cluster in {}: attached by pid {}", layout.root(), pid);
        reply(exchange, 200, "attached");
    }

    private synchronized void reset(HttpExchange exchange, long pid) throws IOException {
        if (leasePid != pid) {
            reply(exchange, 409, "pid " + pid + " holds no lease on this cluster" + (leasePid == 0 ? "" : " (pid " + leasePid + " does)"));
            return;
        }
        if (resetOrReply(exchange)) {
            dirty = true; // the test goes on using it
            reply(exchange, 200, "reset");
        }
    }

    private boolean resetOrReply(HttpExchange exchange) throws IOException {
        try {
            operations.reset();
            dirty = false;
            return true;
        } catch (RuntimeException e) {
            reply(exchange, 500, "reset failed: " + e.getMessage());
            return false;
        }
    }

    private synchronized void release(HttpExchange exchange, long pid) throws IOException {
        if (leasePid == pid) {
            leasePid = 0;
            idleSince = System.nanoTime();
            LOG.info("Reused cluster in {}: released by pid {}", layout.root(), pid);
        }
        reply(exchange, 200, "released");
        handlers.execute(this::resetWhileIdle);
    }

    /** Resets a released cluster now, so the next JVM finds it clean. */
    private synchronized void resetWhileIdle() {
        if (leasePid == 0 && dirty) {
            try {
                operations.reset();
                dirty = false;
            } catch (RuntimeException e) {
                LOG.warn("Reused cluster in {}: reset after release failed (the next attach tries again): {}", layout.root(),
                        e.toString());
            }
        }
    }

    private void watch(Duration idleTimeout, Runnable onIdle) {
        boolean idle;
        synchronized (this) {
            if (leasePid != 0 && !alive(leasePid)) {
                LOG.info("Reused cluster in {}: the lease of pid {} lapsed (that JVM is gone)", layout.root(), leasePid);
                leasePid = 0;
                idleSince = System.nanoTime();
            }
            idle = leasePid == 0 && System.nanoTime() - idleSince > idleTimeout.toNanos();
        }
        if (idle) {
            LOG.info("Reused cluster in {}: unused for {}, stopping", layout.root(), idleTimeout);
            onIdle.run();
        } else if (leasePid == 0 && dirty) {
            resetWhileIdle();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long pidOf(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("pid=") && pair.substring(4).matches("[0-9]{1,10}")) {
                    return Long.parseLong(pair.substring(4));
                }
            }
        }
        return -1;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops taking requests and removes the endpoint's files. */
    @Override
    public void close() {
        server.stop(0);
        watchdog.shutdownNow();
        handlers.shutdownNow();
        try {
            Files.deleteIfExists(ReuseEndpoint.file(layout));
            Files.deleteIfExists(ReuseEndpoint.tokenFile(layout));
        } catch (IOException e) {
            LOG.debug("Could not remove the reuse endpoint files of {}: {}", layout.root(), e.toString());
        }
    }
}
