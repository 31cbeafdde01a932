package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.model.Role;
import dev.vigil.posture.Decision;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.store.PostureStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code posture-summary}: the tenant's posture in one answer: exposure score and trend, findings by SSVC decision,
 * how many are known exploited, the top risks and the first remediation step.
 */
final class PostureSummarySkill implements Skill {
    static final String NAME = "posture-summary";
    private static final int TOP_RISKS = 5;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "posture",
            "Summary of the security posture: exposure score and trend, findings by priority (Act, Attend, Track*,"
                    + " Track), known-exploited vulnerabilities and the top risks.",
            List.of("what is our security posture?", "posture summary", "how exposed are we?",
                    "what are our top risks"),
            List.of());

    private final Workspace workspace;

    PostureSummarySkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read the posture");
        String tenant = workspace.store().tenant().value();
        PostureReport report = workspace.posture(context.now());
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        Map<String, Integer> counts = report.counts();
        if (counts.getOrDefault("assets", 0) == 0 && counts.getOrDefault("identities", 0) == 0) {
            return PostureScope.noInventory(result, tenant, "the posture of tenant '" + tenant + "'");
        }
        Map<String, Asset> assets = PostureScope.assets(workspace.store());
        List<Finding> top = report.findings().stream().limit(TOP_RISKS).toList();
        int act = counts.get(Decision.ACT.label());
        int exploited = counts.get("known_exploited");
        result.paragraph("The exposure score of tenant '" + tenant + "' is " + Phrasing.score(report
                .organizationScore()) + " of 100 across " + count(counts.get("assets"), "asset") + " and "
                + count(counts.get("identities"), "identity", "identities") + ": " + count(counts.get("findings"),
                "finding") + ", " + act + " to act on now and " + exploited + " known exploited.");
        if (!top.isEmpty()) {
            result.paragraph("Top risks: " + and(top.stream().map(f -> PostureScope.what(f) + (f.assetId() == null
                    ? "" : " on " + f.assetId()) + " (" + f.decision().label() + ")").toList()) + ".");
        }
        result.paragraph("By decision: " + act + " Act, " + counts.get(Decision.ATTEND.label()) + " Attend, "
                + counts.get(Decision.TRACK_STAR.label()) + " Track* and " + counts.get(Decision.TRACK.label())
                + " Track.");
        if (!report.plan().isEmpty()) {
            result.paragraph("First remediation step: " + report.plan().get(0).action() + ".");
        }
        List<PostureStore.HistoryPoint> history = workspace.store().posture().history("organization", 30);
        AssetExposureSkill.trend(result, history, "the organization");
        PostureScope.scope(result, tenant, report, workspace.vulnerabilities().knowledge());

        Map<String, Long> byDecision = AssetExposureSkill.byDecision(report.findings());
        result.table(new Table("Findings by decision", List.of("decision", "findings"), byDecision.entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
        result.table(new Table("Top risks", PostureScope.FINDING_COLUMNS, top.stream()
                .map(f -> PostureScope.row(f, assets)).toList()));
        result.chart(new Chart(Chart.Kind.DONUT, "Findings by decision", List.copyOf(byDecision.keySet()),
                List.of(new Chart.Series("findings", byDecision.values().stream().map(Long::doubleValue).toList()))));
        if (history.size() >= 2) {
            result.chart(AssetExposureSkill.historyChart("Exposure score of the organization", history));
        }
        List<String> topRisks = new ArrayList<>();
        top.forEach(f -> topRisks.add(f.assetId() == null ? f.subject() : f.subject() + " on " + f.assetId()));
        result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets")).fact("identities", counts.get("identities"))
                .fact("findings", counts.get("findings")).fact("act", act)
                .fact("attend", counts.get(Decision.ATTEND.label()))
                .fact("track_star", counts.get(Decision.TRACK_STAR.label()))
                .fact("track", counts.get(Decision.TRACK.label())).fact("known_exploited", exploited)
                .fact("top_risks", topRisks).fact("plan_steps", report.plan().size());
        if (!report.plan().isEmpty()) {
            result.fact("first_step", report.plan().get(0).action());
        }
        for (Finding finding : top) {
            result.evidence(PostureScope.what(finding), PostureScope.refs(finding));
            if (finding.assetId() != null) {
                result.subject(EntityType.HOST, finding.assetId());
            }
        }
        top.stream().filter(Finding::isVulnerability).findFirst()
                .ifPresent(f -> result.followUp("what is the impact of " + f.subject() + "?"));
        result.followUp("what should we remediate first?");
        result.followUp("which identity weaknesses do we have?");
        result.followUp("which assets are most exposed?");
        return result.build();
    }
}
