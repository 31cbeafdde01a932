package dev.vigil.sigma;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for the {@code expand} modifier's placeholders ({@code %Administrators%}), set per tenant. The specification
 * says a tool that cannot fill a placeholder must reject the rule, so an unknown one is an error, never a wildcard.
 */
public record Placeholders(Map<String, List<String>> values) {

    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\\\)%([A-Za-z0-9_]+)%");

    public Placeholders {
        values = Map.copyOf(values);
    }

    public static Placeholders none() {
        return new Placeholders(Map.of());
    }

    /** Every value the text expands to: the product of each placeholder's values, in order. */
    List<String> expand(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (!m.find()) {
            return List.of(text.replace("\\%", "%"));
        }
        String name = m.group(1);
        List<String> replacements = values.get(name);
        if (replacements == null || replacements.isEmpty()) {
            throw new IllegalArgumentException("placeholder %" + name + "% has no values; define it in the tenant's"
                    + " placeholders (vigil rules placeholders --set " + name + "=value,...)");
        }
        String head = text.substring(0, m.start()).replace("\\%", "%");
        List<String> tails = expand(text.substring(m.end()));
        List<String> out = new java.util.ArrayList<>();
        for (String r : replacements) {
            for (String tail : tails) {
                out.add(head + r + tail);
            }
        }
        return out;
    }
}
