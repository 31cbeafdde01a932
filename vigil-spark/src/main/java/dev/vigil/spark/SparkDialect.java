package dev.vigil.spark;

import dev.vigil.query.KqlType;
import dev.vigil.query.Plan;
import dev.vigil.query.Scalar;
import dev.vigil.query.SqlAggregate;
import dev.vigil.query.SqlDialect;
import dev.vigil.query.SqlFunction;
import dev.vigil.query.UnsupportedConstructException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Spark SQL (4.x) for the hunting language, over the lake's Parquet files. It answers as {@code DuckDbDialect} does
 * over the same data, with Spark's own means:
 * <ul>
 *   <li>identifiers in backticks, string literals with backslash escapes (Spark's default), {@code 10L} longs;</li>
 *   <li>dynamic values are JSON text, read through Spark's {@code VARIANT} ({@code try_parse_json},
 *       {@code variant_get}) so that paths, indexes from the end and {@code mv-expand} keep JSON's types;</li>
 *   <li>timespans are day-time {@code INTERVAL}s, timestamps {@code TIMESTAMP} in a UTC session;</li>
 *   <li>regular expressions are Java's ({@code RLIKE} finds, like RE2's {@code regexp_matches});
 *       {@code split} quotes its literal delimiter, since Spark's splits on a regular expression;</li>
 *   <li>{@code QUALIFY} and {@code SELECT * REPLACE} do not exist: the first row per group is a filtered
 *       {@code row_number()}, and {@code mv-expand} a {@code LATERAL VIEW explode}.</li>
 * </ul>
 * The session must run with {@code spark.sql.ansi.enabled=false} (failed conversions are null, as in KQL) and
 * {@code spark.sql.session.timeZone=UTC}; {@link SparkHunts} sets both. What Spark cannot express raises
 * {@link UnsupportedConstructException} naming the construct, which the compiler places in the query.
 */
public final class SparkDialect implements SqlDialect {
    public static final SparkDialect INSTANCE = new SparkDialect();
    private static final String NAME = "spark";

    private SparkDialect() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** A string literal: Spark unescapes backslashes in literals, so they and quotes are escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\u0000");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static UnsupportedConstructException unsupported(String construct, String reason, String... spellings) {
        List<String> all = new ArrayList<>(List.of(spellings));
        all.add(construct);
        return new UnsupportedConstructException(construct, all, NAME, reason);
    }

    @Override
    public String constant(Object value, KqlType type) {
        if (value == null) {
            return "CAST(NULL AS " + typeName(type) + ")";
        }
        return switch (type) {
            case STRING -> string(value.toString());
            case LONG -> value instanceof Number n ? n.longValue() + "L" : "CAST(" + string(value.toString()) + " AS BIGINT)";
            case REAL -> value instanceof Number n ? "CAST(" + string(Double.toString(n.doubleValue())) + " AS DOUBLE)"
                    : "CAST(" + string(value.toString()) + " AS DOUBLE)";
            case BOOL -> Boolean.TRUE.equals(value) ? "TRUE" : "FALSE";
            case DATETIME -> "CAST(" + string(value.toString()) + " AS TIMESTAMP)";
            case TIMESPAN -> interval(value + "L");
            case DYNAMIC -> string(value.toString());
        };
    }

    /** A day-time interval of so many microseconds. */
    private static String interval(String micros) {
        return "(" + micros + " * INTERVAL '0.000001' SECOND)";
    }

    /** The microseconds of a timespan: the constant itself, else measured from the epoch. */
    private static String micros(Scalar timespan, String rendered) {
        if (timespan instanceof Scalar.Constant constant && constant.value() instanceof Number n) {
            return n.longValue() + "L";
        }
        return "unix_micros(timestamp_micros(0) + " + rendered + ")";
    }

    @Override
    public String typeName(KqlType type) {
        return switch (type) {
            case STRING, DYNAMIC -> "STRING";
            case LONG -> "BIGINT";
            case REAL -> "DOUBLE";
            case BOOL -> "BOOLEAN";
            case DATETIME -> "TIMESTAMP";
            case TIMESPAN -> "INTERVAL DAY TO SECOND";
        };
    }

    @Override
    public String unnest(String column) {
        return "explode(" + elements(column) + ")";
    }

    private static String elements(String json) {
        return "variant_get(try_parse_json(" + json + "), '$', 'array<variant>')";
    }

    @Override
    public String sample(String count) {
        return "ORDER BY rand()\nLIMIT " + limit(count);
    }

    /** Spark wants an INT count (a foldable expression). */
    @Override
    public String limit(String count) {
        return "CAST(" + count + " AS INT)";
    }

    @Override
    public String join(Plan.JoinKind kind) {
        return switch (kind) {
            case INNER -> "JOIN";
            case LEFT_OUTER -> "LEFT JOIN";
            case RIGHT_OUTER -> "RIGHT JOIN";
            case FULL_OUTER -> "FULL JOIN";
            case LEFT_SEMI, RIGHT_SEMI -> "LEFT SEMI JOIN";
            case LEFT_ANTI, RIGHT_ANTI -> "LEFT ANTI JOIN";
        };
    }

    @Override
    public String firstPerGroup(String from, String rowNumber, List<String> columns) {
        return "SELECT " + String.join(", ", columns) + "\nFROM (SELECT *, " + rowNumber + " AS vigil_row_number\nFROM "
                + from + ") AS vigil_first\nWHERE vigil_row_number = 1";
    }

    @Override
    public String expand(String from, List<String> columns, List<String> expanded) {
        if (expanded.size() != 1) {
            throw unsupported("mv-expand", "Spark expands one column per mv-expand; expand " + expanded.size()
                    + " columns one after the other (| mv-expand a | mv-expand b), which pairs every element of a with"
                    + " every element of b");
        }
        String column = expanded.get(0);
        String items = columns.stream().map(c -> c.equals(column) ? "to_json(vigil_element) AS " + quote(c) : quote(c))
                .collect(Collectors.joining(", "));
        return "SELECT " + items + "\nFROM " + from + "\nLATERAL VIEW explode(" + elements(quote(column))
                + ") vigil_expanded AS vigil_element";
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
            case HAS_ANY_SUBQUERY -> throw unsupported("has_any", "Spark cannot test each term of a subquery's rows"
                    + " against the text in a correlated subquery; list the terms (has_any ('a', 'b')) or join on a"
                    + " column");
            case HAS_PREFIX -> literal(a.get(1)) instanceof String term
                    ? "(" + s.get(0) + " RLIKE " + string("(?i)(^|[^0-9A-Za-z])" + quoteRegex(term)) + ")"
                    : "contains(lower(" + s.get(0) + "), lower(" + s.get(1) + "))";
            case HAS_SUFFIX -> literal(a.get(1)) instanceof String term
                    ? "(" + s.get(0) + " RLIKE " + string("(?i)" + quoteRegex(term) + "($|[^0-9A-Za-z])") + ")"
                    : "contains(lower(" + s.get(0) + "), lower(" + s.get(1) + "))";
            case CONTAINS -> like(a.get(1), s.get(0), s.get(1), "%", "%");
            case CONTAINS_CS -> "contains(" + s.get(0) + ", " + s.get(1) + ")";
            case STARTS_WITH -> like(a.get(1), s.get(0), s.get(1), "", "%");
            case STARTS_WITH_CS -> "startswith(" + s.get(0) + ", " + s.get(1) + ")";
            case ENDS_WITH -> like(a.get(1), s.get(0), s.get(1), "%", "");
            case ENDS_WITH_CS -> "endswith(" + s.get(0) + ", " + s.get(1) + ")";
            case MATCHES_REGEX -> "(" + s.get(0) + " RLIKE " + s.get(1) + ")";
            case LIKE -> "(" + s.get(0) + " LIKE " + s.get(1) + ")";
            case ADD -> a.get(0).type() == KqlType.STRING ? "concat(" + s.get(0) + ", " + s.get(1) + ")"
                    : "(" + s.get(0) + " + " + s.get(1) + ")";
            case SUBTRACT -> "(" + s.get(0) + " - " + s.get(1) + ")";
            case MULTIPLY -> "(" + s.get(0) + " * " + s.get(1) + ")";
            case DIVIDE -> a.get(0).type() == KqlType.LONG && a.get(1).type() == KqlType.LONG
                    ? "(" + s.get(0) + " div NULLIF(" + s.get(1) + ", 0))" : "(" + s.get(0) + " / " + s.get(1) + ")";
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
                case DYNAMIC -> jsonText(s.get(0));
                case DATETIME -> "date_format(" + s.get(0) + ", \"yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'\")";
                default -> "CAST(" + s.get(0) + " AS STRING)";
            };
            case TO_LONG -> a.get(0).type() == KqlType.DATETIME ? "(unix_micros(" + s.get(0) + ") * 10)"
                    : "CAST(try_cast(" + stringOf(a.get(0), s.get(0)) + " AS DOUBLE) AS BIGINT)";
            case TO_REAL -> "try_cast(" + stringOf(a.get(0), s.get(0)) + " AS DOUBLE)";
            case TO_BOOL -> (a.get(0).type() == KqlType.LONG || a.get(0).type() == KqlType.REAL) ? "(" + s.get(0) + " <> 0)"
                    : "try_cast(" + stringOf(a.get(0), s.get(0)) + " AS BOOLEAN)";
            case TO_DATETIME -> a.get(0).type() == KqlType.DATETIME ? s.get(0)
                    : "try_cast(" + stringOf(a.get(0), s.get(0)) + " AS TIMESTAMP)";
            case TO_TIMESPAN -> {
                if (a.get(0).type() == KqlType.TIMESPAN) {
                    yield s.get(0);
                }
                throw unsupported("totimespan", "Spark reads no timespan from text; write the timespan as a"
                        + " literal (1h, 30m) or compute it from datetimes", "totime");
            }
            case TO_LOWER -> "lower(" + s.get(0) + ")";
            case TO_UPPER -> "upper(" + s.get(0) + ")";
            case STRLEN -> "CAST(char_length(" + s.get(0) + ") AS BIGINT)";
            case STRCAT -> "concat(" + String.join(", ", s) + ")";
            case STRCAT_DELIM -> "concat_ws(" + String.join(", ", s) + ")";
            case SUBSTRING -> "substr(" + s.get(0) + ", CAST(" + s.get(1) + " + 1 AS INT)"
                    + (s.size() > 2 ? ", CAST(" + s.get(2) + " AS INT)" : "") + ")";
            case EXTRACT -> "nullif(regexp_extract(" + s.get(2) + ", " + s.get(0) + ", CAST(" + s.get(1) + " AS INT)), '')";
            case EXTRACT_ALL -> "to_json(regexp_extract_all(" + s.get(1) + ", " + s.get(0) + ", "
                    + (s.size() > 2 ? "CAST(" + s.get(2) + " AS INT)" : "1") + "))";
            case REPLACE_STRING -> "replace(" + s.get(0) + ", " + s.get(1) + ", " + s.get(2) + ")";
            // Java's replacement syntax is KQL's: $1 names a group
            case REPLACE_REGEX -> "regexp_replace(" + s.get(0) + ", " + s.get(1) + ", " + s.get(2) + ")";
            case SPLIT -> {
                String parts = "split(" + s.get(0) + ", " + (literal(a.get(1)) instanceof String delimiter
                        ? string(quoteRegex(delimiter)) : "concat('\\\\Q', " + s.get(1) + ", '\\\\E')") + ", -1)";
                yield s.size() > 2 ? "to_json(array(try_element_at(" + parts + ", CAST(" + s.get(2) + " + 1 AS INT))))"
                        : "to_json(" + parts + ")";
            }
            case TRIM -> "regexp_replace(regexp_replace(" + s.get(1) + ", concat('^(', " + s.get(0) + ", ')+'), ''),"
                    + " concat('(', " + s.get(0) + ", ')+$'), '')";
            case INDEX_OF -> "CAST(instr(" + s.get(0) + ", " + s.get(1) + ") - 1 AS BIGINT)";
            case BASE64_DECODE -> "CAST(try_to_binary(" + s.get(0) + ", 'base64') AS STRING)";
            case URL_DECODE -> "url_decode(" + s.get(0) + ")";
            case REVERSE -> "reverse(" + s.get(0) + ")";
            case HASH_SHA256 -> "sha2(" + s.get(0) + ", 256)";
            case HASH_MD5 -> "md5(" + s.get(0) + ")";
            case NOW -> "current_timestamp()";
            case AGO -> "(current_timestamp() - " + s.get(0) + ")";
            case BIN -> switch (a.get(0).type()) {
                case DATETIME -> "timestamp_micros(CAST(floor(unix_micros(" + s.get(0) + ") / " + micros(a.get(1), s.get(1))
                        + ") * " + micros(a.get(1), s.get(1)) + " AS BIGINT))";
                case TIMESPAN -> interval("CAST(floor(" + micros(a.get(0), s.get(0)) + " / " + micros(a.get(1), s.get(1))
                        + ") * " + micros(a.get(1), s.get(1)) + " AS BIGINT)");
                case LONG -> "CAST(floor(" + s.get(0) + " / " + s.get(1) + ") * " + s.get(1) + " AS BIGINT)";
                default -> "(CAST(floor(" + s.get(0) + " / " + s.get(1) + ") AS DOUBLE) * " + s.get(1) + ")";
            };
            case START_OF_DAY -> "date_trunc('DAY', " + s.get(0) + ")";
            case START_OF_WEEK -> "(date_trunc('DAY', " + s.get(0) + ") - make_dt_interval(dayofweek(" + s.get(0)
                    + ") - 1, 0, 0, 0))";
            case START_OF_MONTH -> "date_trunc('MONTH', " + s.get(0) + ")";
            case START_OF_YEAR -> "date_trunc('YEAR', " + s.get(0) + ")";
            case END_OF_DAY -> "(date_trunc('DAY', " + s.get(0) + ") + INTERVAL '1' DAY - INTERVAL '0.000001' SECOND)";
            case FORMAT_DATETIME -> {
                if (!(literal(a.get(1)) instanceof String format)) {
                    throw unsupported("format_datetime", "Spark needs the format as a literal");
                }
                yield "date_format(" + s.get(0) + ", " + string(datePattern(format)) + ")";
            }
            case DATETIME_DIFF -> {
                if (!(literal(a.get(0)) instanceof String unit)) {
                    throw unsupported("datetime_diff", "Spark needs the unit as a literal ('hour', 'day', ...)");
                }
                yield "timestampdiff(" + unit(unit) + ", " + s.get(2) + ", " + s.get(1) + ")";
            }
            case DATETIME_ADD -> "timestamp_micros(unix_micros(" + s.get(2) + ") + CAST(" + s.get(1) + " * "
                    + microseconds(literal(a.get(0))) + "L AS BIGINT))";
            case DAY_OF_WEEK -> "make_dt_interval(dayofweek(" + s.get(0) + ") - 1, 0, 0, 0)";
            case HOUR_OF_DAY -> "CAST(hour(" + s.get(0) + ") AS BIGINT)";
            case TIMESPAN_DIVIDE -> "(CAST(" + micros(a.get(0), s.get(0)) + " AS DOUBLE) / " + micros(a.get(1), s.get(1)) + ")";
            case PARSE_JSON -> a.get(0).type() == KqlType.DYNAMIC ? s.get(0)
                    : "(CASE WHEN try_parse_json(" + s.get(0) + ") IS NOT NULL THEN " + s.get(0) + " ELSE "
                    + quoteJson(s.get(0)) + " END)";
            case JSON_PATH -> jsonPath(a.get(1), s.get(0));
            case DYNAMIC_TO_STRING -> jsonText(s.get(0));
            case ARRAY_LENGTH -> "CAST(json_array_length(" + s.get(0) + ") AS BIGINT)";
            case PACK_ARRAY -> {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    items.add(json(a.get(i), s.get(i)));
                }
                yield "concat('[', concat_ws(',', " + String.join(", ", items) + "), ']')";
            }
            case BAG_PACK -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i + 1 < a.size(); i += 2) {
                    if (!(literal(a.get(i)) instanceof String key)) {
                        throw unsupported("bag_pack", "Spark needs the keys as literals", "pack");
                    }
                    fields.add(string(key) + ", " + (a.get(i + 1).type() == KqlType.DYNAMIC
                            ? "try_parse_json(" + s.get(i + 1) + ")" : s.get(i + 1)));
                }
                yield "to_json(named_struct(" + String.join(", ", fields) + "))";
            }
            case SET_HAS_ELEMENT -> "exists(" + elements(s.get(0)) + ", vigil_item -> to_json(vigil_item) = "
                    + json(a.get(1), s.get(1)) + ")";
            case ARRAY_CONCAT -> "concat('[', concat_ws(',', " + s.stream().map(x -> "nullif(substr(" + x + ", 2, "
                    + "char_length(" + x + ") - 2), '')").collect(Collectors.joining(", ")) + "), ']')";
            case ROUND -> "round(" + s.get(0) + (s.size() > 1 ? ", CAST(" + s.get(1) + " AS INT)" : "") + ")";
            case ABS -> "abs(" + s.get(0) + ")";
            case FLOOR -> a.get(0).type() == KqlType.REAL ? "CAST(floor(" + s.get(0) + ") AS DOUBLE)" : "floor(" + s.get(0) + ")";
            case SQRT -> "sqrt(" + s.get(0) + ")";
            case POWER -> "pow(" + s.get(0) + ", " + s.get(1) + ")";
            case LOG -> "ln(" + s.get(0) + ")";
            case LOG10 -> "log10(" + s.get(0) + ")";
            case EXP -> "exp(" + s.get(0) + ")";
            case IPV4_IS_PRIVATE -> "(" + s.get(0) + " RLIKE " + string("^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)") + ")";
            case IPV4_IS_IN_RANGE -> throw unsupported("ipv4_is_in_range", "Spark SQL has no network address type;"
                    + " compare a prefix instead (ip startswith '10.1.') or use ipv4_is_private");
        };
    }

    /** The JSON of a scalar: dynamic values are JSON already, others are encoded (text quoted). */
    private static String json(Scalar scalar, String rendered) {
        return scalar.type() == KqlType.DYNAMIC ? "coalesce(" + rendered + ", 'null')" : quoteJson(rendered);
    }

    /** The JSON of a value (a string quoted), through a one-field struct whose JSON Spark writes. */
    private static String quoteJson(String value) {
        return "regexp_extract(to_json(named_struct('v', " + value + "), map('ignoreNullFields', 'false')),"
                + " '^\\\\{\"v\":(.*)\\\\}$', 1)";
    }

    /** KQL's text of a dynamic value: a string unquoted, anything else its JSON. */
    private static String jsonText(String json) {
        return "variant_get(try_parse_json(" + json + "), '$', 'string')";
    }

    /**
     * A JSON path over a dynamic value, kept as JSON text. DuckDB's {@code [#-n]} (from the end) becomes
     * {@code element_at} with a negative index; quoted keys become {@code ['key']}.
     */
    private String jsonPath(Scalar path, String json) {
        if (!(literal(path) instanceof String text)) {
            throw unsupported("[]", "Spark reads a dynamic value only at a literal path or index; index with a"
                    + " constant (a[0], a[-1]) or expand the array with mv-expand", "index");
        }
        String value = "try_parse_json(" + json + ")";
        StringBuilder pending = new StringBuilder("$");
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("[#", i)) {
                int end = text.indexOf(']', i);
                if (pending.length() > 1) {
                    value = "variant_get(" + value + ", " + string(pending.toString()) + ", 'variant')";
                    pending.setLength(1);
                }
                value = "try_element_at(variant_get(" + value + ", '$', 'array<variant>'), " + text.substring(i + 2, end) + ")";
                i = end + 1;
            } else if (c == '.' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                int end = i + 2;
                StringBuilder key = new StringBuilder();
                while (end < text.length() && text.charAt(end) != '"') {
                    if (text.charAt(end) == '\\' && end + 1 < text.length()) {
                        end++;
                    }
                    key.append(text.charAt(end++));
                }
                pending.append("['").append(key.toString().replace("'", "\\'")).append("']");
                i = end + 1;
            } else {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                if (c == '[') {
                    end = text.indexOf(']', i) + 1;
                }
                pending.append(text, i, end);
                i = end;
            }
        }
        if (pending.length() > 1) {
            value = "variant_get(" + value + ", " + string(pending.toString()) + ", 'variant')";
        }
        return "to_json(" + value + ")";
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
            case DYNAMIC -> jsonText(rendered);
            default -> "CAST(" + rendered + " AS STRING)";
        };
    }

    /** ILIKE with a literal pattern (its wildcards escaped); a computed operand compares lowered text. */
    private String like(Scalar term, String value, String rendered, String before, String after) {
        if (literal(term) instanceof String text) {
            return "(" + value + " ILIKE " + string(before + likeEscape(text) + after) + ")";
        }
        String lowered = "lower(" + rendered + ")";
        return before.isEmpty() ? "startswith(lower(" + value + "), " + lowered + ")"
                : after.isEmpty() ? "endswith(lower(" + value + "), " + lowered + ")"
                : "contains(lower(" + value + "), " + lowered + ")";
    }

    /** Spark's LIKE escapes with a backslash by default. */
    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** KQL's {@code has}: the term bounded by non-alphanumeric characters, after a cheap substring test. */
    private String has(Scalar term, String value, String rendered, boolean caseSensitive) {
        if (literal(term) instanceof String text) {
            if (text.isEmpty()) {
                return "(" + value + " IS NOT NULL)";
            }
            String prefilter = caseSensitive ? "contains(" + value + ", " + string(text) + ")"
                    : "(" + value + " ILIKE " + string("%" + likeEscape(text) + "%") + ")";
            if (text.chars().noneMatch(Character::isLetterOrDigit)) {
                return "(" + prefilter + ")";
            }
            return "(" + prefilter + " AND " + value + " RLIKE " + string((caseSensitive ? "" : "(?i)")
                    + termPattern(text)) + ")";
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
            parts.add(0, "(" + rendered.get(0) + " RLIKE " + string("(?i)" + String.join("|",
                    terms.stream().map(SparkDialect::termPattern).toList())) + ")");
        }
        return parts.isEmpty() ? "FALSE" : "(" + String.join(" OR ", parts) + ")";
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
            case "year" -> "YEAR";
            case "quarter" -> "QUARTER";
            case "month" -> "MONTH";
            case "week" -> "WEEK";
            case "day" -> "DAY";
            case "hour" -> "HOUR";
            case "minute" -> "MINUTE";
            case "second" -> "SECOND";
            case "millisecond" -> "MILLISECOND";
            default -> "MICROSECOND";
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

    /** KQL's .NET-style datetime format as a Spark datetime pattern: letters it does not map are quoted. */
    static String datePattern(String format) {
        String[][] map = {{"yyyy", "yyyy"}, {"yy", "yy"}, {"MM", "MM"}, {"dd", "dd"}, {"HH", "HH"}, {"hh", "hh"},
                {"mm", "mm"}, {"ss", "ss"}, {"fffffff", "SSSSSS'0'"}, {"ffffff", "SSSSSS"}, {"fff", "SSS"}, {"tt", "a"}};
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
            out.append(Character.isLetter(c) ? "'" + c + "'" : c == '\'' ? "''" : String.valueOf(c));
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
            // null, not [], where no row is collected, as DuckDB's list() gives
            case MAKE_SET -> "(CASE WHEN count(*) = 0 THEN NULL ELSE to_json(collect_set(" + s.get(0) + ")) END)";
            case MAKE_SET_IF -> "(CASE WHEN count(*) FILTER (WHERE " + s.get(1) + ") = 0 THEN NULL ELSE to_json(collect_set("
                    + s.get(0) + ") FILTER (WHERE " + s.get(1) + ")) END)";
            case MAKE_LIST -> "(CASE WHEN count(" + s.get(0) + ") = 0 THEN NULL ELSE to_json(collect_list(" + s.get(0)
                    + ")) END)";
            case MAKE_LIST_IF -> "(CASE WHEN count(" + s.get(0) + ") FILTER (WHERE " + s.get(1) + ") = 0 THEN NULL ELSE"
                    + " to_json(collect_list(" + s.get(0) + ") FILTER (WHERE " + s.get(1) + ")) END)";
            case ARG_MAX -> "max_by(" + s.get(0) + ", " + s.get(1) + ")";
            case ARG_MIN -> "min_by(" + s.get(0) + ", " + s.get(1) + ")";
            case PERCENTILE -> "percentile(" + s.get(0) + ", " + s.get(1) + " / 100.0)";
            case ANY -> "any_value(" + s.get(0) + ")";
            case STDEV -> "stddev_samp(" + s.get(0) + ")";
            case VARIANCE -> "var_samp(" + s.get(0) + ")";
        };
    }
}
