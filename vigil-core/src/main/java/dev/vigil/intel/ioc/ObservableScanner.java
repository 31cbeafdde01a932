package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.util.function.IntConsumer;

/**
 * Finds the observable values in a field's text and looks them up in an index.
 *
 * <p>Every address, domain, URL and e-mail address holds a {@code .}, a {@code :} or an {@code @}, so the text is
 * searched for those characters ({@link String#indexOf(int)}, which the JVM vectorizes), and only the word around each
 * is looked at: a word runs between separators (spaces, quotes, brackets, commas, {@code ;}, {@code =}, {@code |},
 * backslashes), except that a word holding {@code ://} is a URL and runs to the next space or quote. A word is taken
 * as the one kind of value its characters allow, learnt while finding its end: an IPv4 address (also with a port),
 * an IPv6 address (also in brackets or with a zone), a URL, an e-mail address, or a domain (letters, digits,
 * {@code -}, {@code _} and dots, the last label not a number); a trailing dot or colon (the end of a sentence, a
 * label) is dropped, a colon before a name or address ends a label ({@code IP:203.0.113.7}), and the host before a
 * path is taken as a URL's without its scheme ({@code evil.example/gate.php}). Digests hold none of the three characters: a value that is a hex digest of 32, 40, 64 or 128
 * digits is one, and so is such a run of hex digits right after an {@code =} (Sysmon's
 * {@code SHA1=..,MD5=..,SHA256=..}, CEF's {@code fileHash=..}). So addresses in a syslog message, URLs in a
 * command line and digests in Sysmon's hash lists are found, at a cost that grows with the words that may be values,
 * not with the text.
 *
 * <p>Texts longer than {@link #MAX_TEXT} characters are not searched: they are documents, not fields. Nothing is
 * allocated unless a URL is normalized or a value hits. Confined to one thread.
 */
final class ObservableScanner implements IntConsumer {
    /** Longest text searched. */
    static final int MAX_TEXT = 16_384;
    /** Longest single word taken as an observable (the longest URL browsers keep is about this). */
    static final int MAX_VALUE = 4096;

    // character classes, one bit each
    private static final int SEPARATOR = 1;
    private static final int DIGIT = 1 << 1;
    private static final int HEX_LETTER = 1 << 2;
    private static final int LETTER = 1 << 3;
    private static final int DOT = 1 << 4;
    private static final int COLON = 1 << 5;
    private static final int AT = 1 << 6;
    private static final int DASH = 1 << 7;
    private static final int SLASH = 1 << 8;
    private static final int BRACKET = 1 << 9;
    private static final int PLUS = 1 << 10;
    private static final int OTHER = 1 << 11;
    private static final int URL_END = 1 << 12;
    private static final int[] CLASS = new int[128];

    static {
        for (int c = 0; c < 128; c++) {
            CLASS[c] = OTHER;
        }
        for (char c : " \t\n\r\"'<>(){},;|=`\\".toCharArray()) {
            CLASS[c] = SEPARATOR;
        }
        for (char c : " \t\n\r\"'<>`|".toCharArray()) {
            CLASS[c] |= URL_END;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = c <= 'f' ? HEX_LETTER : LETTER;
            CLASS[Character.toUpperCase(c)] = c <= 'f' ? HEX_LETTER : LETTER;
        }
        CLASS['.'] = DOT;
        CLASS[':'] = COLON;
        CLASS['@'] = AT;
        CLASS['-'] = DASH;
        CLASS['_'] = DASH;
        CLASS['/'] = SLASH;
        CLASS['['] = BRACKET;
        CLASS[']'] = BRACKET;
        CLASS['%'] = BRACKET;
        CLASS['+'] = PLUS;
    }

    private static final int ADDRESS_CHARS = DIGIT | DOT;
    private static final int DOMAIN_CHARS = DIGIT | HEX_LETTER | LETTER | DOT | DASH;
    private static final int IPV6_CHARS = DIGIT | HEX_LETTER | COLON | DOT | BRACKET | LETTER; // letters: a zone

    /** Receives a hit: the indicator's ordinal and where in the text the value that hit is. */
    interface Hit {
        void hit(int ordinal, int from, int to);
    }

    private final IndicatorIndex index;
    private final long[] ipv6 = new long[2];
    private final int[] ipv6Groups = new int[16];
    private char[] chars = new char[256];
    private Hit hit;
    private int from;
    private int to;

    ObservableScanner(IndicatorIndex index) {
        this.index = requireNonNull(index, "index is null");
    }

    /** Scans one value with a fresh scanner. */
    static void scanValue(IndicatorIndex index, String value, Hit hit) {
        new ObservableScanner(index).scan(value, hit);
    }

    @Override
    public void accept(int ordinal) {
        hit.hit(ordinal, from, to);
    }

    private static int classOf(char c) {
        return c < 128 ? CLASS[c] : OTHER;
    }

    /** Looks up every value in the text. */
    void scan(String text, Hit hits) {
        this.hit = hits;
        int n = text.length();
        if (n < 4 || n > MAX_TEXT) {
            return;
        }
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        char[] s = chars;
        // the vectorized searches of the string first: most values hold no trigger and are done with here
        int dot = text.indexOf('.');
        int colon = text.indexOf(':');
        boolean digestList = n >= 33 && text.indexOf('=') >= 0;
        boolean digest = IndicatorType.hashOfLength(n) != null;
        if (dot < 0 && colon < 0 && !digest && !digestList) {
            return;
        }
        text.getChars(0, n, s, 0); // loops over an array run faster than charAt's checks
        if (digest && isHex(s, 0, n)) {
            from = 0;
            to = n;
            index.lookupDigest(s, 0, n, this);
            return;
        }
        if (digestList) {
            digests(text, s, n);
        }
        int at = dot < 0 ? -1 : text.indexOf('@'); // an e-mail address has a dot after its at sign
        int done = 0; // the words before this were looked at
        while (dot >= 0 || colon >= 0 || at >= 0) {
            int trigger = min(dot, min(colon, at));
            if (trigger >= done) {
                done = word(s, n, trigger);
            }
            if (dot >= 0 && dot < done) {
                dot = text.indexOf('.', done);
            }
            if (colon >= 0 && colon < done) {
                colon = text.indexOf(':', done);
            }
            if (at >= 0 && at < done) {
                at = text.indexOf('@', done);
            }
        }
    }

    /**
     * Looks at the word around {@code trigger}, the first {@code .}, {@code :} or {@code @} in it (an earlier one
     * would have been its trigger), and returns where it ends.
     */
    private int word(char[] s, int n, int trigger) {
        char t = s[trigger];
        int after = trigger + 1 < n ? classOf(s[trigger + 1]) : SEPARATOR;
        if ((after & SEPARATOR) != 0) {
            return trigger + 1; // the end of a sentence or of a label ("Source Address:")
        }
        // What may stand before the first trigger of a word: a label before a dot, a local part before an at sign;
        // before a colon, a URL's scheme ("://" follows) or an IPv6 address's first group (up to four hex digits).
        // Anything else (a timestamp's "12:", a Windows path's "C:") is no value; its other triggers are looked at
        // on their own and fail the same way at once.
        boolean scheme = t == ':' && trigger + 2 < n && s[trigger + 1] == '/' && s[trigger + 2] == '/';
        int allowed = t == '.' ? DIGIT | HEX_LETTER | LETTER | DASH
                : t == '@' ? DIGIT | HEX_LETTER | LETTER | DASH | PLUS | DOT
                : scheme ? DIGIT | HEX_LETTER | LETTER | DASH | PLUS | DOT
                : DIGIT | HEX_LETTER | BRACKET;
        int longest = t == ':' && !scheme ? 5 : 256;
        int union = 0;
        int start = trigger;
        while (start > 0) {
            int c = classOf(s[start - 1]);
            // a colon before a dot or an at sign ends a label ("IP:203.0.113.7", "from:bob@evil.example")
            if ((c & SEPARATOR) != 0 || c == COLON && t != ':') {
                break;
            }
            if ((c & allowed) == 0 || trigger - start >= longest) {
                return trigger + 1;
            }
            union |= c;
            start--;
        }
        int dots = 0;
        int lastDot = -1;
        int colons = 0;
        int firstColon = -1;
        int lastAt = -1;
        int firstSlash = -1;
        boolean url = false;
        int end = trigger;
        while (end < n) {
            char ch = s[end];
            int c = classOf(ch);
            if (url ? (c & URL_END) != 0 : (c & SEPARATOR) != 0) {
                break;
            }
            union |= c;
            if ((c & (DOT | COLON | AT)) != 0) {
                if (c == DOT) {
                    dots++;
                    lastDot = end;
                } else if (c == AT) {
                    lastAt = end;
                } else {
                    if (colons++ == 0) {
                        firstColon = end;
                    }
                    if (!url && end > start && end + 2 < n && s[end + 1] == '/' && s[end + 2] == '/') {
                        url = true;
                    }
                }
            } else if (c == SLASH && firstSlash < 0) {
                firstSlash = end;
            }
            end++;
        }
        int done = end;
        // a trailing dot or colon ends a sentence or a label; drop it (and recount, rarely)
        while (end > start && (s[end - 1] == '.' || s[end - 1] == ':')) {
            end--;
            if (s[end] == '.') {
                dots--;
                lastDot = -1;
                for (int i = end - 1; i >= start; i--) {
                    if (s[i] == '.') {
                        lastDot = i;
                        break;
                    }
                }
            } else {
                colons--;
                firstColon = colons == 0 ? -1 : firstColon;
            }
        }
        int length = end - start;
        if (length < 4 || length > MAX_VALUE) {
            return done;
        }
        if (url) {
            url(s, start, end);
            return done;
        }
        if (firstSlash > start && lastAt < 0 && t == '.') {
            host(s, start, firstSlash); // a URL without its scheme ("evil.example/gate.php"), a network, a path
            return done;
        }
        from = start;
        to = end;
        if ((union & ~ADDRESS_CHARS) == 0 || union == (ADDRESS_CHARS | COLON) && colons == 1) {
            long address = IndicatorValues.ipv4(s, start, colons == 1 ? firstColon : end);
            if (address >= 0 && (colons == 0 || isDigits(s, firstColon + 1, end))) {
                to = colons == 1 ? firstColon : end;
                index.lookupIpv4(address, this);
            }
            return done;
        }
        if (colons >= 2 && (union & ~IPV6_CHARS) == 0) {
            if (colons >= 6 || hasDoubleColon(s, start, end)) {
                ipv6(s, start, end);
            }
            return done;
        }
        if (lastAt > start && colons == 0 && lastDot > lastAt && (union & ~(DOMAIN_CHARS | AT | PLUS)) == 0) {
            index.lookupEmail(s, start, end, this);
            return done;
        }
        if (dots > 0 && (union & ~DOMAIN_CHARS) == 0 && lastDot > start && lastDot < end - 1
                && (union & (LETTER | HEX_LETTER)) != 0 && !isDigits(s, lastDot + 1, end)) {
            index.lookupDomain(s, start, end, this);
        }
        return done;
    }

    /** The host before a path: an IPv4 address (also with a port) or a domain. */
    private void host(char[] s, int start, int end) {
        int union = 0;
        int dots = 0;
        int lastDot = -1;
        int colon = -1;
        for (int i = start; i < end; i++) {
            int c = classOf(s[i]);
            union |= c;
            if (c == DOT) {
                dots++;
                lastDot = i;
            } else if (c == COLON && colon < 0) {
                colon = i;
            }
        }
        int hostEnd = colon > start ? colon : end;
        from = start;
        to = hostEnd;
        if ((union & ~(ADDRESS_CHARS | COLON)) == 0) {
            long address = IndicatorValues.ipv4(s, start, hostEnd);
            if (address >= 0) {
                index.lookupIpv4(address, this);
            }
        } else if (dots > 0 && (union & ~(DOMAIN_CHARS | COLON)) == 0 && lastDot > start && lastDot < hostEnd - 1
                && !isDigits(s, lastDot + 1, hostEnd)) {
            index.lookupDomain(s, start, hostEnd, this);
        }
    }

    private static boolean hasDoubleColon(char[] s, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (s[i] == ':' && s[i - 1] == ':') {
                return true;
            }
        }
        return false;
    }

    /** The smaller of two positions, -1 standing for none. */
    private static int min(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * The digests of a {@code key=value} list: each run of hex digits of a digest's length right after an
     * {@code =} and not followed by a letter or digit ({@code SHA1=...,MD5=...}, CEF's {@code fileHash=...}).
     */
    private void digests(String text, char[] s, int n) {
        for (int equals = text.indexOf('='); equals >= 0; equals = text.indexOf('=', equals + 1)) {
            int end = equals + 1;
            while (end < n && end - equals <= 129 && (classOf(s[end]) & (DIGIT | HEX_LETTER)) != 0) {
                end++;
            }
            if (IndicatorType.hashOfLength(end - equals - 1) != null
                    && (end == n || (classOf(s[end]) & (DIGIT | HEX_LETTER | LETTER)) == 0)) {
                from = equals + 1;
                to = end;
                index.lookupDigest(s, equals + 1, end, this);
            }
        }
    }

    private static boolean isHex(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((classOf(s[i]) & (DIGIT | HEX_LETTER)) == 0) {
                return false;
            }
        }
        return true;
    }

    private void ipv6(char[] s, int start, int end) {
        int a = start;
        int b = end;
        if (s[a] == '[') {
            int close = indexOf(s, ']', a, end);
            if (close < 0) {
                return;
            }
            a++;
            b = close;
        }
        int zone = indexOf(s, '%', a, b);
        if (zone >= 0) {
            b = zone;
        }
        if (!IndicatorValues.parseIpv6(s, a, b, ipv6, ipv6Groups)) {
            return;
        }
        from = a;
        to = b;
        if (ipv6[0] == 0 && (ipv6[1] >>> 32) == 0xFFFFL) {
            index.lookupIpv4(ipv6[1] & 0xFFFF_FFFFL, this);
        } else {
            index.lookupIpv6(ipv6[0], ipv6[1], this);
        }
    }

    /** A URL: its normal form and its host. */
    private void url(char[] s, int start, int end) {
        from = start;
        to = end;
        String normal;
        try {
            normal = IndicatorValues.normalizeUrl(new String(s, start, end - start));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (index.hasUrls()) {
            index.lookupNormalUrl(normal, this);
        }
        int hostStart = normal.indexOf("://") + 3;
        int hostEnd = hostStart;
        while (hostEnd < normal.length() && normal.charAt(hostEnd) != '/' && normal.charAt(hostEnd) != '?') {
            hostEnd++;
        }
        int at = normal.lastIndexOf('@', hostEnd - 1);
        if (at >= hostStart) {
            hostStart = at + 1;
        }
        if (hostStart < normal.length() && normal.charAt(hostStart) == '[') {
            int close = normal.indexOf(']', hostStart);
            if (close > 0 && IndicatorValues.parseIpv6(normal, hostStart + 1, close, ipv6, ipv6Groups)) {
                index.lookupIpv6(ipv6[0], ipv6[1], this);
            }
            return;
        }
        int colon = normal.indexOf(':', hostStart);
        if (colon >= 0 && colon < hostEnd) {
            hostEnd = colon;
        }
        char[] host = normal.substring(hostStart, hostEnd).toCharArray();
        long address = IndicatorValues.ipv4(host, 0, host.length);
        if (address >= 0) {
            index.lookupIpv4(address, this);
        } else {
            index.lookupDomain(host, 0, host.length, this);
        }
    }

    private static int indexOf(char[] s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigits(char[] s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
