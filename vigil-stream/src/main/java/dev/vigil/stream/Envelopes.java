package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Occurrences;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordParsing;
import dev.vigil.ingest.RecordReader;
import dev.vigil.ingest.SourceSplitter;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Turns a source into the raw topic's records: splits it with the core's {@link SourceSplitter}, numbers
 * byte-identical records as ingest does (so the pipeline derives the same event ids), and makes records over
 * {@code ingest.max-record-bytes} and sources refused whole into refusals, so that they reach the quarantine topic.
 */
public final class Envelopes {
    private final TenantId tenant;
    private final SourceSplitter splitter;
    private final IngestLimits limits;

    public Envelopes(TenantId tenant, SourceSplitter splitter, IngestLimits limits) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.splitter = requireNonNull(splitter, "splitter is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Hands each record of a source to {@code out}, in source order.
     *
     * @return why the source was skipped (not a log), or null
     */
    public String split(String name, InputStream in, Consumer<RawEnvelope> out) throws IOException {
        Occurrences occurrences = new Occurrences();
        switch (splitter.open(name, in)) {
            case SourceSplitter.Skipped skipped -> {
                return skipped.reason();
            }
            case SourceSplitter.Refused refused -> {
                RawRecord prefix = refused.prefix();
                out.accept(new RawEnvelope(tenant, prefix, occurrences.nextRefused(prefix.bytes(),
                        refused.fullLength()), null, new RawEnvelope.Refusal(refused.reason(), refused.detail(),
                                refused.fullLength())));
            }
            case SourceSplitter.Split split -> {
                try (split) {
                    RecordReader reader = split.reader();
                    while (true) {
                        RawRecord record;
                        try {
                            record = reader.next();
                        } catch (RecordReader.Oversized oversized) {
                            RawRecord prefix = oversized.prefix();
                            out.accept(new RawEnvelope(tenant, prefix, occurrences.nextRefused(prefix.bytes(),
                                    oversized.fullLength()), null, new RawEnvelope.Refusal(
                                            QuarantineReason.RECORD_TOO_LARGE,
                                            RecordParsing.tooLarge(oversized.fullLength(), limits),
                                            oversized.fullLength())));
                            continue;
                        }
                        if (record == null) {
                            break;
                        }
                        // byte-identical records all parse or all fail, so a record that parses gets the number
                        // ingest gives it; one that fails is numbered among all records, still the same every time
                        out.accept(new RawEnvelope(tenant, record, occurrences.next(record.bytes()), split.spec(),
                                null));
                    }
                }
            }
        }
        return null;
    }
}
