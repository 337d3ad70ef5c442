package io.polykube.api.junit;

/** What {@link WithPolykube} does on a host that cannot run the requested cluster. */
public enum OnUnsuitableHost {
    /** Fail the test class with the reason and how to fix it. */
    FAIL,
    /** Skip the test class, reporting the reason. */
    SKIP
}
