package dev.vigil.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {{name}}} placeholders of templates. Two kinds:
 *
 * <ul>
 *   <li>parameters, in skill inputs and prose: {@code tenant}, {@code org}, {@code period} (as the period was asked,
 *       "last 30 days"), {@code period.start}, {@code period.end} (the first and last day covered),
 *       {@code as_of}, {@code audience}, {@code incident}, {@code actor}, {@code session}, and the filters
 *       {@code host}, {@code user} and {@code severity};
 *   <li>results, in prose only: {@code rows} (the rows of the section's first table), {@code fact.NAME} (a fact of
 *       the skill's result, such as {@code fact.mtta_minutes}) and {@code cell.ROW.COLUMN} (a cell of the first
 *       table, rows counted from 1).
 * </ul>
 */
public final class Placeholders {
    /** The parameters a placeholder may name. */
    public static final List<String> PARAMETERS = List.of("tenant", "org", "period", "period.start", "period.end",
            "as_of", "audience", "incident", "actor", "session", "host", "user", "severity");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern FACT = Pattern.compile("fact\\.[a-z][a-z0-9_]*");
    private static final Pattern CELL = Pattern.compile("cell\\.[1-9][0-9]{0,3}\\.[^{}.]+");

    private Placeholders() {}

    /** A placeholder found in a text: its name and its offset. */
    public record Found(String name, int offset) {}

    /** The placeholders of a text, in order. */
    public static List<Found> find(String text) {
        List<Found> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(new Found(m.group(1), m.start()));
        }
        return found;
    }

    /** Whether the name is a parameter placeholder. */
    public static boolean isParameter(String name) {
        return PARAMETERS.contains(name);
    }

    /** Whether the name is a placeholder of a section's result. */
    public static boolean isResult(String name) {
        return name.equals("rows") || FACT.matcher(name).matches() || CELL.matcher(name).matches();
    }

    /**
     * The text with each placeholder replaced by its value; a placeholder without a value is replaced by
     * {@code missing.apply(name)}.
     */
    public static String fill(String text, Function<String, Optional<String>> values, Function<String, String> missing) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(values.apply(name).orElseGet(() -> missing.apply(name))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Fills parameters only, from a map. */
    public static String fill(String text, Map<String, String> parameters) {
        return fill(text, name -> Optional.ofNullable(parameters.get(name)), name -> "");
    }
}
