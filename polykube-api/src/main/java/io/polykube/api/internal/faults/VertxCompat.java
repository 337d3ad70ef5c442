package io.polykube.api.internal.faults;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The proxy runs on the Vert.x that the user's fabric8 brought: 4.5 with fabric8 7, 5.x with fabric8 8. The proxy is
 * compiled against 4.5, and only these calls differ in their binary signature between the two (a return type changed),
 * so they go through reflection; every other call the proxy makes links on both.
 */
final class VertxCompat {
    private static final Method CREATE_HTTP_CLIENT = method(Vertx.class, "createHttpClient", HttpClientOptions.class,
            PoolOptions.class);
    private static final Method RESET_REQUEST = method(HttpClientRequest.class, "reset");
    private static final Method RESET_RESPONSE = method(HttpServerResponse.class, "reset");

    private VertxCompat() {
    }

    /** {@code vertx.createHttpClient(options, pool)}: an {@code HttpClient} on 4.5, an {@code HttpClientAgent} on 5. */
    static HttpClient createHttpClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        return (HttpClient) invoke(CREATE_HTTP_CLIENT, vertx, options, pool);
    }

    /** Resets the stream ({@code reset()} answers a boolean on 4.5, a future on 5; neither is needed). */
    static void reset(HttpClientRequest request) {
        invoke(RESET_REQUEST, request);
    }

    /** Resets the stream, as {@link #reset(HttpClientRequest)}. */
    static void reset(HttpServerResponse response) {
        invoke(RESET_RESPONSE, response);
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this Vert.x (" + Vertx.class.getPackage().getImplementationVersion()
                    + ") lacks " + type.getSimpleName() + "." + name + ": the fault proxy runs on Vert.x 4.5 and 5", e);
        }
    }

    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
