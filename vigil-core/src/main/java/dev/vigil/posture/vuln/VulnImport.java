package dev.vigil.posture.vuln;

import java.util.List;

/**
 * What one file gave: vulnerability records, KEV entries or EPSS scores, and the problems found, each naming where
 * ({@code file:line} for CSV, {@code file: /json/pointer} or {@code file:line:column} for JSON).
 *
 * @param format {@code cve5}, {@code osv}, {@code kev-json}, {@code kev-csv}, {@code epss}, or null if unrecognized
 * @param problem why the whole file could not be read, or null
 * @param rejected entries skipped with their reason
 * @param withdrawn ids of records rejected or withdrawn at their source, to be removed from the knowledge
 */
public record VulnImport(String source, String format, List<Vulnerability> vulnerabilities, List<KevEntry> kev,
        List<EpssScore> epss, String catalogVersion, List<String> rejected, List<String> withdrawn, String problem) {
    public VulnImport {
        vulnerabilities = List.copyOf(vulnerabilities);
        kev = List.copyOf(kev);
        epss = List.copyOf(epss);
        catalogVersion = catalogVersion == null ? "" : catalogVersion;
        rejected = List.copyOf(rejected);
        withdrawn = List.copyOf(withdrawn);
    }

    /** A file that gave nothing, and why; {@code format} is null when it was not recognized. */
    public static VulnImport problem(String source, String format, String problem) {
        return new VulnImport(source, format, List.of(), List.of(), List.of(), null, List.of(), List.of(), problem);
    }

    public int records() {
        return vulnerabilities.size() + kev.size() + epss.size();
    }
}
