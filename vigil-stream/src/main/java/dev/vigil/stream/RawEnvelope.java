package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.ParserSpec;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.ZeekTsvReader;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A record on the raw topic: its exact bytes, where it came from, its occurrence number within its source, and the
 * parser it needs, as the sender's {@link dev.vigil.ingest.SourceSplitter} decided. A record the sender already
 * refused (over {@code ingest.max-record-bytes}, a binary or unsupported source) carries the refusal instead, so that
 * it reaches the quarantine topic like every other bad record: nothing is dropped on the way.
 *
 * <p>The value is a compact binary form ({@link #encode}, {@link #decode}) that starts with a version byte, because
 * the raw topic carries every record and outlives the workers that read it.
 *
 * @param spec the parser, or null for a refused record
 * @param refusal why the record is refused, or null for one to parse
 */
public record RawEnvelope(TenantId tenant, RawRecord record, int occurrence, ParserSpec spec, Refusal refusal) {
    private static final byte VERSION = 1;

    public RawEnvelope {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(record, "record is null");
        if ((spec == null) == (refusal == null)) {
            throw new IllegalArgumentException("a raw record has either a parser spec or a refusal");
        }
    }

    /** Why the sender refused a record, and its real size (the bytes kept are its first bytes only). */
    public record Refusal(QuarantineReason reason, String detail, long fullLength) {
        public Refusal {
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(record.length() + 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(tenant.value());
            SourcePosition position = record.position();
            out.writeUTF(position.source());
            out.writeLong(position.line());
            out.writeLong(position.byteOffset());
            out.writeInt(occurrence);
            if (refusal != null) {
                out.writeByte(0);
                out.writeUTF(refusal.reason().name());
                writeLongText(out, refusal.detail());
                out.writeLong(refusal.fullLength());
            } else {
                writeSpec(out, spec);
            }
            out.writeInt(record.length());
            out.write(record.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an encoded record.
     *
     * @throws IllegalArgumentException when the bytes are not a raw record of a version this worker reads
     */
    public static RawEnvelope decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("raw record of version " + version + ", this worker reads "
                        + VERSION);
            }
            TenantId tenant = TenantId.of(in.readUTF());
            SourcePosition position = new SourcePosition(in.readUTF(), in.readLong(), in.readLong());
            int occurrence = in.readInt();
            byte tag = in.readByte();
            Refusal refusal = null;
            ParserSpec spec = null;
            if (tag == 0) {
                refusal = new Refusal(QuarantineReason.valueOf(in.readUTF()), readLongText(in), in.readLong());
            } else {
                spec = readSpec(tag, in);
            }
            byte[] raw = new byte[in.readInt()];
            in.readFully(raw);
            return new RawEnvelope(tenant, new RawRecord(raw, position), occurrence, spec, refusal);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a raw record: " + e, e);
        }
    }

    private static void writeSpec(DataOutputStream out, ParserSpec spec) throws IOException {
        switch (spec) {
            case ParserSpec.Json json -> {
                out.writeByte(1);
                out.writeUTF(json.shape().name());
                out.writeUTF(json.defaultTable());
            }
            case ParserSpec.Syslog syslog -> {
                out.writeByte(2);
                out.writeUTF(syslog.zone().getId());
            }
            case ParserSpec.Cef cef -> {
                out.writeByte(3);
                out.writeUTF(cef.zone().getId());
            }
            case ParserSpec.Leef leef -> {
                out.writeByte(4);
                out.writeUTF(leef.zone().getId());
            }
            case ParserSpec.Audit audit -> out.writeByte(5);
            case ParserSpec.WindowsXml xml -> out.writeByte(6);
            case ParserSpec.WinEventLogText text -> {
                out.writeByte(7);
                out.writeUTF(text.zone().getId());
            }
            case ParserSpec.ZeekTsv zeek -> {
                out.writeByte(8);
                ZeekTsvReader.Header header = zeek.header();
                out.writeUTF(header.path());
                writeList(out, header.fields());
                writeList(out, header.types());
                out.writeUTF(header.separator());
                out.writeUTF(header.unset());
                out.writeUTF(header.empty());
            }
            case ParserSpec.Lines lines -> {
                out.writeByte(9);
                out.writeUTF(lines.table());
            }
            case ParserSpec.Csv csv -> {
                out.writeByte(10);
                writeList(out, csv.header());
                out.writeUTF(csv.table());
                out.writeUTF(csv.zone().getId());
                out.writeChar(csv.delimiter());
            }
        }
    }

    private static ParserSpec readSpec(byte tag, DataInputStream in) throws IOException {
        return switch (tag) {
            case 1 -> new ParserSpec.Json(JsonShape.valueOf(in.readUTF()), in.readUTF());
            case 2 -> new ParserSpec.Syslog(ZoneId.of(in.readUTF()));
            case 3 -> new ParserSpec.Cef(ZoneId.of(in.readUTF()));
            case 4 -> new ParserSpec.Leef(ZoneId.of(in.readUTF()));
            case 5 -> new ParserSpec.Audit();
            case 6 -> new ParserSpec.WindowsXml();
            case 7 -> new ParserSpec.WinEventLogText(ZoneId.of(in.readUTF()));
            case 8 -> new ParserSpec.ZeekTsv(new ZeekTsvReader.Header(in.readUTF(), readList(in), readList(in),
                    in.readUTF(), in.readUTF(), in.readUTF()));
            case 9 -> new ParserSpec.Lines(in.readUTF());
            case 10 -> new ParserSpec.Csv(readList(in), in.readUTF(), ZoneId.of(in.readUTF()), in.readChar());
            default -> throw new IllegalArgumentException("unknown parser tag " + tag);
        };
    }

    /** Writes a list whose elements may be null (CSV header names may be). */
    private static void writeList(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeBoolean(value != null);
            if (value != null) {
                writeLongText(out, value);
            }
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = in.readInt();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readBoolean() ? readLongText(in) : null);
        }
        return values;
    }

    /** Text of any length (writeUTF stops at 64 KiB). */
    private static void writeLongText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLongText(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
