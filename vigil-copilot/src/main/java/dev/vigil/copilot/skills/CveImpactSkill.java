package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.posture.Confidence;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.vuln.Cvss;
import dev.vigil.posture.vuln.EpssScore;
import dev.vigil.posture.vuln.KevEntry;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.posture.vuln.Vulnerability;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code cve-impact}: what a CVE is (title, description, CVSS, EPSS, CISA KEV status with its due date and required
 * action) and which of the tenant's assets it affects: the posture findings of that CVE, with each asset's
 * criticality and internet exposure, the SSVC decision and the remediation guidance.
 *
 * <p>A CVE the imported knowledge does not hold is answered EMPTY with the import command: Vigil does not guess at
 * what a CVE affects.
 */
final class CveImpactSkill implements Skill {
    static final String NAME = "cve-impact";
    private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");

    private static final SkillSpec SPEC = new SkillSpec(NAME, "posture",
            "Impact of a CVE on your organization: what it is (CVSS, EPSS, CISA KEV status, due date and required"
                    + " action) and which of your assets it affects, with their criticality, exposure and the"
                    + " remediation.",
            List.of("are we affected by CVE-2023-4966?", "impact of Citrix Bleed CVE-2023-4966",
                    "which hosts are vulnerable to CVE-2021-44228", "is CVE-2024-3400 known exploited?"),
            List.of(SkillInput.required("cve", EntityType.CVE, "a CVE id, e.g. CVE-2023-4966")));

    private final Workspace workspace;

    CveImpactSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    /** {@code cve-2023_4966} is {@code CVE-2023-4966}; anything else is refused with how to write one. */
    static String cveId(String text) {
        String id = text.strip().toUpperCase(Locale.ROOT).replaceAll("[\\u2010-\\u2015_]", "-");
        if (!CVE.matcher(id).matches()) {
            throw new VigilException(ErrorCode.USAGE, "'" + text.strip() + "' is not a CVE id",
                    "Write it as CVE-YEAR-NUMBER, e.g. CVE-2023-4966.", null);
        }
        return id;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read the posture");
        String cve = cveId(call.first("cve").orElseThrow());
        String tenant = workspace.store().tenant().value();
        VulnKnowledge knowledge = workspace.vulnerabilities().knowledge();
        PostureReport report = workspace.posture(context.now());
        Map<String, Asset> assets = PostureScope.assets(workspace.store());
        List<Vulnerability> records = knowledge.recordsOf(cve);
        KevEntry kev = knowledge.kev(cve);
        EpssScore epss = knowledge.epss(cve);
        List<Finding> findings = report.findings().stream().filter(f -> f.subject().equals(cve)).toList();
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant).fact("cve", cve)
                .subject(EntityType.CVE, cve);

        if (records.isEmpty() && kev == null && findings.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).fact("known", false)
                    .paragraph("Vigil knows nothing about " + cve + ": " + (knowledge.isEmpty()
                            ? "no vulnerability knowledge (CVE records, OSV entries, CISA KEV, EPSS) is imported in"
                                    + " this data directory"
                            : "no imported CVE record (CVE JSON) or OSV record and no entry of "
                                    + KnowledgeHints.kevName(knowledge) + " names it")
                            + ", so it cannot tell what it is or which of your assets it affects.")
                    .paragraph("Import its record with `vigil vulns import " + cve + ".json` (from"
                            + " github.com/CVEProject/cvelistV5) or the OSV entry that names it"
                            + (knowledge.kevEntries().isEmpty() ? ", and the KEV catalog with "
                                    + KnowledgeHints.IMPORT_VULNS : "") + "; then ask again.")
                    .followUp("what is our posture summary?").followUp("which known-exploited CVEs affect us?");
            PostureScope.scope(result, tenant, report, knowledge);
            return result.build();
        }
        Cvss cvss = records.stream().map(Vulnerability::cvss).filter(java.util.Objects::nonNull)
                .max(Comparator.comparing(Cvss::version)).orElse(null);
        String title = kev != null && !kev.name().isBlank() ? kev.name() : records.stream().map(Vulnerability::title)
                .filter(t -> !t.isBlank()).findFirst().orElse(findings.isEmpty() ? "" : findings.get(0).title());
        Set<String> affected = new LinkedHashSet<>();
        findings.forEach(f -> affected.add(f.assetId()));
        int inventory = report.counts().getOrDefault("assets", 0);

        StringBuilder opening = new StringBuilder(cve + (title.isBlank() ? "" : " (" + title + ")"));
        opening.append(kev != null ? " is known exploited" : " is not in " + KnowledgeHints.kevName(knowledge));
        if (affected.isEmpty() && inventory == 0) {
            opening.append("; Vigil cannot tell whether it affects you, because tenant '").append(tenant)
                    .append("' has no asset inventory yet (import one with `vigil inventory import`, or run `vigil"
                            + " posture` to take the software seen in events).");
            result.fact("inventory_empty", true);
        } else if (affected.isEmpty()) {
            opening.append(kev != null ? ", but it" : " and").append(" affects none of your ")
                    .append(count(inventory, "asset")).append(" as far as the inventory and the imported knowledge"
                            + " tell.");
        } else {
            opening.append(" and affects ").append(affected.size()).append(" of your ").append(count(inventory, "asset"))
                    .append(": ").append(and(findings.stream().map(f -> f.assetId() + " (" + PostureScope.traits(
                            assets.get(f.assetId())) + "; " + f.software() + ", " + f.decision().label() + ")")
                            .distinct().toList(), 6)).append('.');
        }
        result.paragraph(opening.toString());
        List<String> what = new ArrayList<>();
        String description = kev != null && !kev.shortDescription().isBlank() ? kev.shortDescription() : "";
        if (!description.isEmpty()) {
            what.add(description.endsWith(".") ? description : description + ".");
        }
        if (cvss != null) {
            what.add("CVSS " + cvss.version() + " base score " + cvss.score() + " (" + cvss.severity() + ").");
        }
        if (epss != null) {
            what.add("EPSS " + Phrasing.probability(epss.score()) + " (percentile "
                    + Phrasing.probability(epss.percentile()) + ")" + (epss.date().isEmpty() ? "" : " on "
                            + epss.date()) + ".");
        }
        if (!what.isEmpty()) {
            result.paragraph("What it is: " + String.join(" ", what));
        }
        if (kev != null) {
            result.paragraph("CISA added it to KEV on " + Phrasing.day(kev.dateAdded()) + (kev.dueDate() == null ? ""
                    : ", due " + Phrasing.day(kev.dueDate()) + (kev.dueDate().isBefore(java.time.LocalDate.ofInstant(
                            context.now(), java.time.ZoneOffset.UTC)) ? " (past due)" : ""))
                    + (kev.requiredAction().isBlank() ? "." : "; required action: " + kev.requiredAction())
                    + (kev.ransomware() ? " It is known to be used in ransomware campaigns." : ""));
        }
        if (!findings.isEmpty()) {
            StringBuilder steps = new StringBuilder("Remediation:");
            for (Finding finding : findings) {
                steps.append("\n- ").append(finding.assetId()).append(": ")
                        .append(String.join("; ", finding.guidance().steps()))
                        .append(finding.guidance().fixedVersion() == null ? "" : " (fixed in "
                                + finding.guidance().fixedVersion() + ")");
            }
            result.paragraph(steps.toString());
            if (findings.stream().anyMatch(f -> f.confidence() == Confidence.LOW)) {
                result.paragraph("The match is by product name only (low confidence): no imported CVE or OSV"
                        + " record gives the affected versions, so the installed version was not checked. Import"
                        + " its record with `vigil vulns import " + cve + ".json` to confirm.");
            }
        }
        PostureScope.scope(result, tenant, report, knowledge);

        result.table(new Table(cve, List.of("cve", "title", "cvss", "cvss_version", "epss", "epss_percentile",
                "kev_added", "kev_due", "ransomware", "required_action"), List.of(Arrays.asList(cve, title,
                cvss == null ? null : cvss.score(), cvss == null ? null : cvss.version(),
                epss == null ? null : Phrasing.probability(epss.score()),
                epss == null ? null : Phrasing.probability(epss.percentile()),
                kev == null ? null : Phrasing.day(kev.dateAdded()), kev == null ? null : Phrasing.day(kev.dueDate()),
                kev != null && kev.ransomware(), kev == null ? null : kev.requiredAction()))));
        result.table(new Table("Affected assets", List.of("asset", "software", "decision", "confidence",
                "criticality", "internet_facing", "fixed_version", "kev_due", "finding"), findings.stream()
                .map(f -> Arrays.<Object>asList(f.assetId(), f.software(), f.decision().label(), f.confidence().id(),
                        PostureScope.criticality(assets.get(f.assetId())),
                        PostureScope.internetFacing(assets.get(f.assetId())), f.guidance().fixedVersion(),
                        Phrasing.day(f.guidance().dueDate()), f.id())).toList()));

        result.fact("known", true).fact("title", title).fact("known_exploited", kev != null)
                .fact("affected_assets", List.copyOf(affected)).fact("affected_count", affected.size())
                .fact("findings", findings.size())
                .fact("assets", inventory);
        if (kev != null) {
            result.fact("kev_added", Phrasing.day(kev.dateAdded())).fact("kev_due", Phrasing.day(kev.dueDate()))
                    .fact("required_action", kev.requiredAction()).fact("ransomware", kev.ransomware())
                    .fact("description", description);
        }
        if (cvss != null) {
            result.fact("cvss", cvss.score());
        }
        if (epss != null) {
            result.fact("epss", epss.score()).fact("epss_date", epss.date());
        }
        findings.stream().map(Finding::decision).max(Comparator.naturalOrder())
                .ifPresent(d -> result.fact("decision", d.label()));

        List<String> knowledgeRefs = new ArrayList<>();
        if (!records.isEmpty()) {
            knowledgeRefs.add("cve:" + cve);
        }
        if (kev != null) {
            knowledgeRefs.add("kev:" + cve);
        }
        result.evidence("what " + cve + " is", knowledgeRefs);
        for (Finding finding : findings) {
            result.evidence(cve + " affects " + finding.assetId() + " (" + finding.software() + ")",
                    PostureScope.refs(finding));
            result.subject(EntityType.HOST, finding.assetId());
        }
        if (!affected.isEmpty()) {
            result.followUp("what is the exposure of " + affected.iterator().next() + "?");
            result.followUp("show the remediation plan for " + cve);
        } else {
            result.followUp("which known-exploited CVEs affect us?");
        }
        result.followUp("what is our posture summary?");
        return result.build();
    }
}
