package dev.vigil.ingest;

/**
 * Turns one raw record of a known format into native fields. Implementations are stateless or confined to one
 * thread, never throw for bad data (they throw {@link RecordRejectedException} with the reason), and never hang:
 * every loop is bounded by the record's length.
 */
@FunctionalInterface
public interface RecordParser {
    ParsedRecord parse(RawRecord record) throws RecordRejectedException;
}
