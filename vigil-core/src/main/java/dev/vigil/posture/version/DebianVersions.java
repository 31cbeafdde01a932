package dev.vigil.posture.version;

/**
 * dpkg's version comparison ({@code verrevcmp} in dpkg's {@code lib/dpkg/version.c}): the epoch as a number (absent
 * is 0), then the upstream version, then the Debian revision (after the last {@code -}; absent is {@code 0}). Within
 * each, non-digit runs compare character by character with letters before other characters and {@code ~} before
 * everything, even the end of the string ({@code 1.0~rc1 < 1.0}); digit runs compare as numbers.
 */
final class DebianVersions {
    private DebianVersions() {}

    static int compare(String left, String right) {
        String[] a = split(left.strip());
        String[] b = split(right.strip());
        int result = GenericVersions.compareNumbers(a[0], b[0]);
        if (result == 0) {
            result = verrevcmp(a[1], b[1]);
        }
        if (result == 0) {
            result = verrevcmp(a[2], b[2]);
        }
        return Integer.signum(result);
    }

    /** Epoch (digits), upstream version and revision. */
    private static String[] split(String version) {
        String epoch = "0";
        int colon = version.indexOf(':');
        if (colon > 0 && version.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = version.substring(0, colon);
            version = version.substring(colon + 1);
        }
        int dash = version.lastIndexOf('-');
        String revision = dash >= 0 ? version.substring(dash + 1) : "0";
        String upstream = dash >= 0 ? version.substring(0, dash) : version;
        return new String[] {epoch, upstream, revision};
    }

    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        } else if (Character.isLetter(c)) {
            return c;
        } else if (c == '~') {
            return -1;
        } else if (c != 0) {
            return c + 256;
        }
        return 0;
    }

    private static char at(String text, int index) {
        return index < text.length() ? text.charAt(index) : 0;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDifference = 0;
            while (i < a.length() && !digit(at(a, i)) || j < b.length() && !digit(at(b, j))) {
                int ac = order(at(a, i));
                int bc = order(at(b, j));
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (at(a, i) == '0') {
                i++;
            }
            while (at(b, j) == '0') {
                j++;
            }
            while (digit(at(a, i)) && digit(at(b, j))) {
                if (firstDifference == 0) {
                    firstDifference = at(a, i) - at(b, j);
                }
                i++;
                j++;
            }
            if (digit(at(a, i))) {
                return 1;
            }
            if (digit(at(b, j))) {
                return -1;
            }
            if (firstDifference != 0) {
                return firstDifference;
            }
        }
        return 0;
    }
}
