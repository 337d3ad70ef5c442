package io.polykube.api.internal.run;

/** One named step of a cluster's start; {@link StartSequence} runs them in order on one {@link Start}. */
interface StartStep {

    /** Does the step, keeping what it made in {@code start} for the steps after it. */
    void run(Start start);
}
