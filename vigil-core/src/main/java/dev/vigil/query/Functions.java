package dev.vigil.query;

import dev.vigil.query.Scalar.Apply;
import dev.vigil.query.Scalar.Constant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scalar and aggregate functions of the dialect: each KQL name, its arity, argument types and result type. */
final class Functions {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, SqlAggregate> AGGREGATES = Map.ofEntries(
            Map.entry("count", SqlAggregate.COUNT), Map.entry("countif", SqlAggregate.COUNT_IF),
            Map.entry("dcount", SqlAggregate.DCOUNT), Map.entry("count_distinct", SqlAggregate.DCOUNT),
            Map.entry("dcountif", SqlAggregate.DCOUNT_IF), Map.entry("sum", SqlAggregate.SUM),
            Map.entry("sumif", SqlAggregate.SUM_IF), Map.entry("avg", SqlAggregate.AVG), Map.entry("avgif", SqlAggregate.AVG_IF),
            Map.entry("min", SqlAggregate.MIN), Map.entry("max", SqlAggregate.MAX), Map.entry("minif", SqlAggregate.MIN_IF),
            Map.entry("maxif", SqlAggregate.MAX_IF), Map.entry("make_set", SqlAggregate.MAKE_SET),
            Map.entry("makeset", SqlAggregate.MAKE_SET), Map.entry("make_set_if", SqlAggregate.MAKE_SET_IF),
            Map.entry("make_list", SqlAggregate.MAKE_LIST), Map.entry("makelist", SqlAggregate.MAKE_LIST),
            Map.entry("make_list_if", SqlAggregate.MAKE_LIST_IF), Map.entry("percentile", SqlAggregate.PERCENTILE),
            Map.entry("any", SqlAggregate.ANY), Map.entry("take_any", SqlAggregate.ANY),
            Map.entry("stdev", SqlAggregate.STDEV), Map.entry("variance", SqlAggregate.VARIANCE));
    static final Set<String> SCALARS = Set.of("ago", "now", "datetime", "todatetime", "bin", "floor", "startofday",
            "startofweek", "startofmonth", "startofyear", "endofday", "format_datetime", "datetime_diff", "datetime_add",
            "dayofweek", "hourofday", "iff", "iif", "case", "coalesce", "isnull", "isnotnull", "isempty", "isnotempty",
            "tostring", "toint", "tolong", "todouble", "toreal", "tobool", "toboolean", "totimespan", "tolower",
            "toupper", "strlen", "string_size", "split", "strcat", "strcat_delim", "substring", "extract", "extract_all",
            "replace_string", "replace_regex", "replace", "trim", "indexof", "base64_decode_tostring", "url_decode",
            "reverse", "hash_sha256", "hash_md5", "parse_json", "todynamic", "array_length", "pack_array", "bag_pack",
            "pack", "pack_dictionary", "set_has_element", "array_concat", "round", "abs", "sqrt", "pow", "log", "log10", "exp", "not",
            "ipv4_is_private", "ipv4_is_in_range", "toscalar", "dynamic", "timespan", "time", "tohex",
            "column_ifexists", "typeof", "long", "int", "real", "double", "bool", "string", "guid", "isnan",
            "dynamic_to_json", "ingestion_time");

    private Functions() {}

    static Scalar call(Analyzer analyzer, Expression.Call call, Analyzer.Row row, Analyzer.Scope scope) {
        String name = call.function();
        List<Expression> arguments = call.arguments();
        SqlAggregate aggregate = AGGREGATES.get(name);
        if (aggregate != null) {
            if (!row.aggregating()) {
                throw analyzer.error(call, name + "() is an aggregation: use it in summarize", null);
            }
            Analyzer.Row plain = new Analyzer.Row(row.columns(), row.defined(), false);
            List<Scalar> values = new ArrayList<>();
            for (Expression argument : arguments) {
                values.add(analyzer.scalar(argument, plain, scope));
            }
            return aggregate(analyzer, call, aggregate, values);
        }
        if (name.equals("toscalar")) {
            arity(analyzer, call, 1, 1);
            Scalar.Subquery subquery = (Scalar.Subquery) analyzer.subquery(arguments.get(0), scope);
            return new Scalar.Subquery(new Plan.Limit(subquery.plan(), new Constant(1L, KqlType.LONG)), subquery.type());
        }
        if (name.equals("column_ifexists")) {
            arity(analyzer, call, 2, 2);
            if (arguments.get(0) instanceof Expression.Literal literal && literal.value() instanceof String column) {
                Plan.Column found = Analyzer.find(row.columns(), column);
                if (found != null) {
                    return found.ref();
                }
            }
            return analyzer.scalar(arguments.get(1), row, scope);
        }
        if (name.equals("dynamic")) {
            Expression value = arguments.get(0);
            if (value instanceof Expression.Literal literal && literal.value() == null) {
                return new Constant(null, KqlType.DYNAMIC);
            }
            Scalar scalar = analyzer.scalar(value, row, scope);
            return scalar.type() == KqlType.DYNAMIC ? scalar : analyzer.convert(scalar, KqlType.DYNAMIC);
        }
        if (name.equals("typeof")) {
            throw analyzer.error(call, "typeof() names a type; it is only allowed in mv-expand ... to typeof(T)", null);
        }
        if (!SCALARS.contains(name)) {
            throw analyzer.error(call, "unknown function '" + name + "'" + Suggestions.didYouMean(name,
                    new ArrayList<>(java.util.stream.Stream.concat(SCALARS.stream(), AGGREGATES.keySet().stream()).toList())),
                    "Use one of the dialect's functions (the README's Hunting section lists them).");
        }
        List<Scalar> a = new ArrayList<>();
        for (Expression argument : arguments) {
            a.add(analyzer.scalar(argument, row, scope));
        }
        return switch (name) {
            case "now" -> {
                arity(analyzer, call, 0, 1);
                Scalar now = analyzer.window() == null ? apply(SqlFunction.NOW, List.of(), KqlType.DATETIME)
                        : new Scalar.Constant(analyzer.window().end().toString(), KqlType.DATETIME);
                yield a.isEmpty() ? now : apply(SqlFunction.ADD, List.of(now, analyzer.convert(a.get(0), KqlType.TIMESPAN)), KqlType.DATETIME);
            }
            case "ago" -> {
                arity(analyzer, call, 1, 1);
                yield analyzer.window() == null
                        ? apply(SqlFunction.AGO, List.of(timespan(analyzer, call, a.get(0))), KqlType.DATETIME)
                        : apply(SqlFunction.SUBTRACT, List.of(new Scalar.Constant(analyzer.window().end().toString(),
                                KqlType.DATETIME), timespan(analyzer, call, a.get(0))), KqlType.DATETIME);
            }
            case "ingestion_time" -> {
                // stored tables keep when each event was stored; views and derived tables fall back to the event time
                Plan.Column ingested = Analyzer.exact(row.columns(), "ingested_at");
                Plan.Column time = Analyzer.find(row.columns(), "Timestamp");
                if (ingested == null && time == null) {
                    throw analyzer.error(call, "ingestion_time() needs a stored table or a Timestamp column", null);
                }
                yield (ingested != null ? ingested : time).ref();
            }
            case "datetime", "todatetime" -> one(analyzer, call, a, KqlType.DATETIME);
            case "timespan", "time", "totimespan" -> {
                arity(analyzer, call, 1, 1);
                Scalar value = a.get(0);
                if (value instanceof Constant constant && constant.value() instanceof String text) {
                    yield new Constant(parseTimespan(analyzer, call, text), KqlType.TIMESPAN);
                }
                yield analyzer.convert(value, KqlType.TIMESPAN);
            }
            case "long", "int" -> one(analyzer, call, a, KqlType.LONG);
            case "real", "double" -> one(analyzer, call, a, KqlType.REAL);
            case "bool" -> one(analyzer, call, a, KqlType.BOOL);
            case "string", "guid" -> one(analyzer, call, a, KqlType.STRING);
            case "bin", "floor" -> {
                arity(analyzer, call, 2, 2);
                Scalar value = a.get(0);
                Scalar size = a.get(1);
                if (value.type() == KqlType.STRING || value.type() == KqlType.DYNAMIC) {
                    value = analyzer.convert(value, size.type() == KqlType.TIMESPAN ? KqlType.DATETIME : KqlType.REAL);
                }
                if (value.type() == KqlType.DATETIME || value.type() == KqlType.TIMESPAN) {
                    size = timespan(analyzer, call, size);
                }
                yield apply(SqlFunction.BIN, List.of(value, size), value.type());
            }
            case "startofday" -> datetimeFunction(analyzer, call, a, SqlFunction.START_OF_DAY);
            case "startofweek" -> datetimeFunction(analyzer, call, a, SqlFunction.START_OF_WEEK);
            case "startofmonth" -> datetimeFunction(analyzer, call, a, SqlFunction.START_OF_MONTH);
            case "startofyear" -> datetimeFunction(analyzer, call, a, SqlFunction.START_OF_YEAR);
            case "endofday" -> datetimeFunction(analyzer, call, a, SqlFunction.END_OF_DAY);
            case "format_datetime" -> {
                arity(analyzer, call, 2, 2);
                yield apply(SqlFunction.FORMAT_DATETIME, List.of(analyzer.convert(a.get(0), KqlType.DATETIME), analyzer.text(a.get(1))),
                        KqlType.STRING);
            }
            case "datetime_diff" -> {
                arity(analyzer, call, 3, 3);
                yield apply(SqlFunction.DATETIME_DIFF, List.of(analyzer.text(a.get(0)), analyzer.convert(a.get(1), KqlType.DATETIME),
                        analyzer.convert(a.get(2), KqlType.DATETIME)), KqlType.LONG);
            }
            case "datetime_add" -> {
                arity(analyzer, call, 3, 3);
                yield apply(SqlFunction.DATETIME_ADD, List.of(analyzer.text(a.get(0)), analyzer.number(a.get(1)),
                        analyzer.convert(a.get(2), KqlType.DATETIME)), KqlType.DATETIME);
            }
            case "dayofweek" -> {
                arity(analyzer, call, 1, 1);
                yield apply(SqlFunction.DAY_OF_WEEK, List.of(analyzer.convert(a.get(0), KqlType.DATETIME)), KqlType.TIMESPAN);
            }
            case "hourofday" -> {
                arity(analyzer, call, 1, 1);
                yield apply(SqlFunction.HOUR_OF_DAY, List.of(analyzer.convert(a.get(0), KqlType.DATETIME)), KqlType.LONG);
            }
            case "iff", "iif" -> {
                arity(analyzer, call, 3, 3);
                KqlType type = resultType(analyzer, a.get(1), a.get(2));
                yield apply(SqlFunction.IFF, List.of(analyzer.bool(a.get(0)), analyzer.convert(a.get(1), type),
                        analyzer.convert(a.get(2), type)), type);
            }
            case "case" -> {
                if (a.size() < 3 || a.size() % 2 == 0) {
                    throw analyzer.error(call, "case takes pairs of condition and value, then the value for no match "
                            + "(found " + a.size() + " arguments)", null);
                }
                KqlType type = a.get(a.size() - 1).type();
                for (int i = 1; i < a.size() - 1; i += 2) {
                    type = resultType(analyzer, a.get(i), new Constant(null, type));
                }
                List<Scalar> converted = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    boolean condition = i % 2 == 0 && i < a.size() - 1;
                    converted.add(condition ? analyzer.bool(a.get(i)) : analyzer.convert(a.get(i), type));
                }
                yield apply(SqlFunction.CASE, converted, type);
            }
            case "coalesce" -> {
                arity(analyzer, call, 1, 64);
                KqlType type = a.get(0).type();
                for (Scalar value : a) {
                    type = resultType(analyzer, new Constant(null, type), value);
                }
                List<Scalar> converted = new ArrayList<>();
                for (Scalar value : a) {
                    converted.add(analyzer.convert(value, type));
                }
                yield apply(SqlFunction.COALESCE, converted, type);
            }
            case "isnull" -> bool1(analyzer, call, a, SqlFunction.IS_NULL, false);
            case "isnotnull" -> bool1(analyzer, call, a, SqlFunction.IS_NOT_NULL, false);
            case "isempty" -> bool1(analyzer, call, a, SqlFunction.IS_EMPTY, true);
            case "isnotempty" -> bool1(analyzer, call, a, SqlFunction.IS_NOT_EMPTY, true);
            case "isnan" -> {
                arity(analyzer, call, 1, 1);
                yield apply(SqlFunction.NE, List.of(analyzer.number(a.get(0)), analyzer.number(a.get(0))), KqlType.BOOL);
            }
            case "not" -> {
                arity(analyzer, call, 1, 1);
                yield analyzer.not(a.get(0));
            }
            case "tostring" -> one(analyzer, call, a, KqlType.STRING);
            case "toint", "tolong" -> one(analyzer, call, a, KqlType.LONG);
            case "todouble", "toreal" -> one(analyzer, call, a, KqlType.REAL);
            case "tobool", "toboolean" -> one(analyzer, call, a, KqlType.BOOL);
            case "tolower" -> string1(analyzer, call, a, SqlFunction.TO_LOWER, KqlType.STRING);
            case "toupper" -> string1(analyzer, call, a, SqlFunction.TO_UPPER, KqlType.STRING);
            case "strlen", "string_size" -> string1(analyzer, call, a, SqlFunction.STRLEN, KqlType.LONG);
            case "reverse" -> string1(analyzer, call, a, SqlFunction.REVERSE, KqlType.STRING);
            case "url_decode" -> string1(analyzer, call, a, SqlFunction.URL_DECODE, KqlType.STRING);
            case "base64_decode_tostring" -> string1(analyzer, call, a, SqlFunction.BASE64_DECODE, KqlType.STRING);
            case "hash_sha256" -> string1(analyzer, call, a, SqlFunction.HASH_SHA256, KqlType.STRING);
            case "hash_md5" -> string1(analyzer, call, a, SqlFunction.HASH_MD5, KqlType.STRING);
            case "tohex" -> {
                arity(analyzer, call, 1, 2);
                yield apply(SqlFunction.TO_STRING, List.of(a.get(0)), KqlType.STRING);
            }
            case "strcat" -> {
                arity(analyzer, call, 1, 64);
                yield apply(SqlFunction.STRCAT, a.stream().map(analyzer::text).toList(), KqlType.STRING);
            }
            case "strcat_delim" -> {
                arity(analyzer, call, 2, 64);
                yield apply(SqlFunction.STRCAT_DELIM, a.stream().map(analyzer::text).toList(), KqlType.STRING);
            }
            case "substring" -> {
                arity(analyzer, call, 2, 3);
                List<Scalar> converted = new ArrayList<>(List.of(analyzer.text(a.get(0)), analyzer.convert(a.get(1), KqlType.LONG)));
                if (a.size() > 2) {
                    converted.add(analyzer.convert(a.get(2), KqlType.LONG));
                }
                yield apply(SqlFunction.SUBSTRING, converted, KqlType.STRING);
            }
            case "extract" -> {
                arity(analyzer, call, 3, 4);
                KqlType type = KqlType.STRING;
                if (a.size() == 4) {
                    throw analyzer.error(call, "extract with a type argument is not supported yet: convert the result "
                            + "with toint(), todouble() or todatetime()", null);
                }
                yield apply(SqlFunction.EXTRACT, List.of(analyzer.text(a.get(0)), analyzer.convert(a.get(1), KqlType.LONG),
                        analyzer.text(a.get(2))), type);
            }
            case "extract_all" -> {
                arity(analyzer, call, 2, 3);
                if (a.size() == 3 && a.get(1).type() == KqlType.DYNAMIC) {
                    Scalar groups = a.get(1);
                    long group = groups instanceof Constant c && c.value() != null ? jsonItems((String) c.value()).stream()
                            .filter(i -> i instanceof Constant).map(i -> ((Constant) i).value())
                            .filter(v -> v instanceof Long).map(v -> (Long) v).findFirst().orElse(1L) : 1L;
                    yield apply(SqlFunction.EXTRACT_ALL, List.of(analyzer.text(a.get(0)), analyzer.text(a.get(2)),
                            new Constant(group, KqlType.LONG)), KqlType.DYNAMIC);
                }
                List<Scalar> converted = new ArrayList<>(List.of(analyzer.text(a.get(0)), analyzer.text(a.get(a.size() - 1))));
                yield apply(SqlFunction.EXTRACT_ALL, converted, KqlType.DYNAMIC);
            }
            case "replace_string", "replace" -> {
                arity(analyzer, call, 3, 3);
                yield apply(name.equals("replace") ? SqlFunction.REPLACE_REGEX : SqlFunction.REPLACE_STRING,
                        name.equals("replace") ? List.of(analyzer.text(a.get(2)), analyzer.text(a.get(0)), analyzer.text(a.get(1)))
                                : List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1)), analyzer.text(a.get(2))), KqlType.STRING);
            }
            case "replace_regex" -> {
                arity(analyzer, call, 3, 3);
                yield apply(SqlFunction.REPLACE_REGEX, List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1)),
                        analyzer.text(a.get(2))), KqlType.STRING);
            }
            case "trim" -> {
                arity(analyzer, call, 2, 2);
                yield apply(SqlFunction.TRIM, List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1))), KqlType.STRING);
            }
            case "indexof" -> {
                arity(analyzer, call, 2, 5);
                yield apply(SqlFunction.INDEX_OF, List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1))), KqlType.LONG);
            }
            case "split" -> {
                arity(analyzer, call, 2, 3);
                List<Scalar> converted = new ArrayList<>(List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1))));
                if (a.size() > 2) {
                    converted.add(analyzer.convert(a.get(2), KqlType.LONG));
                }
                yield apply(SqlFunction.SPLIT, converted, KqlType.DYNAMIC);
            }
            case "parse_json", "todynamic" -> {
                arity(analyzer, call, 1, 1);
                yield analyzer.toDynamic(a.get(0));
            }
            case "dynamic_to_json" -> {
                arity(analyzer, call, 1, 1);
                yield analyzer.text(a.get(0));
            }
            case "array_length" -> {
                arity(analyzer, call, 1, 1);
                yield apply(SqlFunction.ARRAY_LENGTH, List.of(analyzer.toDynamic(a.get(0))), KqlType.LONG);
            }
            case "pack_array" -> apply(SqlFunction.PACK_ARRAY, a, KqlType.DYNAMIC);
            case "bag_pack", "pack", "pack_dictionary" -> {
                if (a.size() % 2 != 0) {
                    throw analyzer.error(call, name + " takes key and value pairs (found " + a.size() + " arguments)", null);
                }
                List<Scalar> converted = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    converted.add(i % 2 == 0 ? analyzer.text(a.get(i)) : a.get(i));
                }
                yield apply(SqlFunction.BAG_PACK, converted, KqlType.DYNAMIC);
            }
            case "set_has_element" -> {
                arity(analyzer, call, 2, 2);
                yield apply(SqlFunction.SET_HAS_ELEMENT, List.of(analyzer.toDynamic(a.get(0)), a.get(1)), KqlType.BOOL);
            }
            case "array_concat" -> apply(SqlFunction.ARRAY_CONCAT, a.stream().map(analyzer::toDynamic).toList(), KqlType.DYNAMIC);
            case "round" -> {
                arity(analyzer, call, 1, 2);
                List<Scalar> converted = new ArrayList<>(List.of(analyzer.number(a.get(0))));
                if (a.size() > 1) {
                    converted.add(analyzer.convert(a.get(1), KqlType.LONG));
                }
                yield apply(SqlFunction.ROUND, converted, KqlType.REAL);
            }
            case "abs" -> math(analyzer, call, a, SqlFunction.ABS, a.isEmpty() ? KqlType.REAL : a.get(0).type() == KqlType.LONG ? KqlType.LONG : KqlType.REAL);
            case "sqrt" -> math(analyzer, call, a, SqlFunction.SQRT, KqlType.REAL);
            case "log" -> math(analyzer, call, a, SqlFunction.LOG, KqlType.REAL);
            case "log10" -> math(analyzer, call, a, SqlFunction.LOG10, KqlType.REAL);
            case "exp" -> math(analyzer, call, a, SqlFunction.EXP, KqlType.REAL);
            case "pow" -> {
                arity(analyzer, call, 2, 2);
                yield apply(SqlFunction.POWER, List.of(analyzer.number(a.get(0)), analyzer.number(a.get(1))), KqlType.REAL);
            }
            case "ipv4_is_private" -> string1(analyzer, call, a, SqlFunction.IPV4_IS_PRIVATE, KqlType.BOOL);
            case "ipv4_is_in_range" -> {
                arity(analyzer, call, 2, 2);
                yield apply(SqlFunction.IPV4_IS_IN_RANGE, List.of(analyzer.text(a.get(0)), analyzer.text(a.get(1))), KqlType.BOOL);
            }
            default -> throw analyzer.error(call, "function '" + name + "' is not supported yet", null);
        };
    }

    private static Scalar aggregate(Analyzer analyzer, Expression.Call call, SqlAggregate aggregate, List<Scalar> a) {
        return switch (aggregate) {
            case COUNT -> new Scalar.Aggregate(SqlAggregate.COUNT, List.of(), KqlType.LONG);
            case COUNT_IF -> {
                arity(analyzer, call, 1, 1);
                yield new Scalar.Aggregate(aggregate, List.of(analyzer.bool(a.get(0))), KqlType.LONG);
            }
            case DCOUNT -> {
                arity(analyzer, call, 1, 2);
                yield new Scalar.Aggregate(aggregate, List.of(plain(analyzer, a.get(0))), KqlType.LONG);
            }
            case DCOUNT_IF -> {
                arity(analyzer, call, 2, 3);
                yield new Scalar.Aggregate(aggregate, List.of(plain(analyzer, a.get(0)), analyzer.bool(a.get(1))), KqlType.LONG);
            }
            case SUM, AVG, STDEV, VARIANCE -> {
                arity(analyzer, call, 1, 1);
                Scalar value = analyzer.number(a.get(0));
                yield new Scalar.Aggregate(aggregate, List.of(value), aggregate == SqlAggregate.SUM ? value.type() : KqlType.REAL);
            }
            case SUM_IF, AVG_IF -> {
                arity(analyzer, call, 2, 2);
                Scalar value = analyzer.number(a.get(0));
                yield new Scalar.Aggregate(aggregate, List.of(value, analyzer.bool(a.get(1))),
                        aggregate == SqlAggregate.SUM_IF ? value.type() : KqlType.REAL);
            }
            case MIN, MAX, ANY -> {
                arity(analyzer, call, 1, 1);
                Scalar value = plain(analyzer, a.get(0));
                yield new Scalar.Aggregate(aggregate, List.of(value), value.type());
            }
            case MIN_IF, MAX_IF -> {
                arity(analyzer, call, 2, 2);
                Scalar value = plain(analyzer, a.get(0));
                yield new Scalar.Aggregate(aggregate, List.of(value, analyzer.bool(a.get(1))), value.type());
            }
            case MAKE_SET, MAKE_LIST -> {
                arity(analyzer, call, 1, 2);
                yield new Scalar.Aggregate(aggregate, List.of(a.get(0)), KqlType.DYNAMIC);
            }
            case MAKE_SET_IF, MAKE_LIST_IF -> {
                arity(analyzer, call, 2, 3);
                yield new Scalar.Aggregate(aggregate, List.of(a.get(0), analyzer.bool(a.get(1))), KqlType.DYNAMIC);
            }
            case PERCENTILE -> {
                arity(analyzer, call, 2, 2);
                yield new Scalar.Aggregate(aggregate, List.of(analyzer.number(a.get(0)), analyzer.number(a.get(1))), KqlType.REAL);
            }
            case ARG_MAX, ARG_MIN -> throw analyzer.error(call, call.function() + " must be a whole aggregation of "
                    + "summarize, e.g. summarize arg_max(Timestamp, *) by DeviceId", null);
        };
    }

    /** Dynamic values aggregate by their text: JSON has no order or equality in every engine. */
    private static Scalar plain(Analyzer analyzer, Scalar value) {
        return value.type() == KqlType.DYNAMIC ? analyzer.text(value) : value;
    }

    private static KqlType resultType(Analyzer analyzer, Scalar a, Scalar b) {
        if (a instanceof Constant c && c.value() == null) {
            return b.type();
        }
        if (b instanceof Constant c && c.value() == null) {
            return a.type();
        }
        if (a.type() == b.type()) {
            return a.type();
        }
        if (a.type().isNumeric() && b.type().isNumeric()) {
            return KqlType.REAL;
        }
        if (a.type() == KqlType.DYNAMIC || b.type() == KqlType.DYNAMIC) {
            return KqlType.DYNAMIC;
        }
        return KqlType.STRING;
    }

    private static Scalar timespan(Analyzer analyzer, Expression.Call call, Scalar value) {
        if (value.type() == KqlType.TIMESPAN) {
            return value;
        }
        if (value.type().isNumeric()) {
            throw analyzer.error(call, call.function() + " expects a timespan such as 1d or 30m, found a number", null);
        }
        return analyzer.convert(value, KqlType.TIMESPAN);
    }

    private static long parseTimespan(Analyzer analyzer, Expression.Call call, String text) {
        String[] parts = text.split(":");
        try {
            if (parts.length == 3) {
                String[] days = parts[0].split("\\.");
                long d = days.length == 2 ? Long.parseLong(days[0]) : 0;
                long h = Long.parseLong(days[days.length - 1]);
                double seconds = Double.parseDouble(parts[2]);
                return ((d * 24 + h) * 3600 + Long.parseLong(parts[1]) * 60) * 1_000_000L + Math.round(seconds * 1_000_000);
            }
            var tokens = Lexer.tokenize(text);
            if (tokens.get(0).value() instanceof Timespan timespan) {
                return timespan.microseconds();
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw analyzer.error(call, "'" + text + "' is not a timespan (expected e.g. 1d, 2h or 00:30:00)", null);
    }

    private static void arity(Analyzer analyzer, Expression.Call call, int min, int max) {
        int count = call.arguments().size();
        if (count < min || count > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw analyzer.error(call, call.function() + "() takes " + expected + " argument" + (max == 1 ? "" : "s")
                    + ", found " + count, null);
        }
    }

    private static Scalar one(Analyzer analyzer, Expression.Call call, List<Scalar> a, KqlType type) {
        arity(analyzer, call, 1, 1);
        return analyzer.convert(a.get(0), type);
    }

    private static Scalar bool1(Analyzer analyzer, Expression.Call call, List<Scalar> a, SqlFunction function, boolean text) {
        arity(analyzer, call, 1, 1);
        Scalar value = a.get(0);
        if (text && value.type() == KqlType.DYNAMIC) {
            value = analyzer.text(value);
        }
        return apply(function, List.of(value), KqlType.BOOL);
    }

    private static Scalar string1(Analyzer analyzer, Expression.Call call, List<Scalar> a, SqlFunction function, KqlType type) {
        arity(analyzer, call, 1, 1);
        return apply(function, List.of(analyzer.text(a.get(0))), type);
    }

    private static Scalar math(Analyzer analyzer, Expression.Call call, List<Scalar> a, SqlFunction function, KqlType type) {
        arity(analyzer, call, 1, 1);
        return apply(function, List.of(analyzer.number(a.get(0))), type);
    }

    private static Scalar datetimeFunction(Analyzer analyzer, Expression.Call call, List<Scalar> a, SqlFunction function) {
        arity(analyzer, call, 1, 2);
        Scalar value = analyzer.convert(a.get(0), KqlType.DATETIME);
        return apply(function, List.of(value), KqlType.DATETIME);
    }

    private static Scalar apply(SqlFunction function, List<Scalar> arguments, KqlType type) {
        return new Apply(function, arguments, type);
    }

    /** The items of a JSON array constant, as constants (for in and has_any over a dynamic literal). */
    static List<Scalar> jsonItems(String json) {
        List<Scalar> items = new ArrayList<>();
        JsonNode node = JSON.readTree(json);
        if (!node.isArray()) {
            items.add(new Constant(node.isString() ? node.stringValue() : node.toString(), KqlType.STRING));
            return items;
        }
        for (JsonNode item : node) {
            if (item.isIntegralNumber()) {
                items.add(new Constant(item.longValue(), KqlType.LONG));
            } else if (item.isNumber()) {
                items.add(new Constant(item.doubleValue(), KqlType.REAL));
            } else if (item.isBoolean()) {
                items.add(new Constant(item.booleanValue(), KqlType.BOOL));
            } else if (item.isString()) {
                items.add(new Constant(item.stringValue(), KqlType.STRING));
            } else if (!item.isNull()) {
                items.add(new Constant(item.toString(), KqlType.DYNAMIC));
            }
        }
        return items;
    }

    static String jsonString(String value) {
        return JSON.writeValueAsString(value);
    }
}
