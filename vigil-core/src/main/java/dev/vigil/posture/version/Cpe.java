package dev.vigil.posture.version;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CPE name (NIST IR 7695): the 2.3 formatted string {@code cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*} or the 2.2
 * URI {@code cpe:/a:apache:log4j:2.14.1}. Attributes are kept lower-cased and unescaped; {@code *} is ANY and
 * {@code -} is NA, as in the specification.
 *
 * @param attributes part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw,
 *     other, in that order (eleven, missing ones ANY)
 */
public record Cpe(List<String> attributes) {
    public static final String ANY = "*";
    public static final String NA = "-";
    private static final int COUNT = 11;

    public Cpe {
        attributes = List.copyOf(attributes);
        if (attributes.size() != COUNT) {
            throw new IllegalArgumentException("a CPE has " + COUNT + " attributes, not " + attributes.size());
        }
    }

    /**
     * Parses a CPE 2.3 formatted string or 2.2 URI.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cpe parse(String text) {
        requireNonNull(text, "text is null");
        String value = text.strip();
        List<String> parts = new ArrayList<>();
        if (value.regionMatches(true, 0, "cpe:2.3:", 0, 8)) {
            StringBuilder current = new StringBuilder();
            for (int i = 8; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length()) {
                    char next = value.charAt(++i);
                    // keep an escaped wildcard escaped, so that it stays a literal when matched
                    current.append(next == '*' || next == '?' ? "\\" + next : String.valueOf(next));
                } else if (c == ':') {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            parts.add(current.toString());
        } else if (value.regionMatches(true, 0, "cpe:/", 0, 5)) {
            for (String part : value.substring(5).split(":", -1)) {
                parts.add(part.isEmpty() ? ANY : java.net.URLDecoder.decode(part.replace("+", "%2B"),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a CPE name (it starts with neither cpe:2.3: nor"
                    + " cpe:/)");
        }
        if (parts.size() > COUNT || parts.isEmpty() || parts.get(0).length() != 1 || "aoh*".indexOf(
                Character.toLowerCase(parts.get(0).charAt(0))) < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CPE name: it needs a part (a, o or h) and at"
                    + " most " + COUNT + " attributes");
        }
        List<String> attributes = new ArrayList<>();
        for (String part : parts) {
            attributes.add(part.isEmpty() ? ANY : part.toLowerCase(Locale.ROOT));
        }
        while (attributes.size() < COUNT) {
            attributes.add(ANY);
        }
        return new Cpe(attributes);
    }

    public String part() {
        return attributes.get(0);
    }

    public String vendor() {
        return attributes.get(1);
    }

    public String product() {
        return attributes.get(2);
    }

    public String version() {
        return attributes.get(3);
    }

    public String update() {
        return attributes.get(4);
    }

    /**
     * Whether this CPE, used as match criteria, names the given CPE of an installed product: each attribute ANY, or
     * equal (with {@code *} and {@code ?} wildcards), NA only against NA. The version is compared too unless
     * {@code ignoreVersion} is set, as it is where a version range decides instead.
     */
    public boolean matches(Cpe target, boolean ignoreVersion) {
        for (int i = 0; i < COUNT; i++) {
            if (i == 3 && ignoreVersion) {
                continue;
            }
            if (!attributeMatches(attributes.get(i), target.attributes().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean attributeMatches(String criterion, String value) {
        if (criterion.equals(ANY)) {
            return true;
        }
        if (criterion.equals(NA) || value.equals(NA)) {
            return criterion.equals(value);
        }
        if (value.equals(ANY)) {
            return false;
        }
        return wildcard(criterion, 0, value, 0);
    }

    private static boolean wildcard(String pattern, int p, String value, int v) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '\\' && p + 1 < pattern.length()) {
                if (v >= value.length() || value.charAt(v) != pattern.charAt(p + 1)) {
                    return false;
                }
                p += 2;
                v++;
            } else if (c == '*') {
                for (int k = v; k <= value.length(); k++) {
                    if (wildcard(pattern, p + 1, value, k)) {
                        return true;
                    }
                }
                return false;
            } else if (c == '?') {
                if (v >= value.length()) {
                    return false;
                }
                p++;
                v++;
            } else {
                if (v >= value.length() || value.charAt(v) != c) {
                    return false;
                }
                p++;
                v++;
            }
        }
        return v == value.length();
    }

    /** The 2.3 formatted string. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("cpe:2.3");
        for (String attribute : attributes) {
            out.append(':');
            for (int i = 0; i < attribute.length(); i++) {
                char c = attribute.charAt(i);
                if (c == '\\' && i + 1 < attribute.length()) {
                    out.append(c).append(attribute.charAt(++i));
                } else if (c == ':' || c == '\\') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
