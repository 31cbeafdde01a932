package dev.vigil.posture.version;

import java.util.Locale;
import java.util.Set;

/** See {@link Ecosystem#GENERIC}. */
final class GenericVersions {
    /** Words that, trailing a version, name something released before it. */
    private static final Set<String> PRE_RELEASE = Set.of("alpha", "a", "beta", "b", "rc", "cr", "pre", "preview",
            "dev", "snapshot", "m", "milestone", "ea", "test");

    private GenericVersions() {}

    static int compare(String left, String right) {
        String a = left.strip().toLowerCase(Locale.ROOT);
        String b = right.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        int j = 0;
        while (true) {
            i = skipSeparators(a, i);
            j = skipSeparators(b, j);
            boolean aEnd = i >= a.length();
            boolean bEnd = j >= b.length();
            if (aEnd && bEnd) {
                return 0;
            }
            if (aEnd || bEnd) {
                // what remains on the longer side decides: a pre-release word makes it smaller, anything else larger
                String rest = aEnd ? b : a;
                int at = aEnd ? j : i;
                int sign = aEnd ? -1 : 1;
                if (isZeros(rest, at)) {
                    return 0;
                }
                return Character.isLetter(rest.charAt(at)) && PRE_RELEASE.contains(token(rest, at)) ? -sign : sign;
            }
            String ta = token(a, i);
            String tb = token(b, j);
            i += ta.length();
            j += tb.length();
            boolean na = Character.isDigit(ta.charAt(0));
            boolean nb = Character.isDigit(tb.charAt(0));
            int result;
            if (na && nb) {
                result = compareNumbers(ta, tb);
            } else if (na != nb) {
                // a number against a word: a pre-release word loses, any other word (a letter release) too
                result = na ? 1 : -1;
            } else {
                boolean pa = PRE_RELEASE.contains(ta);
                boolean pb = PRE_RELEASE.contains(tb);
                result = pa != pb ? (pa ? -1 : 1) : ta.compareTo(tb);
            }
            if (result != 0) {
                return result;
            }
        }
    }

    /** Whether only zeros and separators remain, so that {@code 1.0} equals {@code 1.0.0}. */
    private static boolean isZeros(String text, int from) {
        for (int k = from; k < text.length(); k++) {
            char c = text.charAt(k);
            if (Character.isLetterOrDigit(c) && c != '0') {
                return false;
            }
        }
        return true;
    }

    private static int skipSeparators(String text, int from) {
        while (from < text.length() && !Character.isLetterOrDigit(text.charAt(from))) {
            from++;
        }
        return from;
    }

    private static String token(String text, int from) {
        boolean digit = Character.isDigit(text.charAt(from));
        int end = from;
        while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))
                && Character.isDigit(text.charAt(end)) == digit) {
            end++;
        }
        return text.substring(from, end);
    }

    /** Digit strings compared as numbers of any length. */
    static int compareNumbers(String a, String b) {
        int i = 0;
        while (i < a.length() - 1 && a.charAt(i) == '0') {
            i++;
        }
        int j = 0;
        while (j < b.length() - 1 && b.charAt(j) == '0') {
            j++;
        }
        int lengths = Integer.compare(a.length() - i, b.length() - j);
        return lengths != 0 ? lengths : Integer.signum(a.substring(i).compareTo(b.substring(j)));
    }
}
