package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.QuarantineReason;
import dev.vigil.model.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers shared by the parser specifications. */
final class ParserTesting {
    static final SourcePosition POSITION = new SourcePosition("test", 1, 0);

    private ParserTesting() {}

    static RawRecord record(String text) {
        return new RawRecord(text.getBytes(StandardCharsets.UTF_8), POSITION);
    }

    static RawRecord record(byte[] bytes) {
        return new RawRecord(bytes, POSITION);
    }

    static long micros(String isoInstant) {
        Instant instant = Instant.parse(isoInstant);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    /** Builds an ordered map from alternating names and values, since Map.of allows neither nulls nor order. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    static void assertRejected(RecordParser parser, String input, QuarantineReason reason, String detail) {
        RecordRejectedException rejection =
                catchThrowableOfType(RecordRejectedException.class, () -> parser.parse(record(input)));
        assertThat(rejection).as("rejection of %s", input).isNotNull();
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.detail()).isEqualTo(detail);
    }
}
