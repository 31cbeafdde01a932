package dev.vigil.posture.vuln;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;

/**
 * An entry of CISA's Known Exploited Vulnerabilities catalog. KEV names a vendor and product but no versions, so it
 * enriches the CVE records that carry ranges; alone it can only match by product (with low confidence).
 *
 * @param ransomware whether CISA knows of its use in ransomware campaigns ({@code knownRansomwareCampaignUse})
 */
public record KevEntry(String cve, String vendorProject, String product, String name, LocalDate dateAdded,
        String shortDescription, String requiredAction, LocalDate dueDate, boolean ransomware, String notes,
        List<String> cwes, String source) {
    public KevEntry {
        requireNonNull(cve, "cve is null");
        vendorProject = vendorProject == null ? "" : vendorProject;
        product = product == null ? "" : product;
        name = name == null ? "" : name;
        shortDescription = shortDescription == null ? "" : shortDescription;
        requiredAction = requiredAction == null ? "" : requiredAction;
        notes = notes == null ? "" : notes;
        cwes = List.copyOf(cwes);
        source = source == null ? "" : source;
    }
}
