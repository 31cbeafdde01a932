package dev.vigil.ingest;

/**
 * Recognizes IP address literals without ever resolving names (InetAddress would query DNS for a host name).
 */
public final class Addresses {
    private Addresses() {}

    /**
     * The address in canonical text, or null if the text is not an IPv4 or IPv6 literal. IPv4-mapped IPv6
     * ({@code ::ffff:10.0.0.1}) becomes plain IPv4, brackets and a zone id are dropped, and an IPv4 address with a
     * port ({@code 10.0.0.1:443}) keeps only the address.
     */
    public static String normalizeIp(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            s = s.substring(1, close);
        }
        if (s.regionMatches(true, 0, "::ffff:", 0, 7) && s.indexOf('.') > 0) {
            s = s.substring(7);
        }
        if (isIpv4(s)) {
            return s;
        }
        int colon = s.indexOf(':');
        if (colon > 0 && s.indexOf(':', colon + 1) < 0 && isIpv4(s.substring(0, colon)) && colon + 1 < s.length()
                && s.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return s.substring(0, colon);
        }
        int zone = s.indexOf('%');
        if (zone > 0) {
            s = s.substring(0, zone);
        }
        return isIpv6(s) ? s.toLowerCase(java.util.Locale.ROOT) : null;
    }

    static boolean isIpv4(String s) {
        int parts = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45 || s.indexOf(':') < 0 || s.contains(":::")
                || (s.startsWith(":") && !s.startsWith("::")) || (s.endsWith(":") && !s.endsWith("::"))) {
            return false;
        }
        int groups = 0;
        int groupLength = 0;
        int doubleColons = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (i + 1 < s.length() && s.charAt(i + 1) == ':') {
                    doubleColons++;
                    i++;
                }
                groups++;
                groupLength = 0;
            } else if (Character.digit(c, 16) >= 0) {
                if (++groupLength > 4) {
                    return false;
                }
            } else if (c == '.') {
                int lastColon = s.lastIndexOf(':');
                return doubleColons <= 1 && isIpv4(s.substring(lastColon + 1));
            } else {
                return false;
            }
        }
        return doubleColons <= 1 && groups <= 8 && (doubleColons == 1 || groups == 7);
    }
}
