package io.polykube.runtime.probe;

import java.util.Objects;
import java.util.regex.Pattern;

final class LogLineProbe implements Probe {
    private final Pattern pattern;

    LogLineProbe(Pattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        if (context.outputMatches(pattern)) {
            return ProbeResult.ready("output line matched /" + pattern + "/");
        }
        return ProbeResult.notReady("no output line of '" + context.processName() + "' matched /" + pattern + "/ yet");
    }

    @Override
    public String description() {
        return "an output line matching /" + pattern + "/";
    }
}
