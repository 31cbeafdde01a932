package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.vigil.copilot.Answer;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions and answers as JSON: the records' components by name, times as ISO-8601 UTC text, empty optionals as
 * {@code null}. The store keeps each turn's answer in this form, and {@code vigil ask --json} prints it.
 *
 * <p>Reading gives back an equal value, with one caveat on table cells: JSON does not tell integer types apart, so
 * whole numbers come back as {@code Long} and fractions as {@code Double} (an {@code Integer} cell written comes back
 * as a {@code Long}). Properties it does not know are ignored, so a newer Vigil's JSON still reads.
 */
public final class SessionJson {
    // Jackson 3 handles records, Optional and java.time in databind itself; only the choices below differ from its
    // defaults. Boolean "is" methods (Table.isEmpty) are derived values, not properties.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultVisibility(v -> v.withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
            .build();

    private SessionJson() {}

    /** The session as indented JSON, for export. */
    public static String write(Session session) {
        requireNonNull(session, "session is null");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(session);
    }

    /**
     * A session from its JSON.
     *
     * @throws VigilException {@link ErrorCode#INPUT_UNREADABLE} naming the line, column and field of what is wrong
     */
    public static Session read(String json) {
        return read(json, Session.class, "session");
    }

    /** The answer as compact JSON, as the store keeps it. */
    public static String writeAnswer(Answer answer) {
        requireNonNull(answer, "answer is null");
        return JSON.writeValueAsString(answer);
    }

    /**
     * An answer from its JSON.
     *
     * @throws VigilException {@link ErrorCode#INPUT_UNREADABLE} naming the line, column and field of what is wrong
     */
    public static Answer readAnswer(String json) {
        return read(json, Answer.class, "answer");
    }

    private static <T> T read(String json, Class<T> type, String what) {
        requireNonNull(json, what + " is null");
        try {
            return JSON.readValue(json, type);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at " + at.getLineNr() + ":" + at.getColumnNr();
            String field = e.getPath().isEmpty() ? "" : " in field " + path(e);
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "not a Vigil " + what + where + field + ": "
                    + firstLine(e.getOriginalMessage()), "Pass JSON that Vigil exported as a " + what + ".", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "not a Vigil " + what + ": " + e.getMessage(),
                    "Pass JSON that Vigil exported as a " + what + ".", e);
        }
    }

    /** The path of the field being read, as {@code turns[1].answer.plan}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
