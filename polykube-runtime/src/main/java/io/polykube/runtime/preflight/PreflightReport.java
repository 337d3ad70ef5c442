package io.polykube.runtime.preflight;

import java.util.List;
import java.util.stream.Collectors;

/**
 * All results of a {@link Preflight} run.
 *
 * @param results one per check, in the order the checks were added
 */
public record PreflightReport(List<CheckResult> results) {
    public PreflightReport {
        results = List.copyOf(results);
    }

    /** The failed checks. */
    public List<CheckResult> problems() {
        return results.stream().filter(CheckResult::failed).toList();
    }

    public List<CheckResult> warnings() {
        return results.stream().filter(r -> r.status() == CheckResult.Status.WARNING).toList();
    }

    public boolean passed() {
        return problems().isEmpty();
    }

    /**
     * @throws PreflightException listing every failed check and its fix, if any failed
     */
    public PreflightReport throwIfFailed() {
        List<CheckResult> problems = problems();
        if (!problems.isEmpty()) {
            throw new PreflightException("Host preflight found " + problems.size() + " problem(s):\n"
                    + problems.stream().map(p -> "  - " + p.check() + ": " + p.message() + "\n    fix: " + p.fix())
                    .collect(Collectors.joining("\n")), problems);
        }
        return this;
    }

    @Override
    public String toString() {
        return results.stream().map(CheckResult::toString).collect(Collectors.joining("\n"));
    }
}
