package dev.vigil.posture.version;

/**
 * An interval of versions, either bound open (null); the form common to CVE 5 ({@code version} ..
 * {@code lessThan}/{@code lessThanOrEqual}), OSV ({@code introduced} .. {@code fixed}/{@code last_affected}) and
 * NVD CPE matches ({@code versionStart/EndIncluding/Excluding}). An exact version is a range from it to it, both
 * included.
 *
 * @param start the lowest version in the range, or null for no lower bound ({@code 0} and {@code *} mean none too)
 * @param end the version where the range ends, or null for no upper bound
 */
public record VersionRange(String start, boolean startInclusive, String end, boolean endInclusive) {
    public VersionRange {
        start = unbounded(start) ? null : start.strip();
        end = end == null || end.isBlank() || end.equals("*") ? null : end.strip();
    }

    private static boolean unbounded(String bound) {
        return bound == null || bound.isBlank() || bound.equals("0") || bound.equals("*");
    }

    public static VersionRange exactly(String version) {
        return new VersionRange(version, true, version, true);
    }

    /** From {@code introduced} (included) to {@code fixed} (excluded). */
    public static VersionRange fixedIn(String introduced, String fixed) {
        return new VersionRange(introduced, true, fixed, false);
    }

    public boolean contains(String version, Ecosystem ecosystem) {
        if (start != null) {
            int c = ecosystem.compare(version, start);
            if (c < 0 || c == 0 && !startInclusive) {
                return false;
            }
        }
        if (end != null) {
            int c = ecosystem.compare(version, end);
            return c < 0 || c == 0 && endInclusive;
        }
        return true;
    }

    /** The version that fixes what this range affects: its excluded end; null when the end is included or open. */
    public String fixed() {
        return end != null && !endInclusive ? end : null;
    }

    public boolean isExact() {
        return start != null && start.equals(end) && startInclusive && endInclusive;
    }

    /** {@code >= 2.0-beta9, < 2.3.1}, the form shown as evidence. */
    @Override
    public String toString() {
        if (isExact()) {
            return "= " + start;
        }
        String low = start == null ? "" : (startInclusive ? ">= " : "> ") + start;
        String high = end == null ? "" : (endInclusive ? "<= " : "< ") + end;
        return low.isEmpty() && high.isEmpty() ? "all versions" : low.isEmpty() ? high : high.isEmpty() ? low
                : low + ", " + high;
    }
}
