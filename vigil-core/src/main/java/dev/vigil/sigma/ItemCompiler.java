package dev.vigil.sigma;

import static dev.vigil.sigma.Modifier.*;

import dev.vigil.ingest.Addresses;
import dev.vigil.ingest.ParsedRecord;
import dev.vigil.ingest.Timestamps;
import dev.vigil.sigma.SigmaDocument.Item;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Compiles one detection item into a {@link Matcher}, applying its modifiers as the specification's appendix says:
 * encodings and placeholders turn each value into the texts to look for, {@code contains}/{@code startswith}/
 * {@code endswith} add wildcards, {@code all} joins values with AND, {@code neq} negates, and {@code cased} turns
 * off the default case-insensitivity. No regular expression is made unless the rule writes one ({@code re}).
 */
final class ItemCompiler {

    private ItemCompiler() {}

    /**
     * A compiled item. {@code literals} are texts of which an event must hold at least one in {@code field}
     * (lower-cased unless {@code cased}) for the item to match; empty when the item gives no such guarantee.
     */
    record Compiled(Item item, String field, Matcher matcher, List<String> literals, boolean cased) {}

    /**
     * @param fields maps the rule's field names to stored ones
     * @throws IllegalArgumentException naming what cannot be compiled (an unknown placeholder, a bad regex or CIDR)
     */
    static Compiled compile(Item item, UnaryOperator<String> fields, Placeholders placeholders) {
        String field = item.field() == null ? null : fields.apply(item.field());
        List<Modifier> mods = item.modifiers();
        boolean cased = mods.contains(CASED);
        boolean all = mods.contains(ALL);
        boolean neq = mods.contains(NEQ);

        if (mods.contains(EXISTS)) {
            boolean wanted = ((SigmaValue.Bool) item.values().getFirst()).value();
            return new Compiled(item, field, e -> e.has(field) == wanted, List.of(), cased);
        }
        if (item.values().size() == 1 && item.values().getFirst() instanceof SigmaValue.Null) {
            return new Compiled(item, field, e -> e.text(field) == null, List.of(), cased);
        }
        List<Matcher> perValue = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        if (mods.contains(FIELDREF)) {
            for (SigmaValue v : item.values()) {
                perValue.add(fieldRef(field, fields.apply(v.asText()), mods, cased));
            }
        } else if (mods.contains(CIDR)) {
            List<Cidr> networks = new ArrayList<>();
            for (SigmaValue v : item.values()) {
                networks.add(Cidr.parse(v.asText()));
            }
            for (Cidr network : networks) {
                perValue.add(e -> network.contains(e.text(field)));
            }
        } else if (mods.stream().anyMatch(Modifier::isTimePart)) {
            Modifier part = mods.stream().filter(Modifier::isTimePart).findFirst().orElseThrow();
            Modifier comparison = mods.stream().filter(Modifier::isComparison).findFirst().orElse(null);
            for (SigmaValue v : item.values()) {
                BigDecimal wanted = new BigDecimal(v.asText().trim());
                perValue.add(e -> {
                    Long p = timePart(e.text(field), part);
                    return p != null && compare(BigDecimal.valueOf(p), comparison, wanted);
                });
            }
        } else if (mods.stream().anyMatch(Modifier::isComparison)) {
            Modifier comparison = mods.stream().filter(Modifier::isComparison).findFirst().orElseThrow();
            for (SigmaValue v : item.values()) {
                BigDecimal wanted = new BigDecimal(v.asText().trim());
                perValue.add(e -> {
                    BigDecimal actual = number(e.text(field));
                    return actual != null && compare(actual, comparison, wanted);
                });
            }
        } else if (mods.contains(RE)) {
            int flags = (mods.contains(I) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
                    | (mods.contains(M) ? Pattern.MULTILINE : 0) | (mods.contains(S) ? Pattern.DOTALL : 0);
            for (SigmaValue v : item.values()) {
                Pattern pattern;
                try {
                    pattern = Pattern.compile(v.asText(), flags);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("the regular expression '" + v.asText() + "' is not valid: "
                            + e.getDescription() + " near index " + e.getIndex());
                }
                BoundedRegex regex = new BoundedRegex(pattern);
                perValue.add(field == null ? keyword(regex::find, true)
                        : e -> {
                            String text = e.text(field);
                            return text != null && regex.find(text);
                        });
            }
        } else {
            for (StringPattern p : patterns(item, placeholders, cased)) {
                literals.add(p.requiredLiteral());
                perValue.add(field == null ? keyword(p::matches, cased)
                        : cased ? e -> {
                            String text = e.text(field);
                            return text != null && p.matches(text);
                        } : e -> {
                            String text = e.lower(field);
                            return text != null && p.matches(text);
                        });
            }
        }
        Matcher combined = all ? Matcher.and(perValue) : Matcher.or(perValue);
        if (neq) {
            Matcher positive = combined;
            combined = e -> !positive.test(e);
        }
        boolean indexable = !neq && !all && !literals.isEmpty() && literals.stream().noneMatch(String::isEmpty);
        if (all && !neq && !literals.isEmpty()) {
            // every value must be present: the longest one alone is a sound requirement
            String longest = literals.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
            return new Compiled(item, field, combined, longest.isEmpty() ? List.of() : List.of(longest), cased);
        }
        return new Compiled(item, field, combined, indexable ? List.copyOf(literals) : List.of(), cased);
    }

    /** The string patterns of an item's values, after placeholders, encodings and wildcard modifiers. */
    static List<StringPattern> patterns(Item item, Placeholders placeholders, boolean cased) {
        List<Modifier> mods = item.modifiers();
        boolean windash = mods.contains(WINDASH);
        boolean encoded = mods.stream().anyMatch(Modifier::isEncoding);
        List<StringPattern> out = new ArrayList<>();
        for (SigmaValue v : item.values()) {
            List<String> texts = mods.contains(EXPAND) ? placeholders.expand(v.asText()) : List.of(v.asText());
            for (String text : texts) {
                if (encoded) {
                    for (String variant : encode(text, mods)) {
                        out.add(shape(StringPattern.compile(variant, false, windash, cased), mods));
                    }
                } else {
                    out.add(shape(StringPattern.compile(text, true, windash, cased), mods));
                }
            }
        }
        return out;
    }

    private static StringPattern shape(StringPattern p, List<Modifier> mods) {
        if (mods.contains(CONTAINS)) {
            return p.wrap(true, true);
        }
        if (mods.contains(STARTSWITH)) {
            return p.wrap(false, true);
        }
        if (mods.contains(ENDSWITH)) {
            return p.wrap(true, false);
        }
        return p;
    }

    /** Applies the encoding modifiers in order; base64offset makes three variants. */
    static List<String> encode(String text, List<Modifier> mods) {
        if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0) {
            throw new IllegalArgumentException("'" + text + "' holds a wildcard, which cannot be encoded;"
                    + " drop the wildcard and use contains");
        }
        List<byte[]> values = List.of(text.getBytes(StandardCharsets.UTF_8));
        boolean textual = true;
        List<String> result = null;
        for (Modifier m : mods) {
            switch (m) {
                case UTF16LE, WIDE -> values = values.stream().map(b -> utf16(b, StandardCharsets.UTF_16LE, false)).toList();
                case UTF16BE -> values = values.stream().map(b -> utf16(b, StandardCharsets.UTF_16BE, false)).toList();
                case UTF16 -> values = values.stream().map(b -> utf16(b, StandardCharsets.UTF_16LE, true)).toList();
                case BASE64 -> {
                    result = values.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
                    values = result.stream().map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();
                    textual = true;
                }
                case BASE64OFFSET -> {
                    List<String> variants = new ArrayList<>();
                    for (byte[] b : values) {
                        variants.addAll(base64Offsets(b));
                    }
                    result = variants;
                    values = result.stream().map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();
                }
                default -> { }
            }
            if (m == UTF16LE || m == WIDE || m == UTF16BE || m == UTF16) {
                textual = false;
                result = null;
            }
        }
        if (result != null) {
            return result;
        }
        // utf16 without base64: the bytes as characters (each byte one char), as a raw-bytes field would hold them
        java.nio.charset.Charset charset = textual ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        return values.stream().map(b -> new String(b, charset)).toList();
    }

    private static byte[] utf16(byte[] utf8, java.nio.charset.Charset charset, boolean bom) {
        byte[] encoded = new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
        if (!bom) {
            return encoded;
        }
        byte[] out = new byte[encoded.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(encoded, 0, out, 2, encoded.length);
        return out;
    }

    /**
     * The three ways a value looks when base64-encoded at byte offsets 0, 1 and 2 of a longer text, with the
     * characters that depend on the neighbouring bytes cut off (as pySigma and the Sigma appendix describe).
     */
    static List<String> base64Offsets(byte[] value) {
        int[] start = {0, 2, 3};
        List<String> out = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[value.length + i];
            java.util.Arrays.fill(shifted, 0, i, (byte) ' ');
            System.arraycopy(value, 0, shifted, i, value.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            int endCut = switch ((value.length + i) % 3) {
                case 0 -> 0;
                case 1 -> 3;
                default -> 2;
            };
            int end = encoded.length() - endCut;
            out.add(start[i] < end ? encoded.substring(start[i], end) : "");
        }
        return out;
    }

    private static Matcher keyword(java.util.function.Predicate<String> test, boolean cased) {
        return e -> {
            for (String name : e.fields().keySet()) {
                String text = cased ? e.text(name) : e.lower(name);
                if (text != null && test.test(text)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Matcher fieldRef(String field, String other, List<Modifier> mods, boolean cased) {
        return e -> {
            String a = cased ? e.text(field) : e.lower(field);
            String b = cased ? e.text(other) : e.lower(other);
            if (a == null || b == null) {
                return false;
            }
            if (mods.contains(CONTAINS)) {
                return a.contains(b);
            }
            if (mods.contains(STARTSWITH)) {
                return a.startsWith(b);
            }
            if (mods.contains(ENDSWITH)) {
                return a.endsWith(b);
            }
            return a.equals(b);
        };
    }

    private static boolean compare(BigDecimal actual, Modifier comparison, BigDecimal wanted) {
        int c = actual.compareTo(wanted);
        if (comparison == null) {
            return c == 0;
        }
        return switch (comparison) {
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
            default -> throw new IllegalStateException(comparison.name());
        };
    }

    private static BigDecimal number(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String s = text.trim();
        try {
            if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
                return new BigDecimal(new java.math.BigInteger(s.substring(2), 16));
            }
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long timePart(String text, Modifier part) {
        long micros = Timestamps.parseMicros(text);
        if (micros == ParsedRecord.UNKNOWN_TIME) {
            return null;
        }
        ZonedDateTime t = Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)).atZone(ZoneOffset.UTC);
        return (long) switch (part) {
            case MINUTE -> t.getMinute();
            case HOUR -> t.getHour();
            case DAY -> t.getDayOfMonth();
            case WEEK -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTH -> t.getMonthValue();
            case YEAR -> t.getYear();
            default -> throw new IllegalStateException(part.name());
        };
    }

    /**
     * A rule's regular expression, matched with a step budget. Java's engine backtracks, so a hostile or careless
     * pattern ({@code (a+)+$}) can take exponential time on one field; past the budget the match is abandoned as
     * failed, and the first time a pattern runs out it is logged, so one rule cannot stall ingest.
     */
    static final class BoundedRegex {
        /** Character reads allowed per character of text, and a floor for short texts. */
        static final int STEPS_PER_CHAR = 200;
        static final int MIN_STEPS = 20_000;

        private final Pattern pattern;
        private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

        BoundedRegex(Pattern pattern) {
            this.pattern = pattern;
        }

        boolean find(String text) {
            try {
                return pattern.matcher(new Budgeted(text, MIN_STEPS + (long) STEPS_PER_CHAR * text.length())).find();
            } catch (BudgetExceeded e) {
                if (reported.compareAndSet(false, true)) {
                    org.slf4j.LoggerFactory.getLogger(ItemCompiler.class).warn("the regular expression '{}' ran out of"
                            + " its step budget on a {}-character value and was taken as not matching; rewrite it"
                            + " without nested quantifiers", pattern.pattern(), text.length());
                }
                return false;
            }
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** The text, counting reads down from a budget shared by its sub-sequences. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final long[] left;

        Budgeted(String text, long budget) {
            this(text, new long[] {budget});
        }

        private Budgeted(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new BudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** An IPv4 or IPv6 network. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String s = text.trim();
            int slash = s.indexOf('/');
            String address = slash < 0 ? s : s.substring(0, slash);
            if (Addresses.normalizeIp(address) == null) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR range such as 10.0.0.0/8 or fe80::/10");
            }
            try {
                byte[] bytes = InetAddress.getByName(Addresses.normalizeIp(address)).getAddress();
                int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.."
                            + bytes.length * 8);
                }
                return new Cidr(bytes, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR range such as 10.0.0.0/8 or fe80::/10");
            }
        }

        boolean contains(String text) {
            if (text == null) {
                return false;
            }
            String ip = Addresses.normalizeIp(text);
            if (ip == null) {
                return false;
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(ip).getAddress(); // a literal: no name lookup
            } catch (UnknownHostException e) {
                return false;
            }
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
