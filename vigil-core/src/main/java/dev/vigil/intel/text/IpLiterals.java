package dev.vigil.intel.text;

import java.util.Locale;

/** Validates IP address literals and writes them in one canonical form, so that equal addresses compare equal. */
final class IpLiterals {
    private IpLiterals() {}

    /**
     * The dotted quad in plain decimal, or null unless it is four parts of one to three digits, each at most 255.
     * Zero-padded parts ({@code 010}) are read as decimal, the way reports and logs that pad them mean it; inet_aton
     * would read them as octal, but a writer who means octal writes the four-digit {@code 0177}, which is rejected.
     */
    static String ipv4(String text) {
        StringBuilder canonical = new StringBuilder(15);
        int parts = 0;
        int start = 0;
        while (true) {
            int dot = text.indexOf('.', start);
            int end = dot < 0 ? text.length() : dot;
            int value = octet(text, start, end);
            if (value < 0) {
                return null;
            }
            if (parts++ > 0) {
                canonical.append('.');
            }
            canonical.append(value);
            if (dot < 0) {
                return parts == 4 ? canonical.toString() : null;
            }
            if (parts == 4) {
                return null;
            }
            start = dot + 1;
        }
    }

    private static int octet(String text, int start, int end) {
        if (end - start < 1 || end - start > 3) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    /**
     * The address in RFC 5952 form (lower-case, no leading zeros, the longest run of two or more zero groups
     * shortened to {@code ::}, IPv4-mapped addresses as {@code ::ffff:192.0.2.1}), or null if the text is not an
     * IPv6 address. The text carries no zone id and no brackets.
     */
    static String ipv6(String text) {
        int[] groups = parseIpv6(text);
        return groups == null ? null : format(groups);
    }

    private static int[] parseIpv6(String text) {
        if (text.length() < 2 || text.contains(":::")) {
            return null;
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        if (gap >= 0 && text.lastIndexOf('.') >= 0 && text.lastIndexOf('.') < gap) {
            return null; // a dotted quad may only end the address
        }
        int[] head = gap < 0 ? groups(text) : groups(text.substring(0, gap));
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int present = head.length + tail.length;
        if (gap < 0 ? present != 8 : present > 7) {
            return null;
        }
        int[] address = new int[8];
        System.arraycopy(head, 0, address, 0, head.length);
        System.arraycopy(tail, 0, address, 8 - tail.length, tail.length);
        return address;
    }

    /** The 16-bit groups of a colon-separated run; a final dotted quad counts as two groups. */
    private static int[] groups(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        boolean embeddedIpv4 = parts[parts.length - 1].indexOf('.') >= 0;
        int[] groups = new int[parts.length + (embeddedIpv4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && embeddedIpv4) {
                String ipv4 = ipv4(part);
                if (ipv4 == null) {
                    return null;
                }
                String[] octets = ipv4.split("\\.");
                groups[i] = Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]);
                groups[i + 1] = Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
                return groups;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = hexDigit(part.charAt(j));
                if (digit < 0) {
                    return null;
                }
                value = value << 4 | digit;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static String format(int[] groups) {
        boolean mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (groups[6] >> 8) + '.' + (groups[6] & 0xff) + '.' + (groups[7] >> 8) + '.'
                    + (groups[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }
}
