package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/**
 * Where a connector resumes. {@code watermark} is the highest modification time of the records stored by completed
 * runs, and {@code idsAtWatermark} the vendor ids of the records at exactly that time, which the next run (asking for
 * records modified at or after the watermark, so that none is missed) skips. While a run is under way,
 * {@code resumeLink} is the next page to read and {@code runWatermark}/{@code runIds} what the run has stored so far: a
 * restart continues from that page, so a run killed after page 2 of 3 reads page 3 only. A checkpoint is written only
 * after the page it describes has been committed to the store.
 *
 * @param watermark null before the first completed run
 */
public record Checkpoint(Instant watermark, Set<String> idsAtWatermark, String resumeLink, Instant runWatermark,
        Set<String> runIds) {
    public Checkpoint {
        idsAtWatermark = Set.copyOf(requireNonNull(idsAtWatermark, "idsAtWatermark is null"));
        resumeLink = resumeLink == null ? "" : resumeLink;
        runIds = Set.copyOf(requireNonNull(runIds, "runIds is null"));
    }

    /** The checkpoint of a connector that never ran. */
    public static Checkpoint initial() {
        return new Checkpoint(null, Set.of(), "", null, Set.of());
    }

    /** Whether a run stopped before its last page, and the next run continues it. */
    public boolean midRun() {
        return !resumeLink.isEmpty();
    }

    /** Whether the record, stored by an earlier run at the watermark, is to be skipped. */
    public boolean alreadyStored(String id, Instant modified) {
        return (watermark != null && modified.equals(watermark) && idsAtWatermark.contains(id))
                || (runWatermark != null && modified.equals(runWatermark) && runIds.contains(id));
    }
}
