package dev.vigil.posture.version;

/**
 * RPM's {@code rpmvercmp} (rpm 4.15+) over {@code [epoch:]version[-release]}: the epoch as a number (absent is 0),
 * the version, then the release when both sides have one (a bare version matches every release of it, as
 * {@code rpm -q --whatprovides} does). Separators are ignored; digit runs beat letter runs and compare as numbers;
 * {@code ~} sorts before everything, the end included ({@code 1.0~rc1 < 1.0}); {@code ^} sorts after the end but
 * before anything else ({@code 1.0 < 1.0^git1 < 1.0.1}).
 */
final class RpmVersions {
    private RpmVersions() {}

    static int compare(String left, String right) {
        String[] a = split(left.strip());
        String[] b = split(right.strip());
        int result = GenericVersions.compareNumbers(a[0], b[0]);
        if (result == 0) {
            result = rpmvercmp(a[1], b[1]);
        }
        if (result == 0 && a[2] != null && b[2] != null) {
            result = rpmvercmp(a[2], b[2]);
        }
        return result;
    }

    private static String[] split(String evr) {
        String epoch = "0";
        int colon = evr.indexOf(':');
        if (colon > 0 && evr.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = evr.substring(0, colon);
            evr = evr.substring(colon + 1);
        }
        int dash = evr.lastIndexOf('-');
        return dash >= 0 ? new String[] {epoch, evr.substring(0, dash), evr.substring(dash + 1)}
                : new String[] {epoch, evr, null};
    }

    private static boolean alnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static char at(String text, int index) {
        return index < text.length() ? text.charAt(index) : 0;
    }

    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
                i++;
            }
            while (j < b.length() && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
                j++;
            }
            if (at(a, i) == '~' || at(b, j) == '~') {
                if (at(a, i) != '~') {
                    return 1;
                }
                if (at(b, j) != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (at(a, i) == '^' || at(b, j) == '^') {
                if (i >= a.length()) {
                    return -1;
                }
                if (j >= b.length()) {
                    return 1;
                }
                if (at(a, i) != '^') {
                    return 1;
                }
                if (at(b, j) != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (i >= a.length() || j >= b.length()) {
                break;
            }
            boolean numeric = Character.isDigit(a.charAt(i));
            int si = i;
            int sj = j;
            while (i < a.length() && (numeric ? Character.isDigit(a.charAt(i)) : Character.isLetter(a.charAt(i)))) {
                i++;
            }
            while (j < b.length() && (numeric ? Character.isDigit(b.charAt(j)) : Character.isLetter(b.charAt(j)))) {
                j++;
            }
            if (sj == j) {
                // a number against letters: the number is newer
                return numeric ? 1 : -1;
            }
            String x = a.substring(si, i);
            String y = b.substring(sj, j);
            int result = numeric ? GenericVersions.compareNumbers(x, y) : Integer.signum(x.compareTo(y));
            if (result != 0) {
                return result;
            }
        }
        if (i >= a.length() && j >= b.length()) {
            return 0;
        }
        return i >= a.length() ? -1 : 1;
    }
}
