package dev.vigil.posture.version;

import java.util.ArrayList;
import java.util.List;

/** See {@link Ecosystem#SEMVER}. */
final class SemanticVersions {
    private SemanticVersions() {}

    /** A parsed version: the three numbers (as digit strings) and the pre-release identifiers. */
    record Parsed(String major, String minor, String patch, List<String> preRelease) {}

    /** The version, or null when it is not semver (after the loose prefixes {@code v} and {@code =}). */
    static Parsed parse(String version) {
        String text = version.strip();
        while (!text.isEmpty() && (text.charAt(0) == 'v' || text.charAt(0) == 'V' || text.charAt(0) == '=')) {
            text = text.substring(1);
        }
        int plus = text.indexOf('+');
        if (plus >= 0) {
            String build = text.substring(plus + 1);
            if (!identifiers(build, false)) {
                return null;
            }
            text = text.substring(0, plus);
        }
        List<String> pre = List.of();
        int dash = text.indexOf('-');
        if (dash >= 0) {
            String preText = text.substring(dash + 1);
            if (!identifiers(preText, true)) {
                return null;
            }
            pre = List.of(preText.split("\\.", -1));
            text = text.substring(0, dash);
        }
        String[] core = text.split("\\.", -1);
        if (core.length != 3) {
            return null;
        }
        for (String number : core) {
            if (!isNumber(number) || number.length() > 1 && number.charAt(0) == '0') {
                return null;
            }
        }
        return new Parsed(core[0], core[1], core[2], pre);
    }

    private static boolean identifiers(String text, boolean noLeadingZeros) {
        if (text.isEmpty()) {
            return false;
        }
        for (String identifier : text.split("\\.", -1)) {
            if (identifier.isEmpty()) {
                return false;
            }
            for (int i = 0; i < identifier.length(); i++) {
                char c = identifier.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                    return false;
                }
            }
            if (noLeadingZeros && isNumber(identifier) && identifier.length() > 1 && identifier.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static int compare(String left, String right) {
        Parsed a = parse(left);
        Parsed b = parse(right);
        if (a == null || b == null) {
            return GenericVersions.compare(left, right);
        }
        int result = GenericVersions.compareNumbers(a.major(), b.major());
        if (result == 0) {
            result = GenericVersions.compareNumbers(a.minor(), b.minor());
        }
        if (result == 0) {
            result = GenericVersions.compareNumbers(a.patch(), b.patch());
        }
        if (result != 0) {
            return result;
        }
        // a version with a pre-release comes before the same version without one (spec item 11.3)
        if (a.preRelease().isEmpty() || b.preRelease().isEmpty()) {
            return Boolean.compare(a.preRelease().isEmpty(), b.preRelease().isEmpty());
        }
        List<String> x = new ArrayList<>(a.preRelease());
        List<String> y = new ArrayList<>(b.preRelease());
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            boolean nx = isNumber(x.get(i));
            boolean ny = isNumber(y.get(i));
            int c = nx && ny ? GenericVersions.compareNumbers(x.get(i), y.get(i))
                    : nx != ny ? (nx ? -1 : 1) : Integer.signum(x.get(i).compareTo(y.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
