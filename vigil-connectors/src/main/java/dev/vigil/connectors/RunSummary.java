package dev.vigil.connectors;

import java.time.Instant;

/**
 * What one run of a connector stored.
 *
 * @param pages pages (responses) read and committed
 * @param read records read from the API
 * @param storedNew events stored by this run
 * @param alreadyStored events that were stored before (same record, same id)
 * @param skipped records skipped because the checkpoint says an earlier run stored them
 * @param alertsNew Vigil alerts stored by this run
 * @param quarantined records that could not be mapped, kept in the quarantine with the reason
 * @param watermark the checkpoint's high-water mark after the run; null when nothing was ever read
 */
public record RunSummary(int pages, long read, long storedNew, long alreadyStored, long skipped, long alertsNew,
        long quarantined, Instant watermark) {
    RunSummary plus(RunSummary other) {
        Instant mark = watermark == null ? other.watermark
                : other.watermark == null || watermark.isAfter(other.watermark) ? watermark : other.watermark;
        return new RunSummary(pages + other.pages, read + other.read, storedNew + other.storedNew,
                alreadyStored + other.alreadyStored, skipped + other.skipped, alertsNew + other.alertsNew,
                quarantined + other.quarantined, mark);
    }

    static final RunSummary EMPTY = new RunSummary(0, 0, 0, 0, 0, 0, 0, null);
}
