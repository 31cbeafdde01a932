package dev.vigil.posture.vuln;

import dev.vigil.posture.version.Ecosystem;
import dev.vigil.posture.version.VersionRange;
import java.util.List;

/**
 * What one vulnerability record says is affected: a package (by package URL type and name), or a vendor's product
 * (normalized names), or a CPE, with the versions affected.
 *
 * @param packageId the package, or null when the record names a product only
 * @param vendor normalized vendor name ({@link Names#vendor}), or empty
 * @param product normalized product name ({@link Names#product}), or empty
 * @param cpe CPE match criteria (2.3 formatted string), or null
 * @param distribution the distribution a package range applies to ({@code debian:12}), or null for any
 * @param ecosystem how the ranges' versions are ordered
 * @param ranges affected ranges; empty with {@code allVersions} false means the record gives no version data
 * @param unaffected ranges excluded from the affected ones (CVE 5 "unaffected" entries)
 * @param allVersions whether every version is affected (CVE 5 {@code defaultStatus: affected} without ranges)
 * @param source where it came from: {@code cve5}, {@code cve5-cpe}, {@code osv}, and the record id
 */
public record Affected(PackageId packageId, String vendor, String product, String cpe, String distribution,
        Ecosystem ecosystem, List<VersionRange> ranges, List<VersionRange> unaffected, boolean allVersions,
        String source) {
    public Affected {
        vendor = vendor == null ? "" : vendor;
        product = product == null ? "" : product;
        ranges = List.copyOf(ranges);
        unaffected = List.copyOf(unaffected);
        ecosystem = ecosystem == null ? Ecosystem.GENERIC : ecosystem;
    }

    /** Whether the record says which versions are affected; without it only the product can be matched. */
    public boolean hasVersionData() {
        return allVersions || !ranges.isEmpty();
    }

    /** The range that holds the version, or null when it is not affected (or excluded as unaffected). */
    public VersionRange rangeOf(String version) {
        for (VersionRange excluded : unaffected) {
            if (excluded.contains(version, ecosystem)) {
                return null;
            }
        }
        for (VersionRange range : ranges) {
            if (range.contains(version, ecosystem)) {
                return range;
            }
        }
        return allVersions ? new VersionRange(null, true, null, false) : null;
    }

    /**
     * The lowest version that fixes an affected version: the fixed end of its range when newer ranges do not start
     * before it is reached; null when no range of the record says.
     */
    public String fixedVersionFor(String version) {
        VersionRange range = rangeOf(version);
        return range == null ? null : range.fixed();
    }
}
