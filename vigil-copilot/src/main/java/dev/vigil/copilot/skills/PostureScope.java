package dev.vigil.copilot.skills;

import dev.vigil.copilot.SkillResult;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.store.TenantStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the posture skills share: the tenant's assets by id, how an asset and a finding are named in prose and in
 * tables, and the scope sentence (inventory, analysis time, vulnerability knowledge) each answer ends with.
 */
final class PostureScope {
    private PostureScope() {}

    /** The inventory's assets by id. */
    static Map<String, Asset> assets(TenantStore store) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (Asset asset : store.posture().assets()) {
            assets.put(asset.id(), asset);
        }
        return assets;
    }

    /** {@code critical, internet-facing}: what makes the asset matter, as far as the inventory says. */
    static String traits(Asset asset) {
        List<String> traits = new ArrayList<>();
        traits.add(asset == null || asset.criticality() == null ? "criticality unknown"
                : asset.criticality().id());
        if (asset != null && asset.facesInternet()) {
            traits.add("internet-facing");
        }
        return String.join(", ", traits);
    }

    static String criticality(Asset asset) {
        return asset == null || asset.criticality() == null ? "" : asset.criticality().id();
    }

    static boolean internetFacing(Asset asset) {
        return asset != null && asset.facesInternet();
    }

    /** What a finding is about in a few words: the software for a vulnerability, else the title. */
    static String what(Finding finding) {
        return finding.isVulnerability() && finding.software() != null ? finding.subject() + " in "
                + finding.software() : finding.title() + (finding.subject().isEmpty() ? "" : ": " + finding.subject());
    }

    /** A row of a findings table; {@link #FINDING_COLUMNS} names its cells. */
    static List<Object> row(Finding finding, Map<String, Asset> assets) {
        Asset asset = finding.assetId() == null ? null : assets.get(finding.assetId());
        return java.util.Arrays.asList(finding.id(), finding.decision().label(),
                finding.assetId() == null ? "" : finding.assetId(), finding.kind(), finding.subject(),
                finding.software() == null ? finding.title() : finding.software(), finding.knownExploited(),
                Phrasing.day(finding.guidance().dueDate()),
                finding.guidance().fixedVersion() == null ? "" : finding.guidance().fixedVersion(),
                criticality(asset), internetFacing(asset), finding.risk(),
                finding.reasons().isEmpty() ? "" : finding.reasons().get(0));
    }

    static final List<String> FINDING_COLUMNS = List.of("finding", "decision", "asset", "kind", "subject", "what",
            "known_exploited", "kev_due", "fixed_version", "criticality", "internet_facing", "risk", "why");

    /** The evidence refs of a finding: itself and its asset. */
    static List<String> refs(Finding finding) {
        List<String> refs = new ArrayList<>(List.of("finding:" + finding.id()));
        if (finding.assetId() != null) {
            refs.add("asset:" + finding.assetId());
        }
        return refs;
    }

    /** Ends an answer with what it read, and records the same among the facts. */
    static void scope(SkillResult.Builder result, String tenant, PostureReport report, VulnKnowledge knowledge) {
        result.fact("analyzed_at", Phrasing.time(report.at())).fact("notes", report.notes());
        KnowledgeHints.kevFacts(result, knowledge);
        StringBuilder text = new StringBuilder("Scope: the inventory of tenant '" + tenant + "' (assets, software,"
                + " identities and services), analysed at " + Phrasing.time(report.at()) + " against "
                + (knowledge.isEmpty() ? "no vulnerability knowledge" : KnowledgeHints.kevName(knowledge)
                        + (knowledge.records().isEmpty() ? " without CVE or OSV records"
                                : " and the imported CVE and OSV records"))
                + ".");
        for (String note : report.notes()) {
            text.append(' ').append(Phrasing.capitalized(note)).append(note.endsWith(".") ? "" : ".");
        }
        result.paragraph(text.toString());
    }

    /** An EMPTY result for a tenant without inventory: nothing can be analysed until one is imported. */
    static SkillResult noInventory(SkillResult.Builder result, String tenant, String question) {
        return result.status(SkillResult.Status.EMPTY)
                .paragraph("Vigil cannot tell " + question + ": tenant '" + tenant + "' has no inventory (no assets,"
                        + " software, identities or services), neither imported nor observed in its events.")
                .paragraph("Import one with " + KnowledgeHints.IMPORT_INVENTORY + "; hosts and users seen in events"
                        + " are added when `vigil posture` runs.")
                .fact("assets", 0).followUp("what is our posture summary?").build();
    }
}
