package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The pipeline's topics, all keyed by tenant id.
 *
 * @param raw records as read from sources ({@link RawEnvelope}), before parsing
 * @param events normalized events, one per stored record, as JSON with their stable event id
 * @param quarantine records that could not be parsed, with the reason and the raw bytes (nothing is dropped)
 * @param alerts Sigma and indicator alerts over the events
 * @param incidents where correlation placed each alert: the incident, whether it opened it, why, what it merged
 * @param config per-tenant detection content (Sigma rules, indicators), compacted: the latest value per tenant wins
 */
public record Topics(String raw, String events, String quarantine, String alerts, String incidents, String config) {
    public Topics {
        requireNonNull(raw, "raw is null");
        requireNonNull(events, "events is null");
        requireNonNull(quarantine, "quarantine is null");
        requireNonNull(alerts, "alerts is null");
        requireNonNull(incidents, "incidents is null");
        requireNonNull(config, "config is null");
    }

    /** The topics named {@code PREFIX raw}, {@code PREFIX events}, ... */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "raw", prefix + "events", prefix + "quarantine", prefix + "alerts",
                prefix + "incidents", prefix + "config");
    }

    /** The topics the pipeline reads or writes, config last. */
    public List<String> all() {
        return List.of(raw, events, quarantine, alerts, incidents, config);
    }
}
