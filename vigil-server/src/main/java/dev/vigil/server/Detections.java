package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.EventDetector;
import dev.vigil.sigma.RuleSet;
import dev.vigil.store.Knowledge;
import dev.vigil.store.TenantIndicators;
import dev.vigil.store.TenantRules;
import dev.vigil.store.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection on the data that reaches the server (the ingest API, the syslog listeners), as {@code vigil ingest} runs
 * it: the tenant's enabled Sigma rules and active indicators match every batch, on the request's own thread and
 * outside the tenant's lock; the batch's alerts are stored in the same transaction as its events
 * ({@link TenantStores#store(TenantId, dev.vigil.ingest.EventSink.Batch, List)}), and new alerts are then placed in
 * incidents.
 *
 * <p>Compiling a tenant's rules costs far more than one request, so each tenant's compiled set is kept and compiled
 * again only when the store's fingerprint of its rules changes ({@link TenantStore#rulesVersion()}), read at most
 * every {@link #RECHECK}; its indicator index likewise, and at least every {@link #INDICATORS_FRESH}, since
 * indicators become active and expire with time.
 * The compiled set is immutable and shared; each request matches through its own {@link Detector}.
 *
 * <p>Sigma correlation rules count within one request's records: a window is not carried from one request to the
 * next, so a spray sent one record per request is not counted as one.
 */
final class Detections {
    static final Duration INDICATORS_FRESH = Duration.ofMinutes(5);
    /**
     * How long a tenant's compiled set is used before the store's fingerprints are read again. Checking takes one of
     * the tenant's few readers, which asks hold for long, so ingest never waits for it: once the set is this old, the
     * next request starts a check on another thread and goes on with the set it has. A rule imported, enabled or
     * disabled applies to data arriving this much later, plus the time the check waits for a reader.
     */
    static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(Detections.class);

    private final VigilConfig config;
    private final TenantStores stores;
    private final Clock clock;
    private final Map<TenantId, Compiled> compiled = new ConcurrentHashMap<>();
    /** Held while a tenant's set is compiled for the first time. */
    private final Map<TenantId, java.util.concurrent.locks.ReentrantLock> firstCompile = new ConcurrentHashMap<>();
    /** How many times a rule set was compiled, for tests. */
    private final java.util.concurrent.atomic.AtomicInteger compilations = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<TenantId, java.util.concurrent.atomic.AtomicBoolean> checking = new ConcurrentHashMap<>();

    private record Compiled(String rulesVersion, TenantRules rules, String indicatorsVersion, Instant indicatorsAt,
            IndicatorIndex indicators, Instant checkedAt) {}

    Detections(VigilConfig config, TenantStores stores, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One request's detection; confined to the request's thread. */
    final class Run {
        private final TenantId tenant;
        private final Detector rules;
        private final List<EventDetector> all;
        /** The rules' statistics as last handed to the store, by rule. */
        private final java.util.Map<String, RuleSet.RuleStats> reported = new java.util.HashMap<>();
        private long alerts;

        private Run(TenantId tenant, Detector rules, List<EventDetector> all) {
            this.tenant = tenant;
            this.rules = rules;
            this.all = all;
        }

        /** Whether the tenant has anything to run. */
        boolean active() {
            return !all.isEmpty();
        }

        /** The alerts of a batch, to be stored with it. */
        List<Alert> detect(List<Event> events) {
            if (all.isEmpty()) {
                return List.of();
            }
            List<Alert> out = new ArrayList<>();
            for (EventDetector detector : all) {
                out.addAll(detector.detect(events));
            }
            return out;
        }

        /**
         * The rules' statistics gathered since the last call (evaluations and hits added since, at the current mean
         * cost), to be stored with the batch they were gathered on: one commit then holds a batch, its alerts and
         * what detecting them cost, and a request without alerts needs no commit of its own at its end.
         */
        List<RuleSet.RuleStats> newRuleStats() {
            if (rules == null) {
                return List.of();
            }
            List<RuleSet.RuleStats> added = new ArrayList<>();
            for (RuleSet.RuleStats now : rules.stats()) {
                RuleSet.RuleStats before = reported.get(now.ruleId());
                long evaluations = now.evaluations() - (before == null ? 0 : before.evaluations());
                long hits = now.hits() - (before == null ? 0 : before.hits());
                if (evaluations != 0 || hits != 0) {
                    added.add(new RuleSet.RuleStats(now.ruleId(), evaluations, hits, now.meanNanos()));
                    reported.put(now.ruleId(), now);
                }
            }
            return added;
        }

        /** Counts the alerts the store kept as new. */
        void stored(int newAlerts) {
            alerts += newAlerts;
        }

        /**
         * After the last batch: stores what detection still holds (correlation windows), records the rules'
         * statistics, and places new alerts in incidents, under the tenant's lock.
         *
         * @return the new alerts stored, and the correlation's summary (null when there was none)
         */
        Outcome finish() {
            if (all.isEmpty()) {
                return new Outcome(0, null);
            }
            List<Alert> last = new ArrayList<>();
            for (EventDetector detector : all) {
                last.addAll(detector.finish());
            }
            List<RuleSet.RuleStats> stats = newRuleStats();
            if (last.isEmpty() && alerts == 0 && stats.stream().allMatch(s -> s.evaluations() == 0)) {
                return new Outcome(0, null); // the batches' commits hold everything: no turn on the lock
            }
            return stores.write(tenant, store -> {
                if (!last.isEmpty()) {
                    alerts += store.appendAlerts(last);
                }
                store.addRuleStats(stats);
                store.commit();
                if (alerts == 0) {
                    return new Outcome(0, null);
                }
                CorrelationSummary incidents = store.incidents().correlate(config.correlationPolicy(),
                        TacticStages.lazy(() -> Knowledge.attackIfPresent(config.dataDirectory())), clock.instant(),
                        step -> { });
                store.commit();
                return new Outcome(alerts, incidents);
            });
        }
    }

    /** What detection added: new alerts, and how they were placed in incidents (null when none was new). */
    record Outcome(long alerts, CorrelationSummary incidents) {}

    /** Starts detection for one request to the tenant: its compiled rules and indicators, read on a reader. */
    Run open(TenantId tenant) {
        Compiled held = compiled.get(tenant);
        Compiled current;
        if (held == null) {
            // the first request compiles the set; requests arriving meanwhile wait for it rather than each compiling
            // the same set beside it
            java.util.concurrent.locks.ReentrantLock first = firstCompile.computeIfAbsent(tenant,
                    t -> new java.util.concurrent.locks.ReentrantLock());
            first.lock();
            try {
                Compiled meanwhile = compiled.get(tenant);
                current = meanwhile != null ? meanwhile : stores.read(tenant, this::current);
            } finally {
                first.unlock();
            }
        } else {
            if (Duration.between(held.checkedAt(), clock.instant()).compareTo(RECHECK) >= 0) {
                recheck(tenant);
            }
            current = held;
        }
        Detector rules = current.rules().isEmpty() ? null : new Detector(tenant, current.rules().rules());
        List<EventDetector> all = new ArrayList<>();
        if (rules != null) {
            all.add(rules);
        }
        if (current.indicators() != null && !current.indicators().isEmpty()) {
            all.add(new IocDetector(current.indicators(), tenant));
        }
        return new Run(tenant, rules, List.copyOf(all));
    }

    /** How many times a tenant's rule set has been compiled since this object was made. */
    int compilations() {
        return compilations.get();
    }

    /** Reads the tenant's fingerprints again (and compiles what changed) on another thread; one check at a time. */
    private void recheck(TenantId tenant) {
        java.util.concurrent.atomic.AtomicBoolean running = checking.computeIfAbsent(tenant,
                t -> new java.util.concurrent.atomic.AtomicBoolean());
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("vigil-rules-check").start(() -> {
            try {
                stores.read(tenant, this::current);
            } catch (RuntimeException e) {
                LOG.warn("checking the rules and indicators of tenant '{}' failed: {}", tenant, e.getMessage());
            } finally {
                running.set(false);
            }
        });
    }

    private Compiled current(TenantStore store) {
        TenantId tenant = store.tenant();
        Compiled held = compiled.get(tenant);
        String rulesVersion = store.rulesVersion();
        String indicatorsVersion = store.indicatorsVersion();
        Instant now = clock.instant();
        TenantRules rules;
        if (held != null && held.rulesVersion().equals(rulesVersion)) {
            rules = held.rules();
        } else {
            long start = System.nanoTime();
            compilations.incrementAndGet();
            rules = TenantRules.load(store, config.placeholders());
            rules.problems().forEach(p -> LOG.warn("tenant {}: stored rule not loaded: {}", tenant, p));
            LOG.atInfo().addKeyValue("tenant", tenant.value())
                    .addKeyValue("rules", rules.isEmpty() ? 0 : rules.rules().rules().size())
                    .addKeyValue("millis", (System.nanoTime() - start) / 1_000_000).log("rules compiled for ingest");
        }
        IndicatorIndex indicators;
        Instant indicatorsAt;
        if (held != null && held.indicatorsVersion().equals(indicatorsVersion)
                && Duration.between(held.indicatorsAt(), now).compareTo(INDICATORS_FRESH) < 0) {
            indicators = held.indicators();
            indicatorsAt = held.indicatorsAt();
        } else {
            indicators = TenantIndicators.load(store, now);
            indicatorsAt = now;
        }
        Compiled next = new Compiled(rulesVersion, rules, indicatorsVersion, indicatorsAt, indicators, now);
        compiled.put(tenant, next);
        return next;
    }
}
