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

    /**
     * Reads placeholder values from YAML: each key a placeholder name, each value a string or a list of strings
     * (Sigma wildcards allowed), e.g. {@code Admins: ['adm_*', root]}.
     *
     * @throws dev.vigil.model.VigilException naming the file and what is wrong in it
     */
    public static Placeholders load(java.nio.file.Path file) {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID, "cannot read the"
                    + " placeholders file " + file + " named by detection.placeholders: " + e.getMessage(), e);
        }
        Object root;
        try {
            root = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder()
                    .setLabel(file.toString()).setMaxAliasesForCollections(10).build()).loadFromString(text);
        } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID, "the placeholders file "
                    + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return none();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID, "the placeholders file "
                    + file + " must map placeholder names to lists of values, e.g. 'Admins: [adm_*, root]'");
        }
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            List<String> list = new java.util.ArrayList<>();
            if (e.getValue() instanceof List<?> items) {
                items.forEach(item -> list.add(String.valueOf(item)));
            } else if (e.getValue() != null) {
                list.add(String.valueOf(e.getValue()));
            }
            values.put(String.valueOf(e.getKey()), list);
        }
        return new Placeholders(values);
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
            throw new IllegalArgumentException("placeholder %" + name + "% has no values; list them under '" + name
                    + ":' in the YAML file that the detection.placeholders setting names, then import the rule again");
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
