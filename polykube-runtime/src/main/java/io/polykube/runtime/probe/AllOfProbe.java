package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.util.List;
import java.util.stream.Collectors;

final class AllOfProbe implements Probe {
    private final List<Probe> probes;

    AllOfProbe(List<Probe> probes) {
        if (probes.isEmpty()) {
            throw new ProcessException("Probe.allOf needs at least one probe");
        }
        this.probes = List.copyOf(probes);
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        StringBuilder passed = new StringBuilder();
        for (Probe probe : probes) {
            ProbeResult result = probe.check(context);
            if (!result.ready()) {
                return ProbeResult.notReady(result.message());
            }
            passed.append(passed.length() == 0 ? "" : "; ").append(result.message());
        }
        return ProbeResult.ready(passed.toString());
    }

    @Override
    public String description() {
        return probes.stream().map(Probe::description).collect(Collectors.joining(" AND ", "all of [", "]"));
    }
}
