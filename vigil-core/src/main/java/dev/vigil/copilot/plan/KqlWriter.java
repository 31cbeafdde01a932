package dev.vigil.copilot.plan;

import dev.vigil.copilot.plan.Frame.Filter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Compiles a {@link Frame} into a query in the hunting language, over the stored tables the tenant has. The query is
 * what the analyst sees, edits and re-runs, so it reads as an analyst would write it: the concept's tables, its
 * predicate, one {@code where} per filter, the time range, then the shape of the answer.
 */
public final class KqlWriter {
    /** The column counts are written to. */
    public static final String COUNT = "events";
    /** The default number of rows of a list. */
    public static final int LIST_LIMIT = 50;
    /** The default number of rows of a top or distinct answer. */
    public static final int TOP_LIMIT = 10;

    /** The query, or why none can be written. */
    public sealed interface Result permits Written, NoTable {}

    /** The query written, with the tables it reads. */
    public record Written(String kql, List<String> tables) implements Result {}

    /** None of the concept's tables is stored: the answer says so and names them. */
    public record NoTable(List<String> wanted) implements Result {}

    private KqlWriter() {}

    /**
     * Writes the frame's query.
     *
     * @param frame the frame
     * @param storedTables the tenant's stored table names
     */
    public static Result write(Frame asked, Collection<String> storedTables) {
        Frame frame = asked.intent() == Frame.Intent.LIST && !asked.groupBy().isEmpty()
                ? asked.withShape(Frame.Intent.TOP, asked.projection(), asked.groupBy(), asked.limit()) : asked;
        Lexicon.Concept concept = frame.concept();
        List<String> tables = new ArrayList<>();
        for (String wanted : concept.tables()) {
            storedTables.stream().filter(t -> t.equalsIgnoreCase(wanted)).findFirst().ifPresent(tables::add);
        }
        if (tables.isEmpty()) {
            return new NoTable(concept.tables());
        }
        StringBuilder kql = new StringBuilder(tables.size() == 1 ? tables.get(0)
                : "union " + String.join(", ", tables));
        if (!concept.where().isBlank()) {
            kql.append("\n| where ").append(concept.where());
        }
        frame.time().ifPresent(t -> kql.append("\n| where time >= datetime(").append(t.from())
                .append(") and time < datetime(").append(t.to()).append(')'));
        for (Filter filter : frame.filters()) {
            kql.append("\n| where ").append(predicate(concept, filter));
        }
        String projected = frame.projection().map(role -> column(concept, role)).orElse(null);
        switch (frame.intent()) {
            case LIST -> {
                kql.append("\n| project ").append(String.join(", ", concept.show()));
                kql.append("\n| sort by time desc");
                kql.append("\n| take ").append(frame.limit() > 0 ? frame.limit() : LIST_LIMIT);
            }
            case COUNT -> {
                if (projected != null) {
                    kql.append("\n| summarize ").append(COUNT).append(" = dcount(").append(projected).append(')');
                } else if (!frame.groupBy().isEmpty()) {
                    kql.append("\n| summarize ").append(COUNT).append(" = count() by ").append(groups(frame));
                    kql.append("\n| sort by ").append(COUNT).append(" desc");
                } else {
                    kql.append("\n| summarize ").append(COUNT).append(" = count()");
                }
            }
            case EXISTS -> kql.append("\n| summarize ").append(COUNT)
                    .append(" = count(), first_seen = min(time), last_seen = max(time)");
            case TIMELINE -> {
                String bin = frame.time().map(t -> Duration.between(t.from(), t.to()).toDays() > 3 ? "1d" : "1h")
                        .orElse("1d");
                kql.append("\n| summarize ").append(COUNT).append(" = count() by bin(time, ").append(bin).append(')');
                if (!frame.groupBy().isEmpty()) {
                    kql.append(", ").append(groups(frame));
                }
                kql.append("\n| sort by time asc");
            }
            case TOP, DISTINCT -> {
                List<String> by = new ArrayList<>();
                if (projected != null) {
                    by.add(projected);
                }
                for (String role : frame.groupBy()) {
                    String c = column(concept, role);
                    if (!by.contains(c)) {
                        by.add(c);
                    }
                }
                kql.append("\n| summarize ").append(COUNT).append(" = count(), first_seen = min(time), last_seen = max(time)");
                kql.append(" by ").append(String.join(", ", by));
                kql.append("\n| sort by ").append(COUNT).append(" desc");
                kql.append("\n| take ").append(frame.limit() > 0 ? frame.limit() : TOP_LIMIT);
            }
        }
        return new Written(kql.toString(), tables);
    }

    private static String groups(Frame frame) {
        return String.join(", ", frame.groupBy().stream().map(r -> column(frame.concept(), r)).toList());
    }

    /** The concept's column for a role; {@code action} is common to every table. */
    static String column(Lexicon.Concept concept, String role) {
        return concept.column(role).orElse(role);
    }

    static String predicate(Lexicon.Concept concept, Filter filter) {
        String column = column(concept, filter.role());
        String v = filter.value();
        return switch (filter.op()) {
            case "host" -> {
                String label = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
                yield "(" + column + " =~ " + lit(v) + (label.equals(v) ? "" : " or " + column + " =~ " + lit(label))
                        + " or " + column + " startswith " + lit(label + ".") + ")";
            }
            case "user" -> {
                String name = v.contains("\\") ? v.substring(v.lastIndexOf('\\') + 1) : v;
                name = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
                yield "(" + column + " =~ " + lit(name) + " or " + column + " endswith " + lit("\\" + name)
                        + " or " + column + " startswith " + lit(name + "@") + ")";
            }
            case "name" -> {
                String name = v.toLowerCase(Locale.ROOT);
                if (!name.contains(".")) {
                    name = name + ".exe";
                }
                yield "(" + column + " =~ " + lit(name) + " or " + column + " endswith " + lit("\\" + name)
                        + " or " + column + " endswith " + lit("/" + name) + ")";
            }
            case "eq" -> column + " =~ " + lit(v);
            case "ne" -> column + " !~ " + lit(v);
            case "in" -> column + " in (" + String.join(", ",
                    java.util.Arrays.stream(v.split(",")).map(String::strip).map(KqlWriter::lit).toList()) + ")";
            case "contains" -> column + " contains " + lit(v);
            case "regex" -> column + " matches regex " + lit(v);
            case "public" -> "isnotempty(" + column + ") and not(ipv4_is_private(" + column + "))";
            case "private" -> "ipv4_is_private(" + column + ")";
            case "either" -> "(" + column(concept, "src_ip") + " == " + lit(v) + " or " + column(concept, "dst_ip")
                    + " == " + lit(v) + ")";
            case "prefix" -> column + " startswith " + lit(cidrPrefix(v));
            default -> throw new IllegalArgumentException("unknown filter operator '" + filter.op() + "' in the lexicon");
        };
    }

    /** The text prefix of a CIDR's addresses: {@code 10.1.0.0/16} → {@code 10.1.}; other masks keep whole octets. */
    static String cidrPrefix(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        int bits = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
        String[] octets = address.split("\\.");
        int keep = Math.max(0, Math.min(4, bits / 8));
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < keep && i < octets.length; i++) {
            prefix.append(octets[i]).append('.');
        }
        return keep == 4 ? address : prefix.toString();
    }

    /** A KQL string literal. */
    public static String lit(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
