package io.polykube.api.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A fault rule: which requests ({@link RequestMatcher}), what happens to them ({@link FaultAction}), and how often. Made
 * immutably and checked when made:
 *
 * <pre>{@code
 * Fault.on(update("configmaps").in(ns)).then(conflict()).times(2)
 * Fault.on(list("pods")).then(tooManyRequests(Duration.ofSeconds(1))).withProbability(0.5)
 * Fault.on(watch("deployments.apps")).then(expireWatchAfter(3)).times(1)
 * Fault.on(anyRequest().by("operator")).then(latency(Duration.ofMillis(200))).lasting(Duration.ofSeconds(10))
 * }</pre>
 *
 * Without {@link #times(int)} a rule applies to every matching request while it is in force; {@link #after(Duration)} and
 * {@link #lasting(Duration)} bound that time, counted from injection.
 */
public final class Fault {
    private final RequestMatcher matcher;
    private final FaultAction action;
    private final int times;
    private final double probability;
    private final Duration after;
    private final Duration lasting;

    private Fault(RequestMatcher matcher, FaultAction action, int times, double probability, Duration after, Duration lasting) {
        this.matcher = matcher;
        this.action = action;
        this.times = times;
        this.probability = probability;
        this.after = after;
        this.lasting = lasting;
    }

    /** The requests the rule will apply to; finish with {@link On#then(FaultAction)}. */
    public static On on(RequestMatcher requests) {
        return new On(Objects.requireNonNull(requests, "requests"));
    }

    /** The first step of a rule: its requests, waiting for its action. */
    public static final class On {
        private final RequestMatcher matcher;

        private On(RequestMatcher matcher) {
            this.matcher = matcher;
        }

        /** The rule: {@code action} on every matching request. */
        public Fault then(FaultAction action) {
            Objects.requireNonNull(action, "action");
            if (action.onWatchEvents() && !matcher.watchesOnly()) {
                throw new IllegalArgumentException("'" + action + "' acts on a watch's events, but the rule matches " + matcher
                        + ": match watches only, e.g. Fault.on(watch(\"configmaps\"))");
            }
            return new Fault(matcher, action, 0, 1.0, Duration.ZERO, null);
        }
    }

    /** Applies to the first {@code count} matching requests only (at least 1). */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times: a rule applies at least once, was " + count
                    + " (to stop a rule, close the InjectedFault that inject() returned)");
        }
        return new Fault(matcher, action, count, probability, after, lasting);
    }

    /** Applies to each matching request with this probability ({@code 0 < p <= 1}); the others pass unchanged. */
    public Fault withProbability(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("withProbability: " + p + " is not a probability in (0, 1]");
        }
        return new Fault(matcher, action, times, p, after, lasting);
    }

    /** Comes into force {@code delay} after injection. */
    public Fault after(Duration delay) {
        Objects.requireNonNull(delay, "after");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("after: the delay must not be negative, was " + delay);
        }
        return new Fault(matcher, action, times, probability, delay, lasting);
    }

    /** Stays in force for {@code period} (from when it comes into force), then matches nothing. */
    public Fault lasting(Duration period) {
        Objects.requireNonNull(period, "lasting");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("lasting: the period must be positive, was " + period);
        }
        return new Fault(matcher, action, times, probability, after, period);
    }

    public RequestMatcher matcher() {
        return matcher;
    }

    public FaultAction action() {
        return action;
    }

    /** How many matching requests the rule applies to, if limited. */
    public OptionalInt times() {
        return times == 0 ? OptionalInt.empty() : OptionalInt.of(times);
    }

    public double probability() {
        return probability;
    }

    /** How long after injection the rule comes into force. */
    public Duration after() {
        return after;
    }

    /** How long the rule stays in force, if limited. */
    public Optional<Duration> lasting() {
        return Optional.ofNullable(lasting);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("on ").append(matcher).append(": ").append(action);
        if (times > 0) {
            out.append(", ").append(times).append(times == 1 ? " time" : " times");
        }
        if (probability < 1) {
            out.append(", probability ").append(probability);
        }
        if (!after.isZero()) {
            out.append(", after ").append(after.toMillis()).append(" ms");
        }
        if (lasting != null) {
            out.append(", lasting ").append(lasting.toMillis()).append(" ms");
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fault f && matcher.equals(f.matcher) && action.equals(f.action) && times == f.times
                && probability == f.probability && after.equals(f.after) && Objects.equals(lasting, f.lasting);
    }

    @Override
    public int hashCode() {
        return Objects.hash(matcher, action, times, probability, after, lasting);
    }
}
