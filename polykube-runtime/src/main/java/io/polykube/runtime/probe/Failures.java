package io.polykube.runtime.probe;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Turns an exception chain into a short human message (connection refused, TLS error, ...). */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable e) {
        Throwable ssl = find(e, SSLException.class);
        if (ssl != null) {
            return "TLS error: " + rootMessage(ssl);
        }
        if (find(e, HttpConnectTimeoutException.class) != null) {
            return "connect timed out";
        }
        if (find(e, HttpTimeoutException.class) != null) {
            return "request timed out";
        }
        Throwable connect = find(e, ConnectException.class);
        if (connect != null) {
            String m = rootMessage(connect);
            return m.toLowerCase().contains("refused") ? "connection refused" : "connect failed: " + m;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        String message = t.getMessage();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null) {
                message = root.getMessage();
            }
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }

    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
