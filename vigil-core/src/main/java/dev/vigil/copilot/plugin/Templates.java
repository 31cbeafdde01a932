package dev.vigil.copilot.plugin;

import dev.vigil.copilot.plugin.PluginManifest.BoundTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the {@code {{Input}}} placeholders of KQL and SQL templates into bound parameters. A template is never
 * filled in as text: a value such as <code>x" | union SecurityEvent</code> stays one string value of one parameter.
 *
 * <p>A placeholder that is a whole string literal ({@code '{{DeviceName}}'}) becomes the parameter; one inside a
 * longer literal ({@code "{{User}}@contoso.com"}) becomes a concatenation ({@code strcat(User, "@contoso.com")} in
 * KQL, {@code ? || '@contoso.com'} in SQL); one outside any literal ({@code ago({{Lookback}})}) becomes the
 * parameter, typed by the input's default value (a number is a {@code long}, {@code 7d} a {@code timespan}).
 */
public final class Templates {
    /** A placeholder, whatever is between the braces: the parser checks that it is a declared input's name. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern NAME = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)(d|h|m|s|ms)");
    /** What KQL parameters are called: the input's name behind a prefix no Defender or Sentinel column has. */
    static final String KQL_PREFIX = "input_";

    private Templates() {}

    /** The placeholder names of a template in order of appearance, each once, as written between the braces. */
    public static List<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    /** Whether the text between a placeholder's braces is a name ({@code DeviceName}, {@code user}). */
    static boolean isName(String placeholder) {
        return NAME.matcher(placeholder).matches();
    }

    static String name(String placeholder) {
        return placeholder.strip();
    }

    /**
     * Binds a KQL template.
     *
     * @param defaults the inputs' default values by name (as placeholders spell it), which type unquoted placeholders
     */
    public static BoundTemplate kql(String template, Map<String, Optional<String>> defaults) {
        Map<String, String> types = new LinkedHashMap<>();
        StringBuilder body = rewrite(template, true, (name, quoted) -> {
            String type = quoted ? "string" : typeOf(defaults.getOrDefault(name, Optional.empty()));
            types.merge(name, type, (a, b) -> a.equals(b) ? a : "string");
            return KQL_PREFIX + name;
        }, new ArrayList<>());
        if (types.isEmpty()) {
            return new BoundTemplate(template, List.of(), Map.of());
        }
        List<String> declarations = new ArrayList<>();
        types.forEach((name, type) -> declarations.add(KQL_PREFIX + name + ":" + type));
        // one line, so that the template's own lines keep their numbers in messages minus one
        return new BoundTemplate("declare query_parameters(" + String.join(", ", declarations) + ");\n" + body,
                types.keySet().stream().map(n -> KQL_PREFIX + n).toList(), types);
    }

    /** Binds a SQL template: each placeholder becomes a {@code ?} marker. */
    public static BoundTemplate sql(String template) {
        List<String> order = new ArrayList<>();
        StringBuilder body = rewrite(template, false, (name, quoted) -> "?", order);
        return new BoundTemplate(body.toString(), order, Map.of());
    }

    /** The typed value of a parameter, as the KQL compiler takes it: a String, Long or Duration. */
    public static Object kqlValue(String type, String text) {
        return switch (type) {
            case "long" -> {
                try {
                    yield Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a whole number");
                }
            }
            case "timespan" -> {
                Matcher m = TIMESPAN.matcher(text.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + text + "' is not a time span such as 7d, 12h or 30m");
                }
                long n = Long.parseLong(m.group(1));
                yield switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                };
            }
            case "bool" -> Boolean.parseBoolean(text.strip());
            default -> text;
        };
    }

    private static String typeOf(Optional<String> defaultValue) {
        String value = defaultValue.map(String::strip).orElse("");
        if (value.matches("-?\\d+")) {
            return "long";
        }
        if (TIMESPAN.matcher(value).matches()) {
            return "timespan";
        }
        if (value.equals("true") || value.equals("false")) {
            return "bool";
        }
        return "string";
    }

    private interface Binder {
        /** The replacement of a placeholder; records the input the parameter stands for. */
        String bind(String name, boolean quoted);
    }

    /**
     * Walks the template as a lexer would, so that it knows which placeholders stand inside string literals and
     * leaves comments and other literals alone.
     */
    private static StringBuilder rewrite(String template, boolean kql, Binder binder, List<String> order) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if ((c == '/' && kql || c == '-' && !kql) && i + 1 < n && template.charAt(i + 1) == c) {
                int end = template.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(template, i, end);
                i = end;
            } else if (c == '\'' || c == '"' || kql && c == '@' && i + 1 < n
                    && (template.charAt(i + 1) == '\'' || template.charAt(i + 1) == '"')) {
                boolean verbatim = c == '@' || !kql;
                int open = c == '@' ? i + 1 : i;
                char quote = template.charAt(open);
                int end = literalEnd(template, open, quote, verbatim);
                out.append(literal(template.substring(i, open + 1), template.substring(open + 1, end), quote, kql,
                        binder, order));
                i = Math.min(end + 1, n);
            } else if (c == '{' && template.startsWith("{{", i)) {
                Matcher m = PLACEHOLDER.matcher(template);
                if (m.find(i) && m.start() == i) {
                    String name = name(m.group(1));
                    order.add(name);
                    out.append(binder.bind(name, false));
                    i = m.end();
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out;
    }

    /** The index of the closing quote (or the end of the text for an unclosed literal). */
    private static int literalEnd(String text, int open, char quote, boolean verbatim) {
        int j = open + 1;
        while (j < text.length()) {
            char d = text.charAt(j);
            if (!verbatim && d == '\\') {
                j += 2;
                continue;
            }
            if (d == quote) {
                if (verbatim && j + 1 < text.length() && text.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j;
            }
            j++;
        }
        return text.length();
    }

    private static String literal(String opening, String content, char quote, boolean kql, Binder binder,
            List<String> order) {
        Matcher m = PLACEHOLDER.matcher(content);
        List<String> parts = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(opening + content.substring(last, m.start()) + quote);
            }
            String name = name(m.group(1));
            order.add(name);
            parts.add(binder.bind(name, true));
            last = m.end();
        }
        if (parts.isEmpty()) {
            return opening + content + quote;
        }
        if (last < content.length()) {
            parts.add(opening + content.substring(last) + quote);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return kql ? "strcat(" + String.join(", ", parts) + ")" : "(" + String.join(" || ", parts) + ")";
    }
}
