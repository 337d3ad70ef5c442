package io.polykube.api.internal.faults;

import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultLog;
import io.polykube.api.faults.FaultRequest;
import io.polykube.api.faults.InjectedFault;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** The rules in force, in injection order, and the log of what they did; the first rule that matches a request applies. */
final class RuleBook {
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<FaultLog.Entry> log = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final DoubleSupplier random;

    RuleBook() {
        this(Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    RuleBook(Clock clock, DoubleSupplier random) {
        this.clock = clock;
        this.random = random;
    }

    InjectedFault add(Fault fault) {
        Rule rule = new Rule(fault, clock.instant());
        rules.add(rule);
        return rule;
    }

    /** The rule that applies to {@code request}, its hit counted and logged; empty when the request passes unchanged. */
    Optional<Fault> claim(FaultRequest request) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (Rule rule : rules) {
            int hit = rule.claim(request, now, random);
            if (hit > 0) {
                log.add(new FaultLog.Entry(now, request, rule.fault, hit));
                return Optional.of(rule.fault);
            }
        }
        return Optional.empty();
    }

    List<InjectedFault> injected() {
        return new ArrayList<>(rules);
    }

    void clear() {
        rules.forEach(Rule::close);
        log.clear();
    }

    FaultLog log() {
        return new FaultLog(log);
    }

    private final class Rule implements InjectedFault {
        private final Fault fault;
        private final Instant from;
        private final Instant until;
        private int hits;
        private boolean closed;

        Rule(Fault fault, Instant injected) {
            this.fault = fault;
            this.from = injected.plus(fault.after());
            this.until = fault.lasting().map(from::plus).orElse(Instant.MAX);
        }

        /** The hit number when the rule applies to {@code request} now, else 0. */
        synchronized int claim(FaultRequest request, Instant now, DoubleSupplier random) {
            if (closed || (fault.times().isPresent() && hits >= fault.times().getAsInt()) || now.isBefore(from)
                    || !now.isBefore(until) || !fault.matcher().test(request)) {
                return 0;
            }
            if (fault.probability() < 1 && random.getAsDouble() >= fault.probability()) {
                return 0;
            }
            return ++hits;
        }

        @Override
        public Fault fault() {
            return fault;
        }

        @Override
        public synchronized int hits() {
            return hits;
        }

        @Override
        public synchronized boolean active() {
            Instant now = clock.instant();
            return !closed && (fault.times().isEmpty() || hits < fault.times().getAsInt()) && now.isBefore(until);
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            rules.remove(this);
        }

        @Override
        public synchronized String toString() {
            return fault + " (" + hits + (hits == 1 ? " hit" : " hits") + (closed ? ", closed" : "") + ")";
        }
    }
}
