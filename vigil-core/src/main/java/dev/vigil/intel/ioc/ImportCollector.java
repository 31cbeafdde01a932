package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what a reader finds in one file: indicators (deduplicated at the end), rejected entries, notes and other
 * objects. Indicators whose validity ended before the import are rejected here, for every format alike.
 */
final class ImportCollector {
    private final String source;
    private final IntelFormat format;
    private final ImportOptions options;
    private final List<Indicator> indicators = new ArrayList<>();
    private final List<IndicatorImport.Remark> rejected = new ArrayList<>();
    private final List<IndicatorImport.Remark> notes = new ArrayList<>();
    private final Map<String, Integer> others = new LinkedHashMap<>();
    private int entries;

    ImportCollector(String source, IntelFormat format, ImportOptions options) {
        this.source = requireNonNull(source, "source is null");
        this.format = requireNonNull(format, "format is null");
        this.options = requireNonNull(options, "options is null");
    }

    ImportOptions options() {
        return options;
    }

    String source() {
        return source;
    }

    /** Counts one entry (an indicator object, an attribute, a line) read. */
    void entry() {
        entries++;
    }

    int entries() {
        return entries;
    }

    /** Adds an indicator, or rejects it when its validity already ended. */
    void add(String location, Indicator indicator) {
        if (indicator.provenance().isExpiredAt(options.now())) {
            reject(location, indicator.key() + " expired: its validity ended at " + indicator.provenance().validUntil());
            return;
        }
        indicators.add(indicator);
    }

    void reject(String location, String message) {
        rejected.add(new IndicatorImport.Remark(location, message));
    }

    void note(String location, String message) {
        notes.add(new IndicatorImport.Remark(location, message));
    }

    /** Counts an object or entry that is not an indicator, by kind. */
    void other(String kind) {
        others.merge(kind, 1, Integer::sum);
    }

    int rejectedCount() {
        return rejected.size();
    }

    IndicatorImport build() {
        return new IndicatorImport(source, format, entries, Indicators.deduplicate(indicators), rejected, notes, others,
                null);
    }
}
