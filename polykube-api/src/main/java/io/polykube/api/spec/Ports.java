package io.polykube.api.spec;

final class Ports {
    private Ports() {
    }

    static int check(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " " + port + " is out of range: use a port from 1 to 65535, "
                    + "or leave it unset so polykube picks a free one");
        }
        return port;
    }
}
