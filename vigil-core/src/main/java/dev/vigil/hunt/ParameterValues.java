package dev.vigil.hunt;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlType;
import dev.vigil.query.QueryParameter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the text values a user passes ({@code --param name=value}) to the parameters a saved query declares,
 * converting each to its declared type. A required parameter (no default) must be given; a parameter the query does
 * not declare is refused, since a typo would otherwise silently run the query with its default.
 */
public final class ParameterValues {
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(d|h|m|s|ms|microsecond|tick)?",
            Pattern.CASE_INSENSITIVE);

    private ParameterValues() {}

    /**
     * The values for the compiler: Long, Double, Boolean, String, {@link Instant} for a datetime and
     * {@link Duration} for a timespan; parameters not given are left out, so their defaults apply.
     *
     * @param query the query's name, for messages
     * @throws VigilException {@code QUERY_INVALID} naming the parameter, its type and the fix
     */
    public static Map<String, Object> bind(String query, List<QueryParameter> declared, Map<String, String> given) {
        Map<String, QueryParameter> byName = new LinkedHashMap<>();
        declared.forEach(p -> byName.put(p.name(), p));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new VigilException(ErrorCode.QUERY_INVALID, "query '" + query + "' has no parameter '" + name + "'"
                        + (declared.isEmpty() ? "; it declares none" : "; it declares " + describe(declared)),
                        "Pass only the parameters the query declares (vigil hunt saved lists them).", null);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (QueryParameter parameter : declared) {
            String text = given.get(parameter.name());
            if (text == null) {
                if (parameter.required()) {
                    throw new VigilException(ErrorCode.QUERY_INVALID, "query '" + query + "' needs parameter '"
                            + parameter.name() + "' of type " + parameter.typeName() + ", which has no default",
                            "Pass it with --param " + parameter.name() + "=" + example(parameter.type()) + ".", null);
                }
                continue;
            }
            values.put(parameter.name(), convert(query, parameter, text));
        }
        return values;
    }

    static Object convert(String query, QueryParameter parameter, String text) {
        String value = text.strip();
        try {
            return switch (parameter.type()) {
                case STRING, DYNAMIC -> text;
                case LONG -> Long.parseLong(value);
                case REAL -> Double.parseDouble(value);
                case BOOL -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException();
                };
                case DATETIME -> datetime(value);
                case TIMESPAN -> timespan(value);
            };
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.QUERY_INVALID, "parameter '" + parameter.name() + "' of query '" + query
                    + "' is a " + parameter.typeName() + ", and '" + text + "' is not one",
                    "Pass a " + parameter.typeName() + ", e.g. --param " + parameter.name() + "="
                            + example(parameter.type()) + ".", null);
        }
    }

    /** An ISO date or date-time; without an offset it is UTC. */
    static Instant datetime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    /** A KQL timespan such as {@code 1d}, {@code 12h}, {@code 30m}, {@code 10s}, {@code 250ms}. */
    public static Duration timespan(String value) {
        Matcher matcher = TIMESPAN.matcher(value.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a timespan: " + value);
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "d" : matcher.group(2).toLowerCase(Locale.ROOT);
        double nanos = amount * switch (unit) {
            case "d" -> 86_400e9;
            case "h" -> 3_600e9;
            case "m" -> 60e9;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "microsecond" -> 1e3;
            default -> 100; // tick
        };
        return Duration.ofNanos(Math.round(nanos));
    }

    private static String example(KqlType type) {
        return switch (type) {
            case STRING, DYNAMIC -> "VALUE";
            case LONG -> "10";
            case REAL -> "0.5";
            case BOOL -> "true";
            case DATETIME -> "2024-05-01T00:00:00Z";
            case TIMESPAN -> "1h";
        };
    }

    private static String describe(List<QueryParameter> declared) {
        return String.join(", ", declared.stream().map(p -> p.name() + ":" + p.typeName()).toList());
    }
}
