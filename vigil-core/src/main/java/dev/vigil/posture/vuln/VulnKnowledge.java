package dev.vigil.posture.vuln;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The vulnerability knowledge of a data directory: CVE 5 and OSV records, the KEV catalog and EPSS scores. It is
 * public knowledge, shared by the data directory's tenants like ATT&amp;CK.
 *
 * <p>Imports are incremental ({@link #merge}): a record replaces the stored one of the same id only when it is at
 * least as recent ({@code dateUpdated} / {@code modified}), so importing yesterday's full dump after today's delta
 * loses nothing; a KEV entry replaces the stored one of its CVE unless it comes from an older catalog; an EPSS score
 * replaces an older-dated one. The same KEV entry or EPSS score read from another file counts as unchanged. Records
 * rejected at their source are removed.
 *
 * <p>Not thread-safe: built by one thread, then read.
 */
public final class VulnKnowledge {
    private final Map<String, Vulnerability> records = new TreeMap<>();
    private final Map<String, KevEntry> kev = new TreeMap<>();
    private final Map<String, EpssScore> epss = new HashMap<>();
    private String kevCatalogVersion = "";

    /** Counts of one merge. */
    public record MergeCounts(int added, int updated, int unchanged, int older, int removed) {
        MergeCounts plus(MergeCounts other) {
            return new MergeCounts(added + other.added, updated + other.updated, unchanged + other.unchanged,
                    older + other.older, removed + other.removed);
        }
    }

    public MergeCounts merge(VulnImport imported) {
        int[] counts = new int[5];
        for (Vulnerability record : imported.vulnerabilities()) {
            Vulnerability before = records.get(record.id());
            if (before == null) {
                counts[0]++;
                records.put(record.id(), record);
            } else if (before.sameContentAs(record)) {
                counts[2]++; // the same record read again, perhaps from another copy of the file
            } else if (record.modified().compareTo(before.modified()) >= 0) {
                counts[1]++;
                records.put(record.id(), record);
            } else {
                counts[3]++;
            }
        }
        for (String id : imported.withdrawn()) {
            if (records.remove(id) != null) {
                counts[4]++;
            }
        }
        // Catalog versions are dates (2025.08.25): an older catalog imported after a newer one adds the entries it
        // alone has but replaces none, and the catalog stays the newer one, which --kev-since reports.
        boolean olderCatalog = !imported.catalogVersion().isEmpty() && !kevCatalogVersion.isEmpty()
                && imported.catalogVersion().compareTo(kevCatalogVersion) < 0;
        for (KevEntry entry : imported.kev()) {
            KevEntry before = kev.get(entry.cve());
            if (before == null) {
                counts[0]++;
                kev.put(entry.cve(), entry);
            } else if (before.equals(sourced(entry, before.source()))) {
                counts[2]++; // the same entry read from another file is not an update
            } else if (olderCatalog) {
                counts[3]++;
            } else {
                counts[1]++;
                kev.put(entry.cve(), entry);
            }
        }
        if (!imported.catalogVersion().isEmpty() && !olderCatalog) {
            kevCatalogVersion = imported.catalogVersion();
        }
        for (EpssScore score : imported.epss()) {
            EpssScore before = epss.get(score.cve());
            if (before == null) {
                counts[0]++;
                epss.put(score.cve(), score);
            } else if (before.equals(new EpssScore(score.cve(), score.score(), score.percentile(), score.date(),
                    before.source()))) {
                counts[2]++;
            } else if (score.date().compareTo(before.date()) >= 0) {
                counts[1]++;
                epss.put(score.cve(), score);
            } else {
                counts[3]++;
            }
        }
        return new MergeCounts(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private static KevEntry sourced(KevEntry entry, String source) {
        return new KevEntry(entry.cve(), entry.vendorProject(), entry.product(), entry.name(), entry.dateAdded(),
                entry.shortDescription(), entry.requiredAction(), entry.dueDate(), entry.ransomware(), entry.notes(),
                entry.cwes(), source);
    }

    public Collection<Vulnerability> records() {
        return records.values();
    }

    /** The records about a CVE: its own CVE 5 record and the OSV records that name it as an alias. */
    public List<Vulnerability> recordsOf(String cve) {
        List<Vulnerability> found = new ArrayList<>();
        for (Vulnerability record : records.values()) {
            if (record.cve().equals(cve) || record.id().equals(cve)) {
                found.add(record);
            }
        }
        return found;
    }

    public KevEntry kev(String cve) {
        return kev.get(cve);
    }

    public Collection<KevEntry> kevEntries() {
        return kev.values();
    }

    public String kevCatalogVersion() {
        return kevCatalogVersion;
    }

    public EpssScore epss(String cve) {
        return epss.get(cve);
    }

    public Collection<EpssScore> epssScores() {
        return epss.values();
    }

    /** Counts for a summary: records by format, KEV entries, EPSS scores. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Vulnerability record : records.values()) {
            counts.merge(record.format(), 1, Integer::sum);
        }
        counts.put("kev", kev.size());
        counts.put("epss", epss.size());
        return counts;
    }

    public boolean isEmpty() {
        return records.isEmpty() && kev.isEmpty() && epss.isEmpty();
    }
}
