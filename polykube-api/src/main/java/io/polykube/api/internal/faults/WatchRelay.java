package io.polykube.api.internal.faults;

import io.polykube.api.faults.FaultAction;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * Relays a watch's events one by one, so a watch fault can end the watch, expire it with a 410 error event, or hold each
 * event back, in order and with back-pressure. A watch arrives either as a streamed HTTP response (one JSON event per
 * line) or over a WebSocket (one event per message, as fabric8's informers watch).
 */
final class WatchRelay {
    private static final int MAX_EVENT_BYTES = 64 * 1024 * 1024;

    /** Where the events come from: the API server's side. */
    interface Source {
        void handler(Handler<Buffer> event);

        void endHandler(Handler<Void> end);

        void pause();

        void resume();

        /** Ends the API server's side of the watch. */
        void drop();
    }

    /** Where the events go: the client's side. */
    interface Sink {
        void write(Buffer event);

        boolean writeQueueFull();

        void drainHandler(Handler<Void> drained);

        /** Ends the client's watch, after {@code lastEvent} when not null. */
        void end(String lastEvent);

        void abort();
    }

    private final Vertx vertx;
    private final Source source;
    private final Sink sink;
    private final FaultAction action;
    private int delivered;
    private boolean ended;

    private WatchRelay(Vertx vertx, Source source, Sink sink, FaultAction action) {
        this.vertx = vertx;
        this.source = source;
        this.sink = sink;
        this.action = action;
    }

    /** A watch streamed over HTTP: events are lines. */
    static WatchRelay overHttp(Vertx vertx, HttpClientRequest upstream, HttpClientResponse answer, HttpServerResponse client,
            FaultAction action) {
        RecordParser lines = RecordParser.newDelimited("\n", answer).maxRecordSize(MAX_EVENT_BYTES);
        Source source = new Source() {
            @Override
            public void handler(Handler<Buffer> event) {
                lines.handler(event);
            }

            @Override
            public void endHandler(Handler<Void> end) {
                lines.endHandler(end);
                lines.exceptionHandler(e -> end.handle(null));
            }

            @Override
            public void pause() {
                lines.pause();
            }

            @Override
            public void resume() {
                lines.resume();
            }

            @Override
            public void drop() {
                VertxCompat.reset(upstream);
            }
        };
        Sink sink = new Sink() {
            @Override
            public void write(Buffer event) {
                client.write(event.copy().appendString("\n"));
            }

            @Override
            public boolean writeQueueFull() {
                return client.writeQueueFull();
            }

            @Override
            public void drainHandler(Handler<Void> drained) {
                client.drainHandler(drained);
            }

            @Override
            public void end(String lastEvent) {
                if (lastEvent == null) {
                    client.end();
                } else {
                    client.end(lastEvent);
                }
            }

            @Override
            public void abort() {
                VertxCompat.reset(client);
            }
        };
        return new WatchRelay(vertx, source, sink, action);
    }

    /** A watch over WebSocket: events are messages, relayed as text or binary as they came. */
    static WatchRelay overWebSocket(Vertx vertx, WebSocket upstream, ServerWebSocket client, FaultAction action) {
        boolean[] text = {true};
        Source source = new Source() {
            @Override
            public void handler(Handler<Buffer> event) {
                upstream.textMessageHandler(message -> {
                    text[0] = true;
                    event.handle(Buffer.buffer(message));
                });
                upstream.binaryMessageHandler(message -> {
                    text[0] = false;
                    event.handle(message);
                });
            }

            @Override
            public void endHandler(Handler<Void> end) {
                upstream.closeHandler(end);
                upstream.exceptionHandler(e -> end.handle(null));
            }

            @Override
            public void pause() {
                upstream.pause();
            }

            @Override
            public void resume() {
                upstream.resume();
            }

            @Override
            public void drop() {
                upstream.close();
            }
        };
        Sink sink = new Sink() {
            @Override
            public void write(Buffer event) {
                if (text[0]) {
                    client.writeTextMessage(event.toString());
                } else {
                    client.writeBinaryMessage(event);
                }
            }

            @Override
            public boolean writeQueueFull() {
                return client.writeQueueFull();
            }

            @Override
            public void drainHandler(Handler<Void> drained) {
                client.drainHandler(drained);
            }

            @Override
            public void end(String lastEvent) {
                if (lastEvent != null) {
                    client.writeTextMessage(lastEvent.strip());
                }
                client.close((short) 1000);
            }

            @Override
            public void abort() {
                client.close((short) 1011);
            }
        };
        client.closeHandler(v -> upstream.close());
        return new WatchRelay(vertx, source, sink, action);
    }

    void start() {
        if (counts() && action.events() == 0) {
            finish();
            return;
        }
        source.endHandler(v -> {
            if (!ended) {
                ended = true;
                sink.end(null);
            }
        });
        source.handler(this::onEvent);
    }

    private void onEvent(Buffer event) {
        if (ended) {
            return;
        }
        if (action.kind() == FaultAction.Kind.DELAY_WATCH_EVENTS && !action.duration().isZero()) {
            source.pause();
            vertx.setTimer(action.duration().toMillis(), t -> {
                if (!ended) {
                    write(event);
                    if (!sink.writeQueueFull()) {
                        source.resume();
                    }
                }
            });
            return;
        }
        write(event);
        if (counts() && !isBookmark(event) && ++delivered >= action.events()) {
            finish();
        }
    }

    private void write(Buffer event) {
        sink.write(event);
        if (sink.writeQueueFull()) {
            source.pause();
            sink.drainHandler(v -> source.resume());
        }
    }

    private boolean counts() {
        return action.kind() == FaultAction.Kind.END_WATCH || action.kind() == FaultAction.Kind.EXPIRE_WATCH;
    }

    /** Ends the client's watch (with the 410 event when expiring) and drops the API server's. */
    private void finish() {
        ended = true;
        sink.end(action.kind() == FaultAction.Kind.EXPIRE_WATCH ? StatusBody.expiredWatchEvent() : null);
        source.drop();
    }

    private static boolean isBookmark(Buffer event) {
        String head = event.length() > 40 ? event.getString(0, 40) : event.toString();
        return head.replace(" ", "").startsWith("{\"type\":\"BOOKMARK\"");
    }
}
