package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The normal forms of indicator values, and the recognition of a value's type from its text.
 *
 * <p>Normal forms: IPv4 as a dotted quad without leading zeros; IPv6 as RFC 5952 text (lower case, the longest run
 * of zero groups compressed), an IPv4-mapped IPv6 address as the IPv4 address it maps; a network as its address with
 * the host bits cleared and its prefix length ({@code /32} and {@code /128} are single addresses); a domain in lower
 * case without a trailing dot or a leading {@code *.}, internationalized names in punycode; an e-mail address in lower
 * case; digests in lower-case hex; URLs as {@link #normalizeUrl} describes.
 *
 * <p>Nothing here resolves a name or touches the network.
 */
public final class IndicatorValues {
    private IndicatorValues() {}

    /** A value in normal form and its type, which normalizing may refine (a {@code /32} network is an address). */
    public record Value(IndicatorType type, String value) {
        public Value {
            requireNonNull(type, "type is null");
            requireNonNull(value, "value is null");
        }
    }

    /**
     * The normal form of a value a feed declares to be of {@code type}. The type may be refined: an address with a
     * prefix length is a {@link IndicatorType#CIDR}, a network of full length an address, an IPv4-mapped IPv6 address
     * an IPv4 address.
     *
     * @throws IllegalArgumentException saying why the text is not a value of that type
     */
    public static Value canonical(IndicatorType type, String text) {
        requireNonNull(type, "type is null");
        requireNonNull(text, "text is null");
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the value is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("'" + s.replaceAll("\\p{Cntrl}", "?") + "' holds a control"
                        + " character");
            }
        }
        return switch (type) {
            case IPV4, IPV6, CIDR -> address(type, s);
            case DOMAIN -> new Value(IndicatorType.DOMAIN, domain(s));
            case URL -> new Value(IndicatorType.URL, normalizeUrl(s));
            case MD5, SHA1, SHA256, SHA512 -> new Value(type, digest(type, s));
            case EMAIL -> new Value(IndicatorType.EMAIL, email(s));
        };
    }

    /** The normal form of a value of {@code type}; see {@link #canonical}, which may also refine the type. */
    public static String normalize(IndicatorType type, String text) {
        return canonical(type, text).value();
    }

    /**
     * The type and normal form of a bare value, as plain lists and the command line give them: an address or network,
     * a digest by its length, an e-mail address, a URL (with a scheme, or a domain followed by a path), else a domain.
     * Defanged spellings are not undone here; see {@link #refang}.
     *
     * @return null when the text is none of these
     */
    public static Value detect(String text) {
        String s = text.strip();
        if (s.isEmpty() || containsWhitespace(s)) {
            return null;
        }
        try {
            if (s.contains("://")) {
                return canonical(IndicatorType.URL, s);
            }
            if (s.startsWith("mailto:") || (s.indexOf('@') > 0 && s.indexOf('/') < 0)) {
                return canonical(IndicatorType.EMAIL, s);
            }
            String address = s.indexOf('/') > 0 ? s.substring(0, s.indexOf('/')) : s;
            if (ipv4(address) >= 0 || parseIpv6(stripBrackets(address), new long[2])) {
                if (s.indexOf('/') > 0 && !isDigits(s.substring(s.indexOf('/') + 1))) {
                    return canonical(IndicatorType.URL, "http://" + s);
                }
                return canonical(IndicatorType.CIDR, s);
            }
            IndicatorType digest = isHex(s) ? IndicatorType.hashOfLength(s.length()) : null;
            if (digest != null) {
                return new Value(digest, s.toLowerCase(Locale.ROOT));
            }
            if (s.indexOf('/') > 0) {
                domain(s.substring(0, s.indexOf('/')));
                return canonical(IndicatorType.URL, "http://" + s);
            }
            return canonical(IndicatorType.DOMAIN, s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Undoes the usual ways of defanging an indicator so that nobody clicks it: {@code hxxp://}, {@code [.]},
     * {@code (.)}, {@code {.}}, {@code [dot]}, {@code [:]}, {@code [://]}, {@code [@]}, {@code [at]}, {@code [/]}.
     */
    public static String refang(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("hxxp") && isSchemeEnd(lower, 4)) {
            s = "http" + s.substring(4);
        } else if (lower.startsWith("fxp") && isSchemeEnd(lower, 3)) {
            s = "ftp" + s.substring(3);
        }
        if (s.indexOf('[') < 0 && s.indexOf('(') < 0 && s.indexOf('{') < 0) {
            return s;
        }
        String[][] replacements = {{"[://]", "://"}, {"[:]", ":"}, {"[.]", "."}, {"(.)", "."}, {"{.}", "."},
                {"[dot]", "."}, {"(dot)", "."}, {"[@]", "@"}, {"[at]", "@"}, {"(at)", "@"}, {"[/]", "/"}};
        for (String[] replacement : replacements) {
            s = replaceIgnoringCase(s, replacement[0], replacement[1]);
        }
        return s;
    }

    /** Whether a (defanged) scheme's separator, {@code ://} or {@code [:]//} or {@code [://]}, follows. */
    private static boolean isSchemeEnd(String lower, int at) {
        int i = lower.startsWith("s", at) ? at + 1 : at;
        return lower.startsWith("://", i) || lower.startsWith("[:]", i) || lower.startsWith("[://]", i);
    }

    private static String replaceIgnoringCase(String s, String target, String replacement) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (!lower.contains(target)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int from = 0;
        int at;
        while ((at = lower.indexOf(target, from)) >= 0) {
            out.append(s, from, at).append(replacement);
            from = at + target.length();
        }
        return out.append(s, from, s.length()).toString();
    }

    /**
     * Why a bare value is not an indicator ({@link #detect} gave null): the problem with the type it comes closest
     * to, e.g. a digest's length or a domain's bad character.
     */
    public static String whyNot(String value) {
        String shown = value.length() > 80 ? value.substring(0, 79) + "…" : value;
        if (isHex(value) && value.length() >= 16 && value.length() <= 160) {
            return "'" + shown + "' looks like a digest but has " + value.length() + " hex digits (MD5 has 32, SHA-1"
                    + " 40, SHA-256 64, SHA-512 128)";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (IndicatorType type : List.of(IndicatorType.URL, IndicatorType.EMAIL, IndicatorType.CIDR,
                IndicatorType.DOMAIN)) {
            boolean applies = switch (type) {
                case URL -> lower.contains("://");
                case EMAIL -> lower.indexOf('@') > 0;
                case CIDR -> lower.matches("[0-9./]+") || lower.indexOf(':') >= 0 && lower.matches("[0-9a-f:./\\[\\]]+");
                default -> lower.indexOf('.') > 0;
            };
            if (applies) {
                try {
                    canonical(type, value);
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
        }
        return "'" + shown + "' is not an IP address, network, domain, URL, e-mail address or file hash";
    }

    /**
     * The keys ({@code type, value}) of every indicator that a value matches: an address and every network around it
     * (IPv4 /1 to /31, IPv6 /1 to /127); a network and the networks around it; a domain and its parent domains of
     * two labels or more; a URL, its other scheme of http and https, its form without the query, and its host; an
     * e-mail address and its domain's keys; a digest itself.
     */
    public static List<Value> matchingKeys(Value value) {
        List<Value> keys = new ArrayList<>();
        keys.add(value);
        switch (value.type()) {
            case IPV4, IPV6 -> networksAround(value.value(), value.type() == IndicatorType.IPV6 ? 128 : 32, keys);
            case CIDR -> {
                int slash = value.value().indexOf('/');
                networksAround(value.value().substring(0, slash), Integer.parseInt(value.value().substring(slash + 1)),
                        keys);
            }
            case DOMAIN -> domainAndParents(value.value(), keys);
            case URL -> {
                String url = value.value();
                String other = url.startsWith("https://") ? "http://" + url.substring(8)
                        : url.startsWith("http://") ? "https://" + url.substring(7) : null;
                if (other != null) {
                    keys.add(new Value(IndicatorType.URL, other));
                }
                int question = url.indexOf('?');
                if (question > 0) {
                    keys.add(new Value(IndicatorType.URL, url.substring(0, question)));
                    if (other != null) {
                        keys.add(new Value(IndicatorType.URL, other.substring(0, other.indexOf('?'))));
                    }
                }
                int hostStart = url.indexOf("://") + 3;
                int hostEnd = hostStart;
                while (hostEnd < url.length() && "/?".indexOf(url.charAt(hostEnd)) < 0) {
                    hostEnd++;
                }
                String host = url.substring(hostStart, hostEnd);
                host = host.substring(host.lastIndexOf('@') + 1);
                if (host.startsWith("[")) {
                    host = host.substring(1, Math.max(1, host.indexOf(']')));
                } else if (host.indexOf(':') > 0) {
                    host = host.substring(0, host.indexOf(':'));
                }
                Value hostValue = detect(host);
                if (hostValue != null && hostValue.type() != IndicatorType.URL) {
                    keys.addAll(matchingKeys(hostValue));
                }
            }
            case EMAIL -> domainAndParents(value.value().substring(value.value().lastIndexOf('@') + 1), keys);
            case MD5, SHA1, SHA256, SHA512 -> {
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(keys));
    }

    private static void networksAround(String address, int prefix, List<Value> keys) {
        for (int p = prefix - 1; p >= 1; p--) {
            keys.add(canonical(IndicatorType.CIDR, address + "/" + p));
        }
    }

    /** The domain and each parent of two labels or more. */
    private static void domainAndParents(String domain, List<Value> keys) {
        String name = domain;
        keys.add(new Value(IndicatorType.DOMAIN, name));
        int dot;
        while ((dot = name.indexOf('.')) > 0 && name.indexOf('.', dot + 1) > 0) {
            name = name.substring(dot + 1);
            keys.add(new Value(IndicatorType.DOMAIN, name));
        }
    }

    // --- addresses ---------------------------------------------------------------------------------------------

    private static Value address(IndicatorType declared, String s) {
        int slash = s.indexOf('/');
        String address = stripBrackets(slash < 0 ? s : s.substring(0, slash));
        int zone = address.indexOf('%');
        if (zone > 0) {
            address = address.substring(0, zone);
        }
        long v4 = ipv4(address);
        long[] v6 = new long[2];
        boolean isV6 = v4 < 0 && parseIpv6(address, v6);
        if (isV6 && v6[0] == 0 && (v6[1] >>> 32) == 0xFFFFL) { // IPv4-mapped
            v4 = v6[1] & 0xFFFF_FFFFL;
            isV6 = false;
        }
        if (v4 < 0 && !isV6) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address" + (slash < 0 ? "" : " with a prefix"));
        }
        int bits = isV6 ? 128 : 32;
        int prefix = bits;
        if (slash >= 0) {
            String length = s.substring(slash + 1);
            if (!isDigits(length) || length.length() > 3 || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + s + "' has an invalid prefix length '" + length + "' (0 to "
                        + bits + ")");
            }
            prefix = Integer.parseInt(length);
            if (prefix == 0) {
                throw new IllegalArgumentException("'" + s + "' is a /0 network, which contains every address");
            }
        } else if (declared == IndicatorType.CIDR && !isV6 && v4 >= 0) {
            prefix = 32;
        }
        if (isV6) {
            long[] network = maskIpv6(v6[0], v6[1], prefix);
            String text = formatIpv6(network[0], network[1]);
            return prefix == 128 ? new Value(IndicatorType.IPV6, text) : new Value(IndicatorType.CIDR, text + "/" + prefix);
        }
        long network = v4 & ipv4Mask(prefix);
        String text = formatIpv4(network);
        return prefix == 32 ? new Value(IndicatorType.IPV4, text) : new Value(IndicatorType.CIDR, text + "/" + prefix);
    }

    private static String stripBrackets(String s) {
        return s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']' ? s.substring(1, s.length() - 1)
                : s;
    }

    static long ipv4Mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    static long[] maskIpv6(long high, long low, int prefix) {
        if (prefix >= 128) {
            return new long[] {high, low};
        }
        if (prefix > 64) {
            return new long[] {high, low & (-1L << (128 - prefix))};
        }
        return new long[] {prefix == 0 ? 0 : high & (-1L << (64 - prefix)), 0};
    }

    /** The address as an unsigned 32-bit number, or -1 if the text is not a dotted quad. */
    static long ipv4(CharSequence s) {
        return ipv4(s, 0, s.length());
    }

    /** The address in {@code s[from, to)} as an unsigned 32-bit number, or -1 if it is not a dotted quad. */
    static long ipv4(CharSequence s, int from, int to) {
        if (to - from < 7 || to - from > 15) {
            return -1;
        }
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            chars[i - from] = s.charAt(i);
        }
        return ipv4(chars, 0, chars.length);
    }

    /** The address in {@code s[from, to)} as an unsigned 32-bit number, or -1 if it is not a dotted quad. */
    static long ipv4(char[] s, int from, int to) {
        if (to - from < 7 || to - from > 15) {
            return -1;
        }
        long address = 0;
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s[i] : '.';
            if (c == '.') {
                if (value < 0) {
                    return -1;
                }
                address = (address << 8) | value;
                parts++;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255 || ++digits > 3) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return parts == 4 ? address : -1;
    }

    static String formatIpv4(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    static boolean parseIpv6(CharSequence s, long[] out) {
        return parseIpv6(s, 0, s.length(), out);
    }

    /**
     * Parses an IPv6 address (with {@code ::}, and an IPv4 tail such as {@code ::ffff:10.0.0.1}) in
     * {@code s[from, to)} into its high and low 64 bits; false if it is not one.
     */
    static boolean parseIpv6(CharSequence s, int from, int to, long[] out) {
        return parseIpv6(s, from, to, out, new int[16]);
    }

    /** As {@link #parseIpv6(CharSequence, int, int, long[])}, with 16 ints of scratch space from the caller. */
    static boolean parseIpv6(CharSequence s, int from, int to, long[] out, int[] scratch) {
        if (to - from < 2 || to - from > 45) {
            return false;
        }
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            chars[i - from] = s.charAt(i);
        }
        return parseIpv6(chars, 0, chars.length, out, scratch);
    }

    /** As {@link #parseIpv6(CharSequence, int, int, long[])}, over characters. */
    static boolean parseIpv6(char[] s, int from, int to, long[] out, int[] scratch) {
        int length = to - from;
        if (length < 2 || length > 45) {
            return false;
        }
        int[] groups = scratch;
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = from;
        if (s[i] == ':') {
            if (s[i + 1] != ':') {
                return false;
            }
            gap = 0;
            i += 2;
            if (i == to) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && IndicatorValues.hex(s[i]) >= 0 && i - start < 5) {
                value = (value << 4) | IndicatorValues.hex(s[i]);
                i++;
            }
            if (i < to && s[i] == '.') { // an IPv4 tail
                long v4 = ipv4(s, start, to);
                if (v4 < 0 || count > 6) {
                    return false;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = to;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return false;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            if (s[i] != ':') {
                return false;
            }
            i++;
            if (i < to && s[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // a single trailing colon
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return false;
        }
        // the eight groups in scratch[8..16), the gap filled with zeros
        int tail = gap < 0 ? 0 : count - gap;
        int head = gap < 0 ? 8 : gap;
        for (int g = 0; g < 8; g++) {
            scratch[8 + g] = g < head ? groups[g] : g >= 8 - tail ? groups[gap + g - (8 - tail)] : 0;
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | scratch[8 + g];
            low = (low << 16) | scratch[12 + g];
        }
        out[0] = high;
        out[1] = low;
        return true;
    }

    /** RFC 5952 text of an IPv6 address. */
    static String formatIpv6(long high, long low) {
        int[] groups = new int[8];
        for (int g = 0; g < 4; g++) {
            groups[g] = (int) ((high >>> (48 - 16 * g)) & 0xFFFF);
            groups[g + 4] = (int) ((low >>> (48 - 16 * g)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int g = 0; g < 8; ) {
            if (groups[g] != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }

    // --- names -------------------------------------------------------------------------------------------------

    /**
     * The normal form of a domain name.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static String domain(String text) {
        String s = text.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("*.")) {
            s = s.substring(2);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the domain is empty");
        }
        if (!isAscii(s)) {
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not a valid internationalized domain name");
            }
        }
        s = s.toLowerCase(Locale.ROOT);
        String reason = domainProblem(s);
        if (reason != null) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a domain name: " + reason);
        }
        return s;
    }

    /** Why a lower-case ASCII name is not a domain name, or null if it is one. */
    private static String domainProblem(String s) {
        if (s.length() > 253) {
            return "longer than 253 characters";
        }
        int labels = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
                    return "'" + c + "' is not allowed in a name";
                }
                continue;
            }
            int length = i - start;
            if (length == 0) {
                return "it has an empty label";
            }
            if (length > 63) {
                return "a label is longer than 63 characters";
            }
            if (s.charAt(start) == '-' || s.charAt(i - 1) == '-') {
                return "a label starts or ends with '-'";
            }
            labels++;
            start = i + 1;
        }
        if (labels < 2) {
            return "it has a single label (a top-level domain or a host name without its domain)";
        }
        String top = s.substring(s.lastIndexOf('.') + 1);
        if (isDigits(top)) {
            return "its top-level label is a number";
        }
        return null;
    }

    static String email(String text) {
        String s = text.strip();
        if (s.regionMatches(true, 0, "mailto:", 0, 7)) {
            s = s.substring(7);
        }
        if (s.length() > 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>') {
            s = s.substring(1, s.length() - 1);
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not an e-mail address (local@domain)");
        }
        String local = s.substring(0, at);
        if (local.length() > 64 || containsWhitespace(local) || local.indexOf('@') >= 0 && !local.startsWith("\"")) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not an e-mail address: invalid local part");
        }
        String domain;
        try {
            domain = domain(s.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not an e-mail address: " + e.getMessage());
        }
        return local.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    static String digest(IndicatorType type, String text) {
        String s = text.strip();
        int expected = switch (type) {
            case MD5 -> 32;
            case SHA1 -> 40;
            case SHA256 -> 64;
            default -> 128;
        };
        if (!isHex(s)) {
            throw new IllegalArgumentException("'" + s + "' is not a hex digest");
        }
        if (s.length() != expected) {
            throw new IllegalArgumentException("an " + type.id().toUpperCase(Locale.ROOT) + " digest has " + expected
                    + " hex digits, '" + s + "' has " + s.length());
        }
        return s.toLowerCase(Locale.ROOT);
    }

    // --- URLs --------------------------------------------------------------------------------------------------

    /**
     * The normal form of a URL: scheme and host in lower case (internationalized hosts in punycode, IPv6 hosts in
     * RFC 5952 form), the scheme's default port dropped, percent-escapes of unreserved characters decoded and the
     * others' hex digits in upper case, dot segments removed, an empty path as {@code /} and a trailing {@code /}
     * of a longer path dropped, an empty query and the fragment dropped. A URL without a scheme is taken as
     * {@code http}. Nothing is resolved.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String normalizeUrl(String text) {
        String s = text.strip();
        int schemeEnd = s.indexOf("://");
        String scheme;
        if (schemeEnd < 0) {
            scheme = "http";
            schemeEnd = -3;
        } else {
            scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (scheme.isEmpty() || !(scheme.charAt(0) >= 'a' && scheme.charAt(0) <= 'z')
                    || !scheme.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+'
                            || c == '-' || c == '.')) {
                throw new IllegalArgumentException("'" + s + "' is not a URL: invalid scheme '" + scheme + "'");
            }
        }
        int authorityStart = schemeEnd + 3;
        int fragment = s.indexOf('#', authorityStart);
        if (fragment >= 0) {
            s = s.substring(0, fragment);
        }
        int authorityEnd = s.length();
        for (int i = authorityStart; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '\\') {
                authorityEnd = i;
                break;
            }
        }
        String authority = s.substring(authorityStart, authorityEnd);
        String userInfo = "";
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at + 1);
            authority = authority.substring(at + 1);
        }
        String host;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            long[] v6 = new long[2];
            if (close < 0 || !parseIpv6(authority.substring(1, close), v6)) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not a URL: invalid IPv6 host");
            }
            host = "[" + formatIpv6(v6[0], v6[1]) + "]";
            port = authority.substring(close + 1);
            if (!port.isEmpty() && !port.startsWith(":")) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not a URL: junk after the IPv6 host");
            }
            port = port.isEmpty() ? "" : port.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not a URL: it has no host");
            }
            host = percentDecodeAll(host);
            if (ipv4(host) < 0) {
                try {
                    host = domainOrHost(host);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + text.strip() + "' is not a URL: " + e.getMessage());
                }
            }
        }
        if (!port.isEmpty() && (!isDigits(port) || port.length() > 5 || Integer.parseInt(port) > 65535)) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a URL: invalid port '" + port + "'");
        }
        if (!port.isEmpty()) {
            port = Integer.toString(Integer.parseInt(port));
        }
        if (port.equals(defaultPort(scheme))) {
            port = "";
        }
        String rest = s.substring(authorityEnd).replace('\\', '/');
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question + 1);
        path = removeDotSegments(normalizeEscapes(path));
        if (path.isEmpty()) {
            path = "/";
        } else if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        query = normalizeEscapes(query);
        StringBuilder out = new StringBuilder(s.length() + 8);
        out.append(scheme).append("://").append(userInfo).append(host);
        if (!port.isEmpty()) {
            out.append(':').append(port);
        }
        out.append(path);
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    /** A URL's host: a domain name, or a single-label host name (intranet URLs), in lower case. */
    private static String domainOrHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (!isAscii(lower)) {
            return domain(host);
        }
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') {
                throw new IllegalArgumentException("'" + c + "' is not allowed in a host name");
            }
        }
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("it has no host");
        }
        return lower;
    }

    static String defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> "80";
            case "https", "wss" -> "443";
            case "ftp" -> "21";
            default -> "";
        };
    }

    /** Decodes escapes of unreserved characters (ALPHA, DIGIT, '-', '.', '_', '~'); upper-cases the others' hex. */
    private static String normalizeEscapes(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
                    && hex(s.charAt(i + 2)) >= 0) {
                int value = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(Character.toUpperCase(s.charAt(i + 1)))
                            .append(Character.toUpperCase(s.charAt(i + 2)));
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String percentDecodeAll(String host) {
        if (host.indexOf('%') < 0) {
            return host;
        }
        StringBuilder out = new StringBuilder(host.length());
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%' && i + 2 < host.length() && hex(host.charAt(i + 1)) >= 0 && hex(host.charAt(i + 2)) >= 0) {
                out.append((char) (hex(host.charAt(i + 1)) * 16 + hex(host.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** RFC 3986 section 5.2.4. */
    private static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        String input = path;
        StringBuilder output = new StringBuilder(path.length());
        while (!input.isEmpty()) {
            if (input.startsWith("../")) {
                input = input.substring(3);
            } else if (input.startsWith("./")) {
                input = input.substring(2);
            } else if (input.startsWith("/./")) {
                input = input.substring(2);
            } else if (input.equals("/.")) {
                input = "/";
            } else if (input.startsWith("/../")) {
                input = input.substring(3);
                dropLastSegment(output);
            } else if (input.equals("/..")) {
                input = "/";
                dropLastSegment(output);
            } else if (input.equals(".") || input.equals("..")) {
                input = "";
            } else {
                int next = input.indexOf('/', input.startsWith("/") ? 1 : 0);
                if (next < 0) {
                    next = input.length();
                }
                output.append(input, 0, next);
                input = input.substring(next);
            }
        }
        return output.toString();
    }

    private static void dropLastSegment(StringBuilder output) {
        int slash = output.lastIndexOf("/");
        output.setLength(Math.max(slash, 0));
    }

    /** Where the scheme-independent part of a normal-form URL starts: http and https URLs match each other. */
    static int urlKeyStart(CharSequence url) {
        if (startsWith(url, "http://")) {
            return 4;
        }
        if (startsWith(url, "https://")) {
            return 5;
        }
        return 0;
    }

    private static boolean startsWith(CharSequence s, String prefix) {
        if (s.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // --- characters --------------------------------------------------------------------------------------------

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isHex(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (hex(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
