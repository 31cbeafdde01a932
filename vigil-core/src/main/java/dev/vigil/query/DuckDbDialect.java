package dev.vigil.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * DuckDB SQL. Dynamic values are DuckDB {@code JSON}; timespans are {@code INTERVAL}s; datetimes
 * {@code TIMESTAMPTZ} (the store's session runs in UTC). String operators follow KQL: {@code has} matches whole
 * terms (bounded by non-alphanumeric characters), {@code contains}, {@code startswith} and {@code endswith} ignore
 * case, their {@code _cs} forms do not.
 */
public final class DuckDbDialect implements SqlDialect {
    public static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private DuckDbDialect() {}

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String string(String value) {
        if (value.indexOf('\0') >= 0) {
            // DuckDB's parser ends a literal at a NUL character: spell it as chr(0)
            return "(" + String.join(" || chr(0) || ", java.util.Arrays.stream(value.split("\0", -1))
                    .map(part -> "'" + part.replace("'", "''") + "'").toList()) + ")";
        }
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String constant(Object value, KqlType type) {
        if (value == null) {
            return "CAST(NULL AS " + typeName(type) + ")";
        }
        return switch (type) {
            case STRING -> string(value.toString());
            case LONG -> value instanceof Number n ? Long.toString(n.longValue()) : string(value.toString()) + "::BIGINT";
            case REAL -> value instanceof Number n ? "CAST(" + n.doubleValue() + " AS DOUBLE)" : "CAST(" + string(value.toString()) + " AS DOUBLE)";
            case BOOL -> Boolean.TRUE.equals(value) ? "TRUE" : "FALSE";
            case DATETIME -> "CAST(" + string(value.toString()) + " AS TIMESTAMPTZ)";
            case TIMESPAN -> "to_microseconds(CAST(" + value + " AS BIGINT))";
            case DYNAMIC -> "CAST(" + string(value.toString()) + " AS JSON)";
        };
    }

    @Override
    public String typeName(KqlType type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case REAL -> "DOUBLE";
            case BOOL -> "BOOLEAN";
            case DATETIME -> "TIMESTAMPTZ";
            case TIMESPAN -> "INTERVAL";
            case DYNAMIC -> "JSON";
        };
    }

    @Override
    public String unnest(String column) {
        return "unnest(CAST(" + column + " AS JSON[]))";
    }

    @Override
    public String sample(String count) {
        return "USING SAMPLE " + count + " ROWS";
    }

    @Override
    public String apply(Scalar.Apply apply, Function<Scalar, String> render) {
        List<Scalar> a = apply.arguments();
        List<String> s = new ArrayList<>();
        for (Scalar argument : a) {
            s.add(render.apply(argument));
        }
        return switch (apply.function()) {
            case AND -> "(" + String.join(" AND ", s) + ")";
            case OR -> "(" + String.join(" OR ", s) + ")";
            case NOT -> "(NOT " + s.get(0) + ")";
            case EQ -> "(" + s.get(0) + " = " + s.get(1) + ")";
            case NE -> "(" + s.get(0) + " <> " + s.get(1) + ")";
            case LT -> "(" + s.get(0) + " < " + s.get(1) + ")";
            case LE -> "(" + s.get(0) + " <= " + s.get(1) + ")";
            case GT -> "(" + s.get(0) + " > " + s.get(1) + ")";
            case GE -> "(" + s.get(0) + " >= " + s.get(1) + ")";
            case EQ_CI -> "(lower(" + s.get(0) + ") = " + lowered(a.get(1), s.get(1)) + ")";
            case NE_CI -> "(lower(" + s.get(0) + ") <> " + lowered(a.get(1), s.get(1)) + ")";
            case IS_NULL -> "(" + s.get(0) + " IS NULL)";
            case IS_NOT_NULL -> "(" + s.get(0) + " IS NOT NULL)";
            case IN -> "(" + s.get(0) + " IN (" + String.join(", ", s.subList(1, s.size())) + "))";
            case IN_CI -> {
                List<String> items = new ArrayList<>();
                for (int i = 1; i < a.size(); i++) {
                    items.add(lowered(a.get(i), s.get(i)));
                }
                yield "(lower(" + s.get(0) + ") IN (" + String.join(", ", items) + "))";
            }
            case IN_SUBQUERY -> "(" + s.get(0) + " IN " + s.get(1) + ")";
            case BETWEEN -> "(" + s.get(0) + " BETWEEN " + s.get(1) + " AND " + s.get(2) + ")";
            case HAS -> has(a.get(1), s.get(0), s.get(1), false);
            case HAS_CS -> has(a.get(1), s.get(0), s.get(1), true);
            case HAS_ANY -> hasAny(a, s, false);
            case HAS_ALL -> hasAny(a, s, true);
            // the terms come from a query: each term's whole-word test, through one correlated EXISTS
            case HAS_ANY_SUBQUERY -> "EXISTS (SELECT 1 FROM " + s.get(1).substring(s.get(1).indexOf(" FROM ") + 6,
                    s.get(1).length() - 1) + " WHERE " + s.get(0) + " ILIKE ('%' || " + termColumn(a.get(1)) + " || '%') AND "
                    + "regexp_matches(" + s.get(0) + ", '(?i)(^|[^0-9A-Za-z])' || regexp_escape(" + termColumn(a.get(1))
                    + ") || '($|[^0-9A-Za-z])'))";
            case HAS_PREFIX -> literal(a.get(1)) instanceof String term
                    ? "regexp_matches(" + s.get(0) + ", " + string("(?i)(^|[^0-9A-Za-z])" + quoteRegex(term)) + ")"
                    : "(" + s.get(0) + " ILIKE ('%' || " + s.get(1) + " || '%'))";
            case HAS_SUFFIX -> literal(a.get(1)) instanceof String term
                    ? "regexp_matches(" + s.get(0) + ", " + string("(?i)" + quoteRegex(term) + "($|[^0-9A-Za-z])") + ")"
                    : "(" + s.get(0) + " ILIKE ('%' || " + s.get(1) + " || '%'))";
            case CONTAINS -> like(a.get(1), s.get(0), s.get(1), "%", "%");
            case CONTAINS_CS -> "contains(" + s.get(0) + ", " + s.get(1) + ")";
            case STARTS_WITH -> like(a.get(1), s.get(0), s.get(1), "", "%");
            case STARTS_WITH_CS -> "starts_with(" + s.get(0) + ", " + s.get(1) + ")";
            case ENDS_WITH -> like(a.get(1), s.get(0), s.get(1), "%", "");
            case ENDS_WITH_CS -> "suffix(" + s.get(0) + ", " + s.get(1) + ")";
            case MATCHES_REGEX -> "regexp_matches(" + s.get(0) + ", " + s.get(1) + ")";
            case LIKE -> "(" + s.get(0) + " LIKE " + s.get(1) + ")";
            case ADD -> a.get(0).type() == KqlType.STRING ? "(" + s.get(0) + " || " + s.get(1) + ")"
                    : "(" + s.get(0) + " + " + s.get(1) + ")";
            case SUBTRACT -> "(" + s.get(0) + " - " + s.get(1) + ")";
            case MULTIPLY -> "(" + s.get(0) + " * " + s.get(1) + ")";
            case DIVIDE -> a.get(0).type() == KqlType.LONG && a.get(1).type() == KqlType.LONG
                    ? "(" + s.get(0) + " // NULLIF(" + s.get(1) + ", 0))" : "(" + s.get(0) + " / " + s.get(1) + ")";
            case MODULO -> "(" + s.get(0) + " % " + s.get(1) + ")";
            case NEGATE -> "(-" + s.get(0) + ")";
            case IFF -> "(CASE WHEN " + s.get(0) + " THEN " + s.get(1) + " ELSE " + s.get(2) + " END)";
            case CASE -> {
                StringBuilder sql = new StringBuilder("(CASE");
                for (int i = 0; i + 1 < s.size(); i += 2) {
                    sql.append(" WHEN ").append(s.get(i)).append(" THEN ").append(s.get(i + 1));
                }
                yield sql.append(" ELSE ").append(s.get(s.size() - 1)).append(" END)").toString();
            }
            case COALESCE -> "coalesce(" + String.join(", ", s) + ")";
            case IS_EMPTY -> a.get(0).type() == KqlType.STRING ? "(coalesce(" + s.get(0) + ", '') = '')"
                    : "(" + s.get(0) + " IS NULL)";
            case IS_NOT_EMPTY -> a.get(0).type() == KqlType.STRING ? "(coalesce(" + s.get(0) + ", '') <> '')"
                    : "(" + s.get(0) + " IS NOT NULL)";
            case TO_STRING -> switch (a.get(0).type()) {
                case STRING -> s.get(0);
                case DYNAMIC -> "json_extract_string(" + s.get(0) + ", '$')";
                case DATETIME -> "strftime(" + s.get(0) + ", '%Y-%m-%dT%H:%M:%S.%fZ')";
                default -> "CAST(" + s.get(0) + " AS VARCHAR)";
            };
            case TO_LONG -> a.get(0).type() == KqlType.DATETIME ? "epoch_us(" + s.get(0) + ") * 10"
                    : "TRY_CAST(TRY_CAST(" + stringOf(a.get(0), s.get(0)) + " AS DOUBLE) AS BIGINT)";
            case TO_REAL -> "TRY_CAST(" + stringOf(a.get(0), s.get(0)) + " AS DOUBLE)";
            case TO_BOOL -> a.get(0).type().isNumeric() ? "(" + s.get(0) + " <> 0)"
                    : "TRY_CAST(" + stringOf(a.get(0), s.get(0)) + " AS BOOLEAN)";
            case TO_DATETIME -> a.get(0).type() == KqlType.DATETIME ? s.get(0)
                    : "TRY_CAST(" + stringOf(a.get(0), s.get(0)) + " AS TIMESTAMPTZ)";
            case TO_TIMESPAN -> a.get(0).type() == KqlType.TIMESPAN ? s.get(0)
                    : "TRY_CAST(" + stringOf(a.get(0), s.get(0)) + " AS INTERVAL)";
            case TO_LOWER -> "lower(" + s.get(0) + ")";
            case TO_UPPER -> "upper(" + s.get(0) + ")";
            case STRLEN -> "length(" + s.get(0) + ")";
            case STRCAT -> "concat(" + String.join(", ", s) + ")";
            case STRCAT_DELIM -> "concat_ws(" + String.join(", ", s) + ")";
            case SUBSTRING -> "substr(" + s.get(0) + ", " + s.get(1) + " + 1" + (s.size() > 2 ? ", " + s.get(2) : "") + ")";
            case EXTRACT -> "nullif(regexp_extract(" + s.get(2) + ", " + s.get(0) + ", CAST(" + s.get(1) + " AS INTEGER)), '')";
            case EXTRACT_ALL -> "to_json(regexp_extract_all(" + s.get(1) + ", " + s.get(0) + ", "
                    + (s.size() > 2 ? "CAST(" + s.get(2) + " AS INTEGER)" : "1") + "))";
            case REPLACE_STRING -> "replace(" + s.get(0) + ", " + s.get(1) + ", " + s.get(2) + ")";
            case REPLACE_REGEX -> "regexp_replace(" + s.get(0) + ", " + s.get(1) + ", "
                    + "regexp_replace(" + s.get(2) + ", '\\$(\\d)', '\\\\\\1', 'g'), 'g')";
            case SPLIT -> s.size() > 2
                    ? "to_json([string_split(" + s.get(0) + ", " + s.get(1) + ")[" + s.get(2) + " + 1]])"
                    : "to_json(string_split(" + s.get(0) + ", " + s.get(1) + "))";
            case TRIM -> "regexp_replace(regexp_replace(" + s.get(1) + ", '^(' || " + s.get(0) + " || ')+', ''), '(' || "
                    + s.get(0) + " || ')+$', '')";
            case INDEX_OF -> "(strpos(" + s.get(0) + ", " + s.get(1) + ") - 1)";
            case BASE64_DECODE -> "decode(TRY(from_base64(" + s.get(0) + ")))";
            case URL_DECODE -> "url_decode(" + s.get(0) + ")";
            case REVERSE -> "reverse(" + s.get(0) + ")";
            case HASH_SHA256 -> "sha256(" + s.get(0) + ")";
            case HASH_MD5 -> "md5(" + s.get(0) + ")";
            case NOW -> "now()";
            case AGO -> "(now() - " + s.get(0) + ")";
            case BIN -> switch (a.get(0).type()) {
                case DATETIME -> "time_bucket(" + s.get(1) + ", " + s.get(0) + ", TIMESTAMPTZ '1970-01-01 00:00:00+00')";
                case TIMESPAN -> "to_microseconds(CAST(floor(epoch_us(" + s.get(0) + ") / epoch_us(" + s.get(1)
                        + ")) * epoch_us(" + s.get(1) + ") AS BIGINT))";
                case LONG -> "(floor(" + s.get(0) + " / " + s.get(1) + ") * " + s.get(1) + ")::BIGINT";
                default -> "(floor(" + s.get(0) + " / " + s.get(1) + ") * " + s.get(1) + ")";
            };
            case START_OF_DAY -> "date_trunc('day', " + s.get(0) + ")";
            case START_OF_WEEK -> "(date_trunc('day', " + s.get(0) + ") - to_days(CAST(dayofweek(" + s.get(0) + ") AS INTEGER)))";
            case START_OF_MONTH -> "date_trunc('month', " + s.get(0) + ")";
            case START_OF_YEAR -> "date_trunc('year', " + s.get(0) + ")";
            case END_OF_DAY -> "(date_trunc('day', " + s.get(0) + ") + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)";
            case FORMAT_DATETIME -> "strftime(" + s.get(0) + ", " + (literal(a.get(1)) instanceof String format
                    ? string(strftime(format)) : s.get(1)) + ")";
            case DATETIME_DIFF -> "date_diff(" + (literal(a.get(0)) instanceof String unit ? string(unit(unit)) : s.get(0))
                    + ", " + s.get(2) + ", " + s.get(1) + ")";
            case DATETIME_ADD -> "(" + s.get(2) + " + to_microseconds(CAST(" + s.get(1) + " * " + microseconds(literal(a.get(0)))
                    + " AS BIGINT)))";
            case DAY_OF_WEEK -> "to_days(CAST(dayofweek(" + s.get(0) + ") AS INTEGER))";
            case HOUR_OF_DAY -> "hour(" + s.get(0) + ")";
            case TIMESPAN_DIVIDE -> "(epoch_us(" + s.get(0) + ") / epoch_us(" + s.get(1) + "))";
            case PARSE_JSON -> a.get(0).type() == KqlType.DYNAMIC ? s.get(0)
                    : "(CASE WHEN json_valid(" + s.get(0) + ") THEN CAST(" + s.get(0) + " AS JSON) ELSE to_json("
                    + s.get(0) + ") END)";
            case JSON_PATH -> "json_extract(" + s.get(0) + ", " + s.get(1) + ")";
            case DYNAMIC_TO_STRING -> "json_extract_string(" + s.get(0) + ", '$')";
            case ARRAY_LENGTH -> "CAST(json_array_length(" + s.get(0) + ") AS BIGINT)";
            case PACK_ARRAY -> "to_json([" + String.join(", ", s.stream().map(x -> "to_json(" + x + ")").toList()) + "])";
            case BAG_PACK -> "json_object(" + String.join(", ", s) + ")";
            case SET_HAS_ELEMENT -> "list_contains(CAST(" + s.get(0) + " AS JSON[]), to_json(" + s.get(1) + "))";
            case ARRAY_CONCAT -> "to_json(list_concat(" + String.join(", ", s.stream().map(x -> "CAST(" + x + " AS JSON[])").toList()) + "))";
            case ROUND -> "round(" + s.get(0) + (s.size() > 1 ? ", CAST(" + s.get(1) + " AS INTEGER)" : "") + ")";
            case ABS -> "abs(" + s.get(0) + ")";
            case FLOOR -> "floor(" + s.get(0) + ")";
            case SQRT -> "sqrt(" + s.get(0) + ")";
            case POWER -> "pow(" + s.get(0) + ", " + s.get(1) + ")";
            case LOG -> "ln(" + s.get(0) + ")";
            case LOG10 -> "log10(" + s.get(0) + ")";
            case EXP -> "exp(" + s.get(0) + ")";
            case IPV4_IS_PRIVATE -> "regexp_matches(" + s.get(0) + ", "
                    + string("^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)") + ")";
            case IPV4_IS_IN_RANGE -> "(TRY_CAST(" + s.get(0) + " AS INET) <<= TRY_CAST(" + s.get(1) + " AS INET))";
        };
    }

    private String termColumn(Scalar subquery) {
        return quote(((Scalar.Subquery) subquery).plan().columns().get(0).sqlName());
    }

    private static Object literal(Scalar scalar) {
        return scalar instanceof Scalar.Constant constant ? constant.value() : null;
    }

    private String lowered(Scalar scalar, String rendered) {
        return literal(scalar) instanceof String text ? string(text.toLowerCase(Locale.ROOT)) : "lower(" + rendered + ")";
    }

    private static String stringOf(Scalar scalar, String rendered) {
        return switch (scalar.type()) {
            case STRING -> rendered;
            case DYNAMIC -> "json_extract_string(" + rendered + ", '$')";
            default -> "CAST(" + rendered + " AS VARCHAR)";
        };
    }

    /** ILIKE with a literal pattern (its wildcards escaped); a computed operand compares lowered text. */
    private String like(Scalar term, String value, String rendered, String before, String after) {
        if (literal(term) instanceof String text) {
            return "(" + value + " ILIKE " + likePattern(before, text, after) + ")";
        }
        String lowered = "lower(" + rendered + ")";
        return before.isEmpty() ? "starts_with(lower(" + value + "), " + lowered + ")"
                : after.isEmpty() ? "suffix(lower(" + value + "), " + lowered + ")"
                : "contains(lower(" + value + "), " + lowered + ")";
    }

    /**
     * KQL's {@code has}: the term appears bounded by non-alphanumeric characters (or the ends). A literal term gets a
     * cheap substring test first, which decides most rows without the regular expression.
     */
    private String has(Scalar term, String value, String rendered, boolean caseSensitive) {
        if (literal(term) instanceof String text) {
            if (text.isEmpty()) {
                return "(" + value + " IS NOT NULL)";
            }
            String regex = (caseSensitive ? "" : "(?i)") + termPattern(text);
            String prefilter = caseSensitive ? "contains(" + value + ", " + string(text) + ")"
                    : value + " ILIKE " + likePattern("%", text, "%");
            if (text.chars().noneMatch(Character::isLetterOrDigit)) {
                return "(" + prefilter + ")";
            }
            return "(" + prefilter + " AND regexp_matches(" + value + ", " + string(regex) + "))";
        }
        return caseSensitive ? "contains(" + value + ", " + rendered + ")"
                : "contains(lower(" + value + "), lower(" + rendered + "))";
    }

    private String hasAny(List<Scalar> arguments, List<String> rendered, boolean all) {
        List<String> terms = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (int i = 1; i < arguments.size(); i++) {
            if (literal(arguments.get(i)) instanceof String text && !text.isEmpty()
                    && text.chars().anyMatch(Character::isLetterOrDigit)) {
                terms.add(text);
            } else {
                parts.add(has(arguments.get(i), rendered.get(0), rendered.get(i), false));
            }
        }
        if (all) {
            for (String term : terms) {
                parts.add(has(new Scalar.Constant(term, KqlType.STRING), rendered.get(0), string(term), false));
            }
            return parts.isEmpty() ? "TRUE" : "(" + String.join(" AND ", parts) + ")";
        }
        if (!terms.isEmpty()) {
            // one regular expression for all literal terms: one pass over the text instead of one per term
            parts.add(0, "regexp_matches(" + rendered.get(0) + ", " + string("(?i)" + String.join("|",
                    terms.stream().map(DuckDbDialect::termPattern).toList())) + ")");
        }
        return parts.isEmpty() ? "FALSE" : "(" + String.join(" OR ", parts) + ")";
    }

    /**
     * An ILIKE pattern matching the text literally. The ESCAPE clause is added only when the text holds a wildcard or
     * the escape character, because DuckDB turns a plain pattern into a fast substring test and an escaped one not.
     */
    private static String likePattern(String before, String text, String after) {
        if (text.indexOf('%') < 0 && text.indexOf('_') < 0 && text.indexOf('\\') < 0) {
            return string(before + text + after);
        }
        String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return string(before + escaped + after) + " ESCAPE '\\'";
    }

    private static String termPattern(String term) {
        String start = Character.isLetterOrDigit(term.charAt(0)) ? "(?:^|[^0-9A-Za-z])" : "";
        String end = Character.isLetterOrDigit(term.charAt(term.length() - 1)) ? "(?:$|[^0-9A-Za-z])" : "";
        return start + quoteRegex(term) + end;
    }

    static String quoteRegex(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String unit(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "year" -> "year";
            case "quarter" -> "quarter";
            case "month" -> "month";
            case "week" -> "week";
            case "day" -> "day";
            case "hour" -> "hour";
            case "minute" -> "minute";
            case "second" -> "second";
            case "millisecond" -> "millisecond";
            default -> "microsecond";
        };
    }

    private static long microseconds(Object unit) {
        String name = unit instanceof String text ? text.toLowerCase(Locale.ROOT) : "second";
        return switch (name) {
            case "week" -> 604_800_000_000L;
            case "day" -> 86_400_000_000L;
            case "hour" -> 3_600_000_000L;
            case "minute" -> 60_000_000L;
            case "millisecond" -> 1_000L;
            case "microsecond" -> 1L;
            default -> 1_000_000L;
        };
    }

    /** KQL's .NET-style datetime format to strftime. */
    static String strftime(String format) {
        String[][] map = {{"yyyy", "%Y"}, {"yy", "%y"}, {"MM", "%m"}, {"dd", "%d"}, {"HH", "%H"}, {"hh", "%I"},
                {"mm", "%M"}, {"ss", "%S"}, {"fffffff", "%n"}, {"ffffff", "%f"}, {"fff", "%g"}, {"tt", "%p"}};
        StringBuilder out = new StringBuilder();
        int i = 0;
        outer:
        while (i < format.length()) {
            for (String[] pair : map) {
                if (format.startsWith(pair[0], i)) {
                    out.append(pair[1]);
                    i += pair[0].length();
                    continue outer;
                }
            }
            char c = format.charAt(i++);
            out.append(c == '%' ? "%%" : String.valueOf(c));
        }
        return out.toString();
    }

    @Override
    public String aggregate(Scalar.Aggregate aggregate, Function<Scalar, String> render) {
        List<String> s = aggregate.arguments().stream().map(render).toList();
        String last = s.isEmpty() ? null : s.get(s.size() - 1);
        return switch (aggregate.function()) {
            case COUNT -> "count(*)";
            case COUNT_IF -> "count(*) FILTER (WHERE " + s.get(0) + ")";
            case DCOUNT -> "count(DISTINCT " + s.get(0) + ")";
            case DCOUNT_IF -> "count(DISTINCT " + s.get(0) + ") FILTER (WHERE " + last + ")";
            case SUM -> "sum(" + s.get(0) + ")";
            case SUM_IF -> "sum(" + s.get(0) + ") FILTER (WHERE " + last + ")";
            case AVG -> "avg(" + s.get(0) + ")";
            case AVG_IF -> "avg(" + s.get(0) + ") FILTER (WHERE " + last + ")";
            case MIN -> "min(" + s.get(0) + ")";
            case MAX -> "max(" + s.get(0) + ")";
            case MIN_IF -> "min(" + s.get(0) + ") FILTER (WHERE " + last + ")";
            case MAX_IF -> "max(" + s.get(0) + ") FILTER (WHERE " + last + ")";
            case MAKE_SET -> "to_json(list_distinct(list(" + s.get(0) + ")))";
            case MAKE_SET_IF -> "to_json(list_distinct(list(" + s.get(0) + ") FILTER (WHERE " + s.get(1) + ")))";
            case MAKE_LIST -> "to_json(list(" + s.get(0) + ") FILTER (WHERE " + s.get(0) + " IS NOT NULL))";
            case MAKE_LIST_IF -> "to_json(list(" + s.get(0) + ") FILTER (WHERE " + s.get(0) + " IS NOT NULL AND "
                    + s.get(1) + "))";
            case ARG_MAX -> "arg_max(" + s.get(0) + ", " + s.get(1) + ")";
            case ARG_MIN -> "arg_min(" + s.get(0) + ", " + s.get(1) + ")";
            case PERCENTILE -> "quantile_cont(" + s.get(0) + ", " + s.get(1) + " / 100.0)";
            case ANY -> "any_value(" + s.get(0) + ")";
            case STDEV -> "stddev_samp(" + s.get(0) + ")";
            case VARIANCE -> "var_samp(" + s.get(0) + ")";
        };
    }
}
