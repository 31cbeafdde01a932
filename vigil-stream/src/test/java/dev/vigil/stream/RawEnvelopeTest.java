package dev.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.ParserSpec;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.ZeekTsvReader;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The raw topic's envelope: every parser spec and a refusal survive the trip through bytes. */
class RawEnvelopeTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static Stream<ParserSpec> specs() {
        return Stream.of(new ParserSpec.Json(JsonShape.WINLOGBEAT, "JsonEvent"), new ParserSpec.Syslog(PARIS),
                new ParserSpec.Cef(PARIS), new ParserSpec.Leef(PARIS), new ParserSpec.Audit(),
                new ParserSpec.WindowsXml(), new ParserSpec.WinEventLogText(PARIS),
                new ParserSpec.ZeekTsv(new ZeekTsvReader.Header("conn", List.of("ts", "uid"), List.of("time", "string"),
                        "\t", "-", "(empty)")),
                new ParserSpec.Lines("AppLog"),
                new ParserSpec.Csv(Arrays.asList("TimeGenerated", null, "Computer"), "Export", PARIS, ';'));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aRecordToParseKeepsItsBytesPositionOccurrenceAndParser(ParserSpec spec) {
        RawEnvelope envelope = new RawEnvelope(TenantId.of("acme"), new RawRecord(new byte[] {'a', 0, (byte) 0xff},
                new SourcePosition("logs.zip!a.log", 42, 1_000)), 3, spec, null);

        RawEnvelope decoded = RawEnvelope.decode(envelope.encode());

        assertThat(decoded.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(decoded.record().bytes()).containsExactly('a', 0, 0xff);
        assertThat(decoded.record().position()).isEqualTo(new SourcePosition("logs.zip!a.log", 42, 1_000));
        assertThat(decoded.occurrence()).isEqualTo(3);
        assertThat(decoded.spec()).isEqualTo(spec);
        assertThat(decoded.refusal()).isNull();
    }

    @Test
    void aRefusedRecordKeepsItsReasonAndRealSize() {
        RawEnvelope envelope = new RawEnvelope(TenantId.of("acme"),
                RawRecord.of("{\"a\":", new SourcePosition("big.json", 7, 0)), 0, null,
                new RawEnvelope.Refusal(QuarantineReason.RECORD_TOO_LARGE, "record of 5000000 bytes", 5_000_000));

        RawEnvelope decoded = RawEnvelope.decode(envelope.encode());

        assertThat(decoded.spec()).isNull();
        assertThat(decoded.refusal()).isEqualTo(envelope.refusal());
    }

    @Test
    void bytesThatAreNotAnEnvelopeAreRefusedWithWhy() {
        assertThatThrownBy(() -> RawEnvelope.decode("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 104");
    }
}
