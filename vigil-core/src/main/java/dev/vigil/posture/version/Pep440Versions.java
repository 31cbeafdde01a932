package dev.vigil.posture.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 versions, with the specification's normalizations ({@code 1.0alpha1} is {@code 1.0a1}, {@code 1.0-1} is
 * {@code 1.0.post1}, {@code 1.0c1} is {@code 1.0rc1}). Order: epoch, release (trailing zeros ignored), then
 * {@code .devN} of a release before its pre-releases, pre-releases (a &lt; b &lt; rc) before the release, the release,
 * post-releases after it; a local version ({@code +ubuntu1}) sorts after the same public version.
 */
final class Pep440Versions {
    /** The regular expression of PEP 440's appendix, verbatim apart from Java's syntax. */
    private static final Pattern VERSION = Pattern.compile("""
            v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)\
            (?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?\
            (?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?\
            (?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?)(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?""");

    private Pep440Versions() {}

    record Parsed(BigInteger epoch, List<BigInteger> release, int prePhase, BigInteger pre, BigInteger post,
            BigInteger dev, List<String> local) {}

    static Parsed parse(String version) {
        Matcher m = VERSION.matcher(version.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        while (release.size() > 1 && release.get(release.size() - 1).signum() == 0) {
            release.remove(release.size() - 1);
        }
        int phase = -1;
        BigInteger pre = null;
        if (m.group("pre") != null) {
            phase = switch (m.group("prel")) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2; // rc, c, pre, preview
            };
            pre = number(m.group("pren"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = number(m.group("postn1") != null ? m.group("postn1") : m.group("postn2"));
        }
        BigInteger dev = m.group("dev") != null ? number(m.group("devn")) : null;
        List<String> local = m.group("local") == null ? List.of() : List.of(m.group("local").split("[-_.]"));
        return new Parsed(epoch, release, phase, pre, post, dev, local);
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    static int compare(String left, String right) {
        Parsed a = parse(left);
        Parsed b = parse(right);
        if (a == null || b == null) {
            return GenericVersions.compare(left, right);
        }
        int result = a.epoch().compareTo(b.epoch());
        if (result != 0) {
            return result;
        }
        for (int i = 0; i < Math.max(a.release().size(), b.release().size()); i++) {
            BigInteger x = i < a.release().size() ? a.release().get(i) : BigInteger.ZERO;
            BigInteger y = i < b.release().size() ? b.release().get(i) : BigInteger.ZERO;
            result = x.compareTo(y);
            if (result != 0) {
                return result;
            }
        }
        result = Double.compare(preKey(a), preKey(b));
        if (result == 0 && a.prePhase() >= 0) {
            result = a.pre().compareTo(b.pre());
        }
        if (result != 0) {
            return result;
        }
        result = compareOptional(a.post(), b.post(), -1);
        if (result != 0) {
            return result;
        }
        result = compareOptional(a.dev(), b.dev(), 1);
        if (result != 0) {
            return result;
        }
        return compareLocal(a.local(), b.local());
    }

    /** The pre-release phase as a sort key: a lone {@code .devN} before every pre-release, none after them all. */
    private static double preKey(Parsed version) {
        if (version.prePhase() >= 0) {
            return version.prePhase();
        }
        return version.post() == null && version.dev() != null ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Compares optional numbers, where absent sorts below ({@code absent = -1}) or above ({@code 1}) any number. */
    private static int compareOptional(BigInteger a, BigInteger b, int absent) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? absent : -absent;
        }
        return a.compareTo(b);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            boolean na = a.get(i).chars().allMatch(Character::isDigit);
            boolean nb = b.get(i).chars().allMatch(Character::isDigit);
            int result = na && nb ? new BigInteger(a.get(i)).compareTo(new BigInteger(b.get(i)))
                    : na != nb ? (na ? 1 : -1) : Integer.signum(a.get(i).compareTo(b.get(i)));
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
