package dev.vigil.intel.text;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.text.Found.Kind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the indicators, CVE ids and ATT&amp;CK techniques in free text such as a threat report or an advisory.
 *
 * <p>Defanged forms are read as what they stand for: {@code hxxp}, {@code hXXps}, {@code hxtp}, {@code h**p},
 * {@code fxp}; {@code [.]}, {@code (.)}, {@code {.}}, {@code [dot]}, {@code (dot)}, with spaces inside or on both
 * sides ({@code evil [ . ] com}, but not {@code evil[.]com[.] Today}, the end of a sentence); {@code [:]},
 * {@code [://]}, {@code [/]}, {@code :\/\/} as JSON escapes it; {@code [@]}, {@code (@)}, {@code [at]};
 * {@code evil\.com} as regular expressions write it; the ideographic and full-width full stops
 * ({@code evil\u3002com}), which IDNA maps to a dot; zero-width characters and soft hyphens inside a name. A
 * bracketed dot or at-sign counts only between characters that can belong to a name. A name spelled with " dot "
 * counts only with three labels or more ({@code mail dot evil dot com}) or with an upper-case {@code DOT}, because
 * prose says "the dot com era"; " at " in words is never an at-sign. Each {@link Found} carries both the refanged
 * value and the text as written, with its offsets in the original.
 *
 * <p>What counts, and what is left out on purpose:
 * <ul>
 *   <li><b>URL</b>: an http, https, ftp, ftps, sftp, ws or wss URL whose host is an IP address or a domain under a
 *       known top-level domain; without a scheme ({@code evil.com/gate.php}) only the host is found. A URL ends at
 *       white space, quotes, angle brackets and square brackets, and at the first non-ASCII character; trailing
 *       {@code . , ; : ! ? *} and unbalanced closing parentheses are sentence punctuation, so {@code (https://x.io/a)}
 *       and a Markdown link give {@code https://x.io/a}.
 *   <li><b>EMAIL</b>: a mailbox at a domain under a known top-level domain, lower-cased whole.
 *   <li>A URL's host and an e-mail address's domain are also found on their own (DOMAIN, IPV4 or IPV6, at their
 *       offsets inside it), so that a match can use either. Other names and addresses inside a URL's path or query,
 *       or an e-mail address in a URL, are not found: they are part of the URL.
 *   <li><b>DOMAIN</b>: two labels or more under a top-level domain from {@code tlds.txt}, so {@code file.exe},
 *       {@code script.ps1}, {@code system32.dll}, {@code version 1.2.3} and {@code e.g.} are not domains. Top-level
 *       domains that are also file extensions or field names ({@code .zip}, {@code .mov}, {@code .py}, {@code .sh},
 *       {@code .md}, {@code .name}, {@code .id}...) count only when the name is defanged, is a URL's host or an
 *       e-mail domain, or starts with {@code www.}: {@code update.zip} is a file, {@code update[.]zip} a domain. Nor
 *       are three labels enough for them: field names such as {@code threat.technique.id} have three. A bare name
 *       whose top-level label is capitalized ({@code system.No}, {@code Microsoft.Windows}) is a run-on sentence or a
 *       namespace, not a domain, and a few technologies spelled like domains ({@code ASP.NET}, {@code System.IO})
 *       are technologies. All of these still count when defanged. A name glued to letters of another alphabet (a
 *       homograph such as {@code \u0430pple.com}) is not cut short into a different domain; names in Unicode are not
 *       recognized, only their punycode ({@code xn--...}) form. Inside Chinese, Japanese or Korean text, which puts
 *       no spaces around names, a name still counts.
 *   <li><b>IPV4</b>: four decimal parts of at most three digits, each at most 255; not part of a longer dotted
 *       run ({@code 1.2.3.4.5}, SNMP OIDs), and not a version unless defanged: not right after the word "version",
 *       "build" or "release", nor a product's version in a User-Agent ({@code Chrome/120.0.0.0}). Zero-padded parts are read as decimal ({@code 010} is 10); a four-digit part ({@code 0177}, the
 *       octal trick) is no address.
 *   <li><b>IPV6</b>: full, compressed, with an embedded IPv4 part or a zone id ({@code fe80::1%eth0}, dropped from
 *       the value). Times ({@code 12:30:45}) and MAC addresses are not addresses; an address must contain at least
 *       one decimal digit, so code such as {@code a::b} or {@code dead::beef} is not one.
 *   <li><b>CIDR</b>: an IPv4 or IPv6 address with a prefix length in range, reported instead of the address.
 *   <li><b>MD5, SHA1, SHA256</b>: a run of exactly 32, 40 or 64 hex digits not touching other letters or digits
 *       ({@code 0x...} literals and longer hex runs are not hashes), and not all digits or all letters.
 *   <li><b>CVE</b>: {@code CVE-YYYY-NNNN}, any case, with hyphens, en dashes or underscores, normalized to
 *       {@code CVE-2021-44228}; a sequence number of more than four digits may not start with zero.
 *   <li><b>ATTACK_TECHNIQUE</b>: an id {@code T1003} or {@code T1003.001} (upper-case T, as ATT&amp;CK writes it;
 *       {@code T1003/001} as in ATT&amp;CK's URLs is {@code T1003.001}; {@code T1003.1} is nothing), or a name from
 *       {@link TechniqueNames}: any case, whole words only ("Phishing" is not in "Spearphishing" nor in
 *       "anti-phishing"), the longest name first ("OS Credential Dumping: LSASS Memory" before "LSASS Memory"), a
 *       hyphen or a line break for a space ("pass-the-hash"). Names of fewer than four characters ("At", "SSH") and
 *       names that reports use as plain words ("Malware", "Tool", "Domains", "IP Addresses") are left out. A name
 *       inside another indicator does not count.
 * </ul>
 * Hashes, CVE ids and technique ids are found inside URLs (a VirusTotal or NVD link names them too) but not inside
 * domain names or e-mail addresses.
 *
 * <p>The result is in the order of the text, each kind and value once at its first occurrence.
 */
public final class TextIndicators {
    private TextIndicators() {}

    private static final String ASCII_URL_CHAR = "[\\x21-\\x7E&&[^<>\"'`{}|\\\\^\\[\\]]]";
    private static final Pattern URL = Pattern.compile("(?i)(?<![a-z0-9+.-])(?:https?|s?ftps?|wss?)://"
            + "(?:[a-z0-9._~%!$&*+,;=:-]*@)?"
            + "(?:\\[[0-9a-f:.]+(?:%[0-9a-z_]+)?\\](?::[0-9]{0,5})?|[a-z0-9._~:-]+)"
            + "(?:[/?#]" + ASCII_URL_CHAR + "*)?");
    private static final String URL_TRAILING_PUNCTUATION = ".,;:!?*";

    /**
     * A run of name characters with a dot inside, validated label by label afterwards. A run rather than a repeated
     * group, because Java's regular expressions recurse once per repetition of a group, and a hostile text of a
     * million labels would overflow the stack.
     */
    private static final String DOTTED_NAME = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]*[A-Za-z0-9_-]";

    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])"
            + "([A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?)@(" + DOTTED_NAME + ")");

    private static final Pattern IPV6 = Pattern.compile("(?<![A-Za-z0-9_:.])(?:[0-9A-Fa-f]{1,4}:|:){2,7}"
            + "(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(%[0-9A-Za-z_]+)?(?![A-Za-z0-9_:])");

    private static final Pattern IPV4 = Pattern.compile("(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]\\.)"
            + "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![A-Za-z0-9_]|\\.[A-Za-z0-9_])");
    private static final Pattern PREFIX_LENGTH = Pattern.compile("/(\\d{1,3})(?![0-9A-Za-z_])");
    private static final Set<String> VERSION_WORDS = Set.of("build", "firmware", "release", "rev", "revision", "v",
            "ver", "version", "versions");

    private static final String NOT_CJK = "[^\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}]";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?<![\\w.\\-\\p{L}\\p{N}&&" + NOT_CJK + "])" + DOTTED_NAME);

    /** Technologies whose names are spelled like domains; in a report they name the technology. */
    private static final Set<String> TECHNOLOGY_NAMES = Set.of("ado.net", "asp.net", "socket.io", "system.io",
            "vb.net");

    private static final Pattern HASH = Pattern.compile(
            "(?<![A-Za-z0-9])(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})(?![A-Za-z0-9])");

    private static final String DASH = "[-_\\u2010-\\u2015]";
    private static final Pattern CVE = Pattern.compile("(?i)(?<![A-Za-z0-9])CVE(?:" + DASH + "| )?((?:19|20)\\d{2})"
            + DASH + "(\\d{4,7})(?!\\d)");

    private static final Pattern TECHNIQUE_ID = Pattern.compile("(?<![A-Za-z0-9_.])(T(?:0[89]|1\\d)\\d{2})"
            + "(?:[./](\\d{3}))?(?![A-Za-z0-9_]|[./]\\d)");

    /** Finds indicators, CVE ids and technique ids; no technique names. */
    public static Extraction extract(String text) {
        return extract(text, TechniqueNames.none());
    }

    /**
     * Finds indicators, CVE ids and techniques, by id and by the given names.
     *
     * @param text any text; offsets in the result are {@code char} indexes into it
     * @param names the technique names to look for, such as {@code TechniqueNames.of(knowledge.techniqueNames())}
     */
    public static Extraction extract(String text, TechniqueNames names) {
        requireNonNull(text, "text is null");
        requireNonNull(names, "names is null");
        Scan scan = new Scan(RefangedText.of(text));
        scan.urls();
        scan.emails();
        scan.ipv6();
        scan.ipv4();
        scan.domains();
        scan.hashes();
        scan.cves();
        scan.techniqueIds();
        scan.techniqueNames(names instanceof MapTechniqueNames map ? map.matcher() : TechniqueNameMatcher.of(names));
        return scan.extraction();
    }

    /** One pass over one text. Spans are in the refanged text until they are reported. */
    private static final class Scan {
        private final RefangedText refanged;
        private final String text;
        private final List<Found> found = new ArrayList<>();
        /** Taken by a URL, an e-mail address, an address or a domain: no other of those may overlap it. */
        private final BitSet network = new BitSet();
        /** Domain names and e-mail addresses, also those inside URLs: no hash or id inside them. */
        private final BitSet names = new BitSet();
        /** Anything found: no technique name inside it. */
        private final BitSet any = new BitSet();

        Scan(RefangedText refanged) {
            this.refanged = refanged;
            this.text = refanged.text();
        }

        void urls() {
            Matcher matcher = URL.matcher(text);
            while (matcher.find()) {
                int start = matcher.start();
                int schemeEnd = text.indexOf("://", start) + 3;
                int end = trimUrl(start, schemeEnd, matcher.end());
                int authorityEnd = indexOfAny(text, "/?#", schemeEnd, end);
                int at = lastIndexOfAny(text, "@", schemeEnd, authorityEnd);
                int hostStart = at >= 0 ? at + 1 : schemeEnd;
                int hostEnd = hostStart < authorityEnd ? hostEnd(hostStart, authorityEnd) : -1;
                Found host = hostEnd > hostStart ? host(hostStart, hostEnd) : null;
                if (host == null) {
                    continue;
                }
                String value = text.substring(start, schemeEnd).toLowerCase(Locale.ROOT)
                        + text.substring(schemeEnd, hostStart)
                        + text.substring(hostStart, hostEnd).toLowerCase(Locale.ROOT)
                        + text.substring(hostEnd, end);
                add(Kind.URL, value, start, end, network);
                found.add(host);
                if (host.kind() == Kind.DOMAIN) {
                    names.set(hostStart, hostEnd);
                }
            }
        }

        /** Drops sentence punctuation and unbalanced closing parentheses from the end of a URL. */
        private int trimUrl(int start, int hostStart, int end) {
            int opening = count(start, end, '(');
            int closing = count(start, end, ')');
            while (end > hostStart) {
                char last = text.charAt(end - 1);
                if (URL_TRAILING_PUNCTUATION.indexOf(last) >= 0) {
                    end--;
                } else if (last == ')' && opening < closing) {
                    closing--;
                    end--;
                } else {
                    break;
                }
            }
            return end;
        }

        private int count(int start, int end, char c) {
            int count = 0;
            for (int i = start; i < end; i++) {
                if (text.charAt(i) == c) {
                    count++;
                }
            }
            return count;
        }

        /** Where the host ends before an optional port, or -1 if the port is not a number. */
        private int hostEnd(int hostStart, int authorityEnd) {
            int close = text.charAt(hostStart) == '[' ? indexOfAny(text, "]", hostStart, authorityEnd) : hostStart;
            if (close >= authorityEnd) {
                return -1;
            }
            int colon = indexOfAny(text, ":", close, authorityEnd);
            if (colon >= authorityEnd) {
                return authorityEnd;
            }
            for (int i = colon + 1; i < authorityEnd; i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9' || i - colon > 5) {
                    return -1;
                }
            }
            return colon;
        }

        /** A URL's host as a Found of its own, or null if it is neither an IP address nor a known domain. */
        private Found host(int start, int end) {
            String host = text.substring(start, end);
            if (host.startsWith("[")) {
                int zone = host.indexOf('%');
                String address = IpLiterals.ipv6(host.substring(1, zone < 0 ? host.length() - 1 : zone));
                return address == null ? null : found(Kind.IPV6, address, start + 1, end - 1);
            }
            if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                String address = IpLiterals.ipv4(host);
                return address == null ? null : found(Kind.IPV4, address, start, end);
            }
            String domain = DomainNames.normalize(host);
            if (domain == null) {
                return null;
            }
            return found(Kind.DOMAIN, domain, start, host.endsWith(".") ? end - 1 : end);
        }

        void emails() {
            Matcher matcher = EMAIL.matcher(text);
            while (matcher.find()) {
                int start = matcher.start();
                int end = matcher.end();
                if (overlaps(network, start, end) || matcher.group(1).contains("..")
                        || continuesAsWord(end)) {
                    continue;
                }
                String domain = DomainNames.normalize(matcher.group(2));
                if (domain == null) {
                    continue;
                }
                add(Kind.EMAIL, text.substring(start, end).toLowerCase(Locale.ROOT), start, end, network);
                names.set(start, end);
                add(Kind.DOMAIN, domain, matcher.start(2), end, network);
            }
        }

        void ipv6() {
            Matcher matcher = IPV6.matcher(text);
            while (matcher.find()) {
                int start = matcher.start();
                int addressEnd = matcher.group(1) == null ? matcher.end() : matcher.start(1);
                String written = text.substring(start, addressEnd);
                if (overlaps(network, start, matcher.end()) || written.chars().noneMatch(Character::isDigit)
                        || looksLikeHardwareAddress(written)) {
                    continue;
                }
                String address = IpLiterals.ipv6(written);
                if (address == null) {
                    continue;
                }
                Matcher prefix = PREFIX_LENGTH.matcher(text).region(matcher.end(), text.length());
                if (matcher.group(1) == null && prefix.lookingAt() && Integer.parseInt(prefix.group(1)) <= 128) {
                    add(Kind.CIDR, address + "/" + Integer.parseInt(prefix.group(1)), start, prefix.end(), network);
                } else {
                    add(Kind.IPV6, address, start, matcher.end(), network);
                }
            }
        }

        /** Eight groups of two hex digits, without a "::": an EUI-64 or a MAC address with a colon to spare. */
        private static boolean looksLikeHardwareAddress(String written) {
            return written.length() == 23 && !written.contains("::")
                    && written.chars().filter(c -> c == ':').count() == 7;
        }

        void ipv4() {
            Matcher matcher = IPV4.matcher(text);
            while (matcher.find()) {
                int start = matcher.start();
                int end = matcher.end();
                String address = IpLiterals.ipv4(matcher.group());
                boolean defanged = refanged.isRewritten(start, end);
                if (address == null || overlaps(network, start, end)
                        || (!defanged && isVersion(start))) {
                    continue;
                }
                Matcher prefix = PREFIX_LENGTH.matcher(text).region(end, text.length());
                if (prefix.lookingAt() && prefix.group(1).length() <= 2 && Integer.parseInt(prefix.group(1)) <= 32) {
                    add(Kind.CIDR, address + "/" + Integer.parseInt(prefix.group(1)), start, prefix.end(), network);
                } else {
                    add(Kind.IPV4, address, start, end, network);
                }
            }
        }

        /**
         * Whether a dotted quad is a version: after a word that introduces one ("version 1.2.3.4", "build: 10.0.0.1",
         * past spaces, a colon or an equals sign), or a product token's, as User-Agent strings write it
         * ("Chrome/120.0.0.0").
         */
        private boolean isVersion(int start) {
            if (start >= 2 && text.charAt(start - 1) == '/' && Character.isLetter(text.charAt(start - 2))) {
                return true;
            }
            int i = start;
            while (i > 0 && " \t:=".indexOf(text.charAt(i - 1)) >= 0) {
                i--;
            }
            if (i > 0 && text.charAt(i - 1) == '.') {
                i--; // "ver. 1.2.3.4"
            }
            int wordEnd = i;
            while (i > 0 && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            return VERSION_WORDS.contains(text.substring(i, wordEnd).toLowerCase(Locale.ROOT));
        }

        void domains() {
            Matcher matcher = DOMAIN.matcher(text);
            while (matcher.find()) {
                int start = matcher.start();
                int end = matcher.end();
                while (text.charAt(start) == '-' || text.charAt(start) == '_') {
                    start++; // a dash or an underscore before a name: "-evil.com", "__evil.com"
                }
                if (overlaps(network, start, end) || continuesAsWord(end)) {
                    continue;
                }
                String written = text.substring(start, end);
                String domain = DomainNames.normalize(written);
                if (domain == null) {
                    continue;
                }
                if (!refanged.isRewritten(start, end) && (TECHNOLOGY_NAMES.contains(domain)
                        || (DomainNames.isAmbiguousTopLevel(DomainNames.topLevel(domain)) && !domain.startsWith("www."))
                        || isCapitalized(written.substring(written.lastIndexOf('.') + 1)))) {
                    continue;
                }
                add(Kind.DOMAIN, domain, start, end, network);
                names.set(start, end);
            }
        }

        /** A letter or digit of an alphabetic script right after a name: a homograph, not the name's end. */
        private boolean continuesAsWord(int end) {
            if (end >= text.length()) {
                return false;
            }
            int c = text.codePointAt(end);
            if (!Character.isLetterOrDigit(c)) {
                return false;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            return script != Character.UnicodeScript.HAN && script != Character.UnicodeScript.HIRAGANA
                    && script != Character.UnicodeScript.KATAKANA && script != Character.UnicodeScript.HANGUL;
        }

        private static boolean isCapitalized(String label) {
            return label.length() >= 2 && Character.isUpperCase(label.charAt(0))
                    && label.substring(1).chars().allMatch(Character::isLowerCase);
        }

        void hashes() {
            Matcher matcher = HASH.matcher(text);
            while (matcher.find()) {
                String hex = matcher.group().toLowerCase(Locale.ROOT);
                boolean allDigits = hex.chars().allMatch(Character::isDigit);
                boolean allLetters = hex.chars().noneMatch(Character::isDigit);
                if (allDigits || allLetters || overlaps(names, matcher.start(), matcher.end())) {
                    continue;
                }
                Kind kind = switch (hex.length()) {
                    case 32 -> Kind.MD5;
                    case 40 -> Kind.SHA1;
                    default -> Kind.SHA256;
                };
                add(kind, hex, matcher.start(), matcher.end(), null);
            }
        }

        void cves() {
            Matcher matcher = CVE.matcher(text);
            while (matcher.find()) {
                String sequence = matcher.group(2);
                if ((sequence.length() > 4 && sequence.charAt(0) == '0')
                        || overlaps(names, matcher.start(), matcher.end())) {
                    continue;
                }
                add(Kind.CVE, "CVE-" + matcher.group(1) + "-" + sequence, matcher.start(), matcher.end(), null);
            }
        }

        void techniqueIds() {
            Matcher matcher = TECHNIQUE_ID.matcher(text);
            while (matcher.find()) {
                if (overlaps(names, matcher.start(), matcher.end())) {
                    continue;
                }
                String id = matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "." + matcher.group(2);
                add(Kind.ATTACK_TECHNIQUE, id, matcher.start(), matcher.end(), null);
            }
        }

        void techniqueNames(TechniqueNameMatcher matcher) {
            for (TechniqueNameMatcher.Match match : matcher.find(text)) {
                if (!overlaps(any, match.start(), match.end())) {
                    add(Kind.ATTACK_TECHNIQUE, match.id(), match.start(), match.end(), null);
                }
            }
        }

        private static boolean overlaps(BitSet taken, int start, int end) {
            int next = taken.nextSetBit(start);
            return next >= 0 && next < end;
        }

        private Found found(Kind kind, String value, int start, int end) {
            any.set(start, end);
            return new Found(kind, value, refanged.original(start, end), refanged.originalStart(start),
                    refanged.originalEnd(end));
        }

        private void add(Kind kind, String value, int start, int end, BitSet claim) {
            found.add(found(kind, value, start, end));
            if (claim != null) {
                claim.set(start, end);
            }
        }

        Extraction extraction() {
            List<Found> ordered = new ArrayList<>(found);
            ordered.sort(Comparator.comparingInt(Found::start).thenComparing(Found::kind));
            Set<String> seen = new HashSet<>();
            List<Found> distinct = new ArrayList<>();
            for (Found each : ordered) {
                if (seen.add(each.kind() + " " + each.value())) {
                    distinct.add(each);
                }
            }
            return new Extraction(distinct);
        }
    }

    /** The last index in {@code [from, to)} of one of the characters, or -1. */
    private static int lastIndexOfAny(String text, String chars, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The first index in {@code [from, to)} of one of the characters, or {@code to}. */
    private static int indexOfAny(String text, String chars, int from, int to) {
        for (int i = from; i < to; i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return to;
    }
}
