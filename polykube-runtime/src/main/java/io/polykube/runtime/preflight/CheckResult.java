package io.polykube.runtime.preflight;

import java.util.Objects;

/**
 * Outcome of one {@link PreflightCheck}.
 *
 * @param check   name of the check
 * @param status  OK, WARNING (works, but worth knowing) or FAILED
 * @param message what was found
 * @param fix     how to fix it (empty when OK)
 */
public record CheckResult(String check, Status status, String message, String fix) {

    /** Severity of a result. */
    public enum Status { OK, WARNING, FAILED }

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public static CheckResult ok(String check, String message) {
        return new CheckResult(check, Status.OK, message, "");
    }

    public static CheckResult warning(String check, String message, String fix) {
        return new CheckResult(check, Status.WARNING, message, fix);
    }

    public static CheckResult failed(String check, String message, String fix) {
        return new CheckResult(check, Status.FAILED, message, fix);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    @Override
    public String toString() {
        return "[" + status + "] " + check + ": " + message + (fix.isEmpty() ? "" : " -> fix: " + fix);
    }
}
