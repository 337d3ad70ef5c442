package io.polykube.api.internal.faults;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultAction;
import io.polykube.api.faults.FaultRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS endpoint in front of the API server (Vert.x, which fabric8's HTTP client already brings: HTTP/1.1 and HTTP/2,
 * streaming, connection upgrades, back-pressure, none of it hand-written). A client is known by its client certificate
 * (the cluster CA's) and forwarded with the front-proxy client certificate and {@code X-Remote-User}/{@code X-Remote-Group},
 * so the API server authenticates, authorizes and audits the caller itself; a client without a certificate has its
 * {@code Authorization} header forwarded as is. A request no rule matches passes unchanged: bodies and watches streamed,
 * upgrades ({@code exec}, {@code attach}, {@code port-forward}) tunnelled.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "http2-settings");
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    /** The files and address the proxy needs. */
    public record Settings(Path servingCert, Path servingKey, Path caCert, Path frontProxyCert, Path frontProxyKey,
            URI apiServer) {
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClient upstream;
    private final WebSocketClient webSockets;
    private final RuleBook rules;
    private final String upstreamHost;
    private final int upstreamPort;
    private final URI url;

    private FaultProxy(Vertx vertx, HttpServer server, HttpClient upstream, WebSocketClient webSockets, RuleBook rules,
            URI apiServer) {
        this.vertx = vertx;
        this.server = server;
        this.upstream = upstream;
        this.webSockets = webSockets;
        this.rules = rules;
        this.upstreamHost = apiServer.getHost();
        this.upstreamPort = apiServer.getPort();
        this.url = URI.create("https://127.0.0.1:" + server.actualPort());
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code settings.apiServer()}, applying {@code rules}. */
    static FaultProxy start(Settings settings, RuleBook rules) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        // a connection closed under a stream (the cluster stopping with a watch open) is routine for a proxy; anything
        // else a handler let through is worth a warning
        vertx.exceptionHandler(e -> {
            if (e instanceof IOException || e instanceof VertxException) {
                LOG.debug("fault proxy: {}", e.toString());
            } else {
                LOG.warn("fault proxy: unexpected failure in a handler", e);
            }
        });
        try {
            HttpClient upstream = VertxCompat.createHttpClient(vertx, new HttpClientOptions()
                    .setSsl(true).setVerifyHost(true)
                    .setTrustOptions(new PemTrustOptions().addCertPath(settings.caCert().toString()))
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.frontProxyCert().toString())
                            .setKeyPath(settings.frontProxyKey().toString()))
                    .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true)
                    .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_LINE),
                    new PoolOptions().setHttp1MaxSize(1024));
            WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setSsl(true).setVerifyHost(true)
                    .setTrustOptions(new PemTrustOptions().addCertPath(settings.caCert().toString()))
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.frontProxyCert().toString())
                            .setKeyPath(settings.frontProxyKey().toString()))
                    .setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE));
            Holder holder = new Holder();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost("127.0.0.1").setPort(0)
                    .setSsl(true).setUseAlpn(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.servingCert().toString())
                            .setKeyPath(settings.servingKey().toString()))
                    .setTrustOptions(new PemTrustOptions().addCertPath(settings.caCert().toString()))
                    .setClientAuth(ClientAuth.REQUEST)
                    .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
                    .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_LINE)
                    .setMaxWebSocketFrameSize(MAX_MESSAGE).setMaxWebSocketMessageSize(MAX_MESSAGE))
                    .requestHandler(request -> holder.proxy.handle(request));
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            FaultProxy proxy = new FaultProxy(vertx, server, upstream, webSockets, rules, settings.apiServer());
            holder.proxy = proxy;
            LOG.info("fault proxy listening on {}, forwarding to {}", proxy.url, settings.apiServer());
            return proxy;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            vertx.close();
            throw new PolykubeException("cannot start the fault proxy: " + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while starting the fault proxy", e);
        }
    }

    private static final class Holder {
        private volatile FaultProxy proxy;
    }

    URI url() {
        return url;
    }

    private void handle(HttpServerRequest request) {
        request.pause();
        CallerIdentity caller = CallerIdentity.of(request);
        FaultRequest info = RequestInfo.parse(request.method().name(), request.path(), request.query(), caller.user(),
                caller.groups());
        Optional<Fault> fault = rules.claim(info);
        FaultAction action = fault.map(Fault::action).orElse(null);
        if (action == null) {
            forward(request, caller, null);
            return;
        }
        if (action.onWatchEvents() && isWebSocket(request)) {
            watchOverWebSocket(request, caller, action);
            return;
        }
        switch (action.kind()) {
            case RESPOND:
                body(request).onComplete(ignored -> answer(request, action, info));
                break;
            case CLOSE_CONNECTION:
                if (request.version() == HttpVersion.HTTP_2) {
                    VertxCompat.reset(request.response());
                } else {
                    request.connection().close();
                }
                break;
            case LATENCY:
                vertx.setTimer(Math.max(1, action.duration().toMillis()), t -> forward(request, caller, null));
                break;
            case EXPIRE_WATCH:
                if (action.events() == 0) {
                    body(request).onComplete(ignored -> expireAtOnce(request));
                } else {
                    forward(request, caller, action);
                }
                break;
            default:
                forward(request, caller, action);
        }
    }

    /** The request's whole body: the request was paused on arrival, so reading resumes it. */
    private static Future<Buffer> body(HttpServerRequest request) {
        Future<Buffer> body = request.body();
        request.resume();
        return body;
    }

    private void answer(HttpServerRequest request, FaultAction action, FaultRequest info) {
        HttpServerResponse response = request.response().setStatusCode(action.code())
                .putHeader("Content-Type", "application/json");
        if (action.code() == 429) {
            response.putHeader("Retry-After", String.valueOf(action.duration().toSeconds()));
        }
        response.end(StatusBody.of(action, info));
    }

    private void expireAtOnce(HttpServerRequest request) {
        HttpServerResponse response = request.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        if (request.version() != HttpVersion.HTTP_2) {
            response.setChunked(true);
        }
        response.end(StatusBody.expiredWatchEvent());
    }

    /** Forwards {@code request} as {@code caller}; {@code watchAction}, when set, acts on the watch's events. */
    private void forward(HttpServerRequest request, CallerIdentity caller, FaultAction watchAction) {
        boolean upgrade = isUpgrade(request);
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                .setHost(upstreamHost).setPort(upstreamPort).setHeaders(forwardedHeaders(request, caller, upgrade,
                        watchAction != null));
        if (upgrade) {
            tunnel(request, options);
            return;
        }
        body(request).onComplete(body -> {
            if (body.failed()) {
                return; // the client went away
            }
            upstream.request(options).onComplete(created -> {
                if (created.failed()) {
                    badGateway(request, created.cause());
                    return;
                }
                HttpClientRequest upstreamRequest = created.result();
                // the API server's side closed mid-answer (a stopping cluster under an open watch): the client's answer
                // breaks too, so its watch reconnects, and nothing is reported as unhandled
                upstreamRequest.exceptionHandler(e -> {
                    LOG.debug("fault proxy: {} {} broke upstream: {}", request.method(), request.uri(), e.toString());
                    VertxCompat.reset(request.response());
                });
                request.response().closeHandler(v -> VertxCompat.reset(upstreamRequest));
                request.response().exceptionHandler(e -> VertxCompat.reset(upstreamRequest));
                Buffer content = body.result();
                (content.length() == 0 ? upstreamRequest.send() : upstreamRequest.send(content)).onComplete(answered -> {
                    if (answered.failed()) {
                        badGateway(request, answered.cause());
                    } else {
                        relay(request, upstreamRequest, answered.result(), watchAction);
                    }
                });
            });
        });
    }

    private void relay(HttpServerRequest request, HttpClientRequest upstreamRequest, HttpClientResponse answer,
            FaultAction watchAction) {
        HttpServerResponse response = request.response().setStatusCode(answer.statusCode());
        copyHeaders(answer.headers(), response.headers(), false);
        boolean bodyless = request.method() == HttpMethod.HEAD || answer.statusCode() == 204 || answer.statusCode() == 304;
        if (!bodyless && !answer.headers().contains("Content-Length") && request.version() != HttpVersion.HTTP_2) {
            response.setChunked(true);
        }
        if (watchAction != null && answer.statusCode() == 200) {
            WatchRelay.overHttp(vertx, upstreamRequest, answer, response, watchAction).start();
        } else {
            answer.pipeTo(response);
        }
    }

    /** {@code exec}, {@code attach}, {@code port-forward}: the upgrade forwarded, then bytes both ways. */
    private void tunnel(HttpServerRequest request, RequestOptions options) {
        upstream.request(options).compose(upstreamRequest -> {
            // once upgraded, either side closing ends the tunnel: routine, not an unhandled error
            upstreamRequest.exceptionHandler(e -> LOG.debug("fault proxy: tunnel {} ended upstream: {}", request.uri(), e.toString()));
            return upstreamRequest.connect();
        }).onComplete(connected -> {
            if (connected.failed()) {
                badGateway(request, connected.cause());
                return;
            }
            HttpClientResponse answer = connected.result();
            if (answer.statusCode() != 101) {
                relay(request, null, answer, null);
                return;
            }
            NetSocket toServer = answer.netSocket();
            copyHeaders(answer.headers(), request.response().headers(), true);
            request.toNetSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    toServer.close();
                    return;
                }
                NetSocket toClient = upgraded.result();
                toServer.pipeTo(toClient);
                toClient.pipeTo(toServer);
            });
        });
    }

    /** A watch over WebSocket with a watch fault: both sides' WebSockets, the events relayed message by message. */
    private void watchOverWebSocket(HttpServerRequest request, CallerIdentity caller, FaultAction action) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(upstreamHost).setPort(upstreamPort)
                .setSsl(true).setURI(request.uri());
        forwardedHeaders(request, caller, false, true).forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("sec-websocket-protocol")) {
                for (String protocol : header.getValue().split(",")) {
                    options.addSubProtocol(protocol.strip());
                }
            } else if (!name.startsWith("sec-websocket-")) {
                options.addHeader(header.getKey(), header.getValue());
            }
        });
        webSockets.connect(options).onComplete(connected -> {
            if (connected.failed()) {
                if (connected.cause() instanceof UpgradeRejectedException rejected) {
                    HttpServerResponse response = request.response().setStatusCode(rejected.getStatus());
                    copyHeaders(rejected.getHeaders(), response.headers(), false);
                    response.headers().remove("Content-Length");
                    response.end(rejected.getBody() == null ? Buffer.buffer() : rejected.getBody());
                } else {
                    badGateway(request, connected.cause());
                }
                return;
            }
            WebSocket toServer = connected.result();
            request.toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    toServer.close();
                    return;
                }
                WatchRelay.overWebSocket(vertx, toServer, upgraded.result(), action).start();
            });
        });
    }

    private static boolean isWebSocket(HttpServerRequest request) {
        return isUpgrade(request) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    private static MultiMap forwardedHeaders(HttpServerRequest request, CallerIdentity caller, boolean upgrade,
            boolean watchFault) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.startsWith(":") || name.startsWith("x-remote-")
                    || (caller.known() && name.equals("authorization")) || (watchFault && name.equals("accept-encoding"))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        if (caller.known()) {
            out.add("X-Remote-User", caller.user());
            for (String group : caller.groups()) {
                out.add("X-Remote-Group", group);
            }
        }
        if (upgrade) {
            out.add("Connection", "Upgrade");
            out.add("Upgrade", request.getHeader("Upgrade"));
        }
        return out;
    }

    private static void copyHeaders(MultiMap from, MultiMap to, boolean keepUpgrade) {
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean upgradeHeader = name.equals("connection") || name.equals("upgrade");
            if ((keepUpgrade && upgradeHeader) || !HOP_BY_HOP.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return false;
        }
        String connection = request.getHeader("Connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("upgrade") && request.getHeader("Upgrade") != null;
    }

    private static void badGateway(HttpServerRequest request, Throwable cause) {
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        LOG.debug("fault proxy: {} {} failed upstream: {}", request.method(), request.uri(), cause.toString());
        response.setStatusCode(502).putHeader("Content-Type", "application/json").end(StatusBody.badGateway(cause.toString()));
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("fault proxy: closing took too long or failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return "fault proxy " + url + " -> https://" + upstreamHost + ":" + upstreamPort;
    }
}
