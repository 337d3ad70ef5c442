package io.polykube.runtime.preflight;


import io.polykube.runtime.ProcessException;
import java.util.List;

/** The host is not suitable; lists every failed check with its fix. */
public class PreflightException extends ProcessException {
    private static final long serialVersionUID = 1L;

    private final List<CheckResult> problems;

    PreflightException(String message, List<CheckResult> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** The failed checks. */
    public List<CheckResult> problems() {
        return problems;
    }
}
