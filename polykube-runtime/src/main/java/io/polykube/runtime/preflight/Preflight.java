package io.polykube.runtime.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of {@link PreflightCheck}s, all run by {@link #run()} so every problem is reported at once.
 * <pre>{@code
 * Preflight.of(PreflightCheck.root("kubelet and containerd need root; use CONTROL_PLANE mode"),
 *              PreflightCheck.executables(etcd, apiserver),
 *              PreflightCheck.portsFree(2379, 6443),
 *              PreflightCheck.ipForward())
 *     .run().throwIfFailed();
 * }</pre>
 */
public final class Preflight {
    private final List<PreflightCheck> checks;

    private Preflight(List<PreflightCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    public static Preflight of(PreflightCheck... checks) {
        return new Preflight(List.of(checks));
    }

    public static Preflight of(List<PreflightCheck> checks) {
        return new Preflight(checks);
    }

    /** This set plus more checks. */
    public Preflight with(PreflightCheck... more) {
        List<PreflightCheck> all = new ArrayList<>(checks);
        all.addAll(List.of(more));
        return new Preflight(all);
    }

    public List<PreflightCheck> checks() {
        return checks;
    }

    /** Runs every check; a check that throws becomes a FAILED result. */
    public PreflightReport run() {
        List<CheckResult> results = new ArrayList<>();
        for (PreflightCheck check : checks) {
            try {
                results.add(check.run());
            } catch (RuntimeException e) {
                results.add(CheckResult.failed(check.name(), "the check itself failed: " + e,
                        "report this; the check could not inspect the host"));
            }
        }
        return new PreflightReport(results);
    }
}
