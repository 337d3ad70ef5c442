package io.polykube.config.flags;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Base of the typed flag builders: typed setters delegate to a {@link FlagSet.Builder}, so a flag
 * set both by a typed setter and by {@link #extra(String, String)} is reported as set twice.
 */
public abstract class ComponentFlags<SELF extends ComponentFlags<SELF>> {
    protected final FlagSet.Builder flags;

    protected ComponentFlags(String component) {
        this.flags = FlagSet.builder(component);
    }

    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }

    protected final SELF path(String name, Path value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF text(String name, String value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF bool(String name, boolean value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF number(String name, long value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF port(String name, int value) {
        flags.port(name, value);
        return self();
    }

    protected final SELF duration(String name, Duration value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF address(String name, InetAddress value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF uri(String name, URI value) {
        flags.set(name, value);
        return self();
    }

    protected final SELF list(String name, List<?> values) {
        flags.set(name, values);
        return self();
    }

    protected final SELF pairs(String name, Map<String, ?> values) {
        flags.set(name, values);
        return self();
    }

    /** Any other flag ({@code name} with or without leading dashes); duplicates are errors. */
    public SELF extra(String name, String value) {
        flags.extra(name, value);
        return self();
    }

    /** More {@code --name=value} arguments; duplicates are errors. */
    public SELF extraArgs(List<String> args) {
        flags.extraArgs(args);
        return self();
    }

    /** {@code --feature-gates}, sorted by name. */
    public SELF featureGates(Map<String, Boolean> gates) {
        return pairs("feature-gates", gates);
    }

    /** klog verbosity {@code --v}. */
    public SELF verbosity(int level) {
        return number("v", level);
    }

    public FlagSet build() {
        return flags.build();
    }

    /** Shortcut for {@code build().toArgs()}. */
    public List<String> toArgs() {
        return build().toArgs();
    }
}
