package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.ingest.EventSink;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.EventDetector;
import dev.vigil.store.Knowledge;
import dev.vigil.store.TenantIndicators;
import dev.vigil.store.TenantRules;
import dev.vigil.store.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection on the data that reaches the server (the ingest API, the syslog listeners), as {@code vigil ingest} runs
 * it: the tenant's enabled Sigma rules and active indicators match every batch before it is stored, their alerts are
 * committed with the events, and new alerts are then placed in incidents.
 *
 * <p>Compiling a tenant's rules costs far more than one request, so each tenant's compiled set is kept and compiled
 * again only when the store's fingerprint of its rules changes ({@link TenantStore#rulesVersion()}); its indicator
 * index likewise, and at least every {@link #INDICATORS_FRESH}, since indicators become active and expire with time.
 * Used under the tenant's store lock, one request at a time per tenant.
 *
 * <p>Sigma correlation rules count within one request's records: a window is not carried from one request to the
 * next, so a spray sent one record per request is not counted as one.
 */
final class Detections {
    static final Duration INDICATORS_FRESH = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(Detections.class);

    private final VigilConfig config;
    private final Clock clock;
    private final Map<TenantId, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(String rulesVersion, TenantRules rules, String indicatorsVersion, Instant indicatorsAt,
            IndicatorIndex indicators) {}

    Detections(VigilConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One request's detection on the tenant's store. */
    final class Run {
        private final TenantStore store;
        private final DetectingSink<TenantStore> detecting;

        private Run(TenantStore store, DetectingSink<TenantStore> detecting) {
            this.store = store;
            this.detecting = detecting;
        }

        /** Where the ingestor writes: the detecting sink, or the store itself when the tenant has nothing to run. */
        EventSink sink() {
            return detecting == null ? store : detecting;
        }

        /**
         * After the last batch: commits what detection still holds, records the rules' statistics, and places new
         * alerts in incidents.
         *
         * @return the new alerts stored, and the correlation's summary (null when there was none)
         */
        Outcome finish() {
            if (detecting == null) {
                return new Outcome(0, null);
            }
            detecting.finish();
            if (detecting.detector() != null) {
                store.addRuleStats(detecting.detector().stats());
            }
            store.commit();
            long alerts = detecting.alertsStored();
            if (alerts == 0) {
                return new Outcome(0, null);
            }
            CorrelationSummary incidents = store.incidents().correlate(config.correlationPolicy(),
                    TacticStages.lazy(() -> Knowledge.attackIfPresent(config.dataDirectory())), clock.instant(),
                    step -> { });
            store.commit();
            return new Outcome(alerts, incidents);
        }
    }

    /** What detection added: new alerts, and how they were placed in incidents (null when none was new). */
    record Outcome(long alerts, CorrelationSummary incidents) {}

    /** Starts detection for one request on the tenant's store; call under the tenant's lock. */
    Run open(TenantStore store) {
        Compiled current = current(store);
        Detector rules = current.rules().isEmpty() ? null : new Detector(store.tenant(), current.rules().rules());
        List<EventDetector> others = current.indicators() == null || current.indicators().isEmpty() ? List.of()
                : List.of(new IocDetector(current.indicators(), store.tenant()));
        if (rules == null && others.isEmpty()) {
            return new Run(store, null);
        }
        return new Run(store, new DetectingSink<>(store, rules, others));
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
        Compiled next = new Compiled(rulesVersion, rules, indicatorsVersion, indicatorsAt, indicators);
        compiled.put(tenant, next);
        return next;
    }
}
