package dev.vigil.intel.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which dotted names are domain names: syntax per RFC 1035 (with underscores allowed below the top level, as
 * {@code _dmarc} and malware subdomains use them) and a top-level domain from {@code tlds.txt}.
 */
final class DomainNames {
    private DomainNames() {}

    private static final Set<String> TOP_LEVEL_DOMAINS = load("tlds.txt");

    /**
     * Top-level domains that are also common file extensions ({@code setup.py}, {@code install.sh},
     * {@code invoice.zip}, {@code README.md}, {@code id_rsa.pub}, {@code Makefile.am}) or common field names
     * ({@code user.name}, {@code event.id}, {@code user.email}, {@code url.host}). A bare name ending in one of these
     * is more often a file or a field than a domain, so it counts as a domain only in a clear context: defanged,
     * the host of a URL, the domain of an email address, or starting with {@code www.}.
     */
    private static final Set<String> AMBIGUOUS_TOP_LEVEL_DOMAINS = Set.of(
            // file extensions
            "ac", "ai", "am", "app", "as", "bz", "cab", "cc", "in", "md", "ml", "mobi", "mov", "one", "pl", "pm",
            "ps", "pub", "py", "rs", "sh", "so", "ws", "zip",
            // field and member names
            "date", "email", "group", "host", "id", "name");

    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    /**
     * The lower-case domain name, without a final root dot, or null if the text is not a syntactically valid name
     * of two or more labels under a known top-level domain.
     */
    static String normalize(String dotted) {
        String name = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return null;
        }
        name = name.toLowerCase(Locale.ROOT);
        int labels = 0;
        int start = 0;
        while (start <= name.length()) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            boolean last = dot < 0;
            if (!isLabel(name, start, end, last)) {
                return null;
            }
            labels++;
            if (last) {
                return labels >= 2 && TOP_LEVEL_DOMAINS.contains(name.substring(start)) ? name : null;
            }
            start = end + 1;
        }
        return null;
    }

    /** The last label of a normalized domain name. */
    static String topLevel(String domain) {
        return domain.substring(domain.lastIndexOf('.') + 1);
    }

    static boolean isAmbiguousTopLevel(String topLevel) {
        return AMBIGUOUS_TOP_LEVEL_DOMAINS.contains(topLevel);
    }

    static boolean isTopLevel(String lowerCaseLabel) {
        return TOP_LEVEL_DOMAINS.contains(lowerCaseLabel);
    }

    /**
     * Letters, digits and hyphens, not at either end; underscores too below the top level. A top-level label is
     * letters only, unless it is punycode ({@code xn--p1ai}).
     */
    private static boolean isLabel(String name, int start, int end, boolean topLevel) {
        int length = end - start;
        if (length < 1 || length > MAX_LABEL || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
            return false;
        }
        boolean punycode = name.startsWith("xn--", start);
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'a' && c <= 'z';
            boolean digitOrHyphen = (c >= '0' && c <= '9') || c == '-';
            boolean allowed = letter || (digitOrHyphen && (!topLevel || punycode)) || (c == '_' && !topLevel);
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> load(String resource) {
        Set<String> names = new HashSet<>();
        try (InputStream in = DomainNames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing next to " + DomainNames.class.getName()
                        + "; it ships in vigil-core's resources, so the jar is incomplete");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return Set.copyOf(names);
    }
}
