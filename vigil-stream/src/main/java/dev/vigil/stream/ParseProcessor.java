package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.ParsedRecord;
import dev.vigil.ingest.ParserSpec;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordParser;
import dev.vigil.ingest.RecordParsing;
import dev.vigil.ingest.RecordRejectedException;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Parses and normalizes raw records with the core's parsers and normalizer, as {@link dev.vigil.ingest.Ingestor}
 * does: a record that parses becomes an event (to the events topic and to detection), one that does not goes to the
 * quarantine topic with its reason, its position and its bytes. A value that is not a raw record at all (another
 * producer wrote to the topic) is quarantined too, under the topic's name and offset.
 */
final class ParseProcessor implements Processor<String, byte[], String, Object> {
    private static final int PARSER_CACHE = 256;

    private final IngestLimits limits;
    private final RecordClock clock = new RecordClock();
    private final Normalizer normalizer = Normalizer.standard(clock);
    /** Parsers by spec; a CSV or Zeek source's spec is its header, so a few recent ones are kept. */
    private final Map<ParserSpec, RecordParser> parsers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ParserSpec, RecordParser> eldest) {
            return size() > PARSER_CACHE;
        }
    };
    private ProcessorContext<String, Object> context;

    ParseProcessor(IngestLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        clock.set(record.timestamp());
        RawEnvelope envelope;
        try {
            envelope = RawEnvelope.decode(record.value() == null ? new byte[0] : record.value());
        } catch (IllegalArgumentException | VigilException e) {
            foreign(record, e.getMessage());
            return;
        }
        TenantId tenant = envelope.tenant();
        RawRecord raw = envelope.record();
        if (envelope.refusal() != null) {
            RawEnvelope.Refusal refusal = envelope.refusal();
            quarantine(record, QuarantinedRecord.of(tenant, raw.position(), refusal.reason(), refusal.detail(),
                    raw.bytes(), refusal.fullLength(), envelope.occurrence()));
            return;
        }
        RecordParser parser = parsers.computeIfAbsent(envelope.spec(), spec -> spec.parser(limits, clock));
        ParsedRecord parsed;
        try {
            parsed = RecordParsing.parse(raw, parser);
        } catch (RecordRejectedException e) {
            quarantine(record, QuarantinedRecord.of(tenant, raw.position(), e.reason(), e.detail(), raw.bytes(),
                    raw.length(), envelope.occurrence()));
            return;
        }
        Event event = normalizer.normalize(tenant, raw, parsed, envelope.occurrence());
        Record<String, Object> out = new Record<>(tenant.value(), event, record.timestamp());
        context.forward(out, "events-sink");
        context.forward(out, "detect");
    }

    private void quarantine(Record<String, byte[]> record, QuarantinedRecord quarantined) {
        context.forward(new Record<>(quarantined.tenant().value(), quarantined, record.timestamp()),
                "quarantine-sink");
    }

    /** A value no sender of Vigil wrote: kept under its key's tenant when that is one, else the default tenant. */
    private void foreign(Record<String, byte[]> record, String why) {
        TenantId tenant;
        try {
            tenant = TenantId.of(record.key());
        } catch (VigilException e) {
            tenant = TenantId.DEFAULT;
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String where = context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("raw topic");
        // numbered by where it sits, so that equal values at two offsets stay two records, and the same one read
        // again keeps its id
        int occurrence = where.hashCode();
        quarantine(record, QuarantinedRecord.of(tenant, new SourcePosition(where, 0, 0),
                QuarantineReason.UNSUPPORTED_FORMAT, "not a raw record of the Vigil pipeline (" + why
                        + "); send files with `vigil stream send`", value, value.length, occurrence));
    }
}
