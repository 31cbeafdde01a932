package dev.vigil.ingest;

import dev.vigil.model.QuarantineReason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Strict UTF-8 decoding for text parsers: a record with a bad byte is rejected rather than silently repaired. */
final class TextDecoding {
    static final char BYTE_ORDER_MARK = '\uFEFF';

    private TextDecoding() {}

    /**
     * Decodes the record as UTF-8, rejecting it with {@link QuarantineReason#INVALID_UTF8} and the offset of the
     * first byte that is not part of a valid sequence.
     */
    static String decodeStrict(RawRecord record) throws RecordRejectedException {
        byte[] bytes = record.bytes();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            int offset = input.position();
            throw new RecordRejectedException(QuarantineReason.INVALID_UTF8, String.format(Locale.ROOT,
                    "invalid UTF-8 byte 0x%02X at byte offset %d", bytes[offset] & 0xFF, offset));
        }
        output.flip();
        return output.toString();
    }

    /** The text without a leading byte order mark, which RFC 5424 puts before UTF-8 messages. */
    static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** The value as a Long when it is a plain decimal integer that fits, else the text unchanged. */
    static Object longIfNumeric(String value) {
        if (value == null || value.isEmpty() || value.length() > 20) {
            return value;
        }
        int start = value.charAt(0) == '-' ? 1 : 0;
        if (start == value.length()) {
            return value;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return value;
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException tooLarge) {
            return value;
        }
    }

    /** A short, printable excerpt of untrusted text for error details. */
    static String excerpt(String text, int maxLength) {
        String cut = text.length() > maxLength ? text.substring(0, maxLength) + "..." : text;
        StringBuilder printable = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            printable.append(c < 0x20 || c == 0x7F ? String.format(Locale.ROOT, "\\u%04X", (int) c) : String.valueOf(c));
        }
        return printable.toString();
    }
}
