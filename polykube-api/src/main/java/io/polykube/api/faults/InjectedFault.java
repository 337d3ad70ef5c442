package io.polykube.api.faults;

/** A rule in force at a cluster's fault proxy: how often it applied so far; {@link #close()} withdraws it. */
public interface InjectedFault extends AutoCloseable {
    /** The rule. */
    Fault fault();

    /** How many requests the rule has applied to so far. */
    int hits();

    /** Whether the rule can still apply (not closed, not used up by {@link Fault#times(int)}, not past its period). */
    boolean active();

    /** Withdraws the rule; requests it would have matched pass unchanged from now on. */
    @Override
    void close();
}
