package dev.vigil.ingest;

import java.util.List;
import java.util.Map;

/**
 * What an ingest run did. Every record read is accounted for: {@code read == stored + quarantined}, where
 * {@code stored} counts records that are durably in the store after the run, whether this run wrote them
 * ({@code storedNew}) or an earlier one did ({@code alreadyStored}).
 *
 * @param quarantinedByReason counts by {@link dev.vigil.model.QuarantineReason#id()}
 * @param tables records stored per table
 * @param quarantineSamples up to ten quarantined records as {@code source:line: reason: detail}
 * @param skipped entries passed over as not being data, with the reason
 * @param failedSources sources that could not be read to the end, with the error; records read before the error
 *     are counted and kept
 */
public record IngestSummary(long read, long stored, long storedNew, long alreadyStored, long quarantined,
        Map<String, Long> quarantinedByReason, Map<String, Long> tables, int sources, List<String> quarantineSamples,
        List<Skipped> skipped, List<Skipped> failedSources, double seconds) {
    public IngestSummary {
        quarantinedByReason = Map.copyOf(quarantinedByReason);
        tables = Map.copyOf(tables);
        quarantineSamples = List.copyOf(quarantineSamples);
        skipped = List.copyOf(skipped);
        failedSources = List.copyOf(failedSources);
    }

    public record Skipped(String source, String reason) {}

    public double eventsPerSecond() {
        return seconds <= 0 ? 0 : read / seconds;
    }
}
