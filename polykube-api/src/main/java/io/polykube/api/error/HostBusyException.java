package io.polykube.api.error;

/**
 * A FULL cluster could not start because another one already runs a node on this host (only one can). Nothing was
 * started or left behind, so the same start may be tried again once the other cluster stops.
 */
public class HostBusyException extends PolykubeException {
    private static final long serialVersionUID = 1L;

    public HostBusyException(String message) {
        super(message);
    }
}
