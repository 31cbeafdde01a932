package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.model.Role;
import dev.vigil.posture.Decision;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.store.PostureStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code asset-exposure}: how exposed one host is (its findings, exposure score, criticality, internet exposure and
 * score history), or without a host, the organization (its score and trend, the most exposed assets, finding counts),
 * with a chart of findings per asset or of the score's history.
 *
 * <p>Scores are computed now from the stored inventory; the history holds the scores that earlier runs of
 * {@code vigil posture} recorded, so the trend compares with the last of them.
 */
final class AssetExposureSkill implements Skill {
    static final String NAME = "asset-exposure";
    private static final int TOP_ASSETS = 5;
    private static final int HISTORY = 30;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "posture",
            "Exposure of a host (its vulnerabilities, known-exploited CVEs, weaknesses, exposure score, criticality"
                    + " and internet exposure) or of the whole organization (score, trend and most exposed assets).",
            List.of("how exposed is gw01?", "what vulnerabilities does web01 have", "which assets are most exposed?",
                    "what is our exposure score trend?"),
            List.of(SkillInput.optional("host", EntityType.HOST, "the host; the whole organization when absent")));

    private final Workspace workspace;

    AssetExposureSkill(Workspace workspace) {
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
        VulnKnowledge knowledge = workspace.vulnerabilities().knowledge();
        Map<String, Asset> assets = PostureScope.assets(workspace.store());
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        if (report.counts().getOrDefault("assets", 0) == 0) {
            return PostureScope.noInventory(result, tenant, "how exposed " + call.first("host").orElse("your assets")
                    + (call.first("host").isPresent() ? " is" : " are"));
        }
        if (call.first("host").isPresent()) {
            host(result, call.first("host").get().strip(), report, assets, tenant);
        } else {
            organization(result, report, assets, tenant);
        }
        PostureScope.scope(result, tenant, report, knowledge);
        return result.build();
    }

    private void host(SkillResult.Builder result, String host, PostureReport report, Map<String, Asset> assets,
            String tenant) {
        String id = Asset.key(host);
        Asset asset = assets.get(id);
        List<Finding> findings = report.findings().stream().filter(f -> id.equals(f.assetId())).toList();
        result.fact("host", id);
        if (asset == null && findings.isEmpty()) {
            List<String> known = report.assetScores().keySet().stream().limit(TOP_ASSETS).toList();
            result.status(SkillResult.Status.EMPTY)
                    .paragraph("No asset named '" + host + "' is in the inventory of tenant '" + tenant + "', so Vigil"
                            + " has no exposure for it. The inventory holds " + count(assets.size(), "asset")
                            + (known.isEmpty() ? "" : ", among them " + and(known)) + ".")
                    .paragraph("If it is one of yours, import it with " + KnowledgeHints.IMPORT_INVENTORY + ".")
                    .fact("assets", assets.size()).fact("known_assets", known);
            known.stream().limit(2).forEach(a -> result.followUp("how exposed is " + a + "?"));
            return;
        }
        double score = report.assetScores().getOrDefault(id, 0.0);
        long exploited = findings.stream().filter(Finding::knownExploited).count();
        long vulnerabilities = findings.stream().filter(Finding::isVulnerability).count();
        String name = asset == null ? id : asset.hostname();
        StringBuilder opening = new StringBuilder(name + " has an exposure score of " + Phrasing.score(score)
                + " of 100");
        if (findings.isEmpty()) {
            opening.append(": no finding exposes it.");
        } else {
            opening.append(" from ").append(count(findings.size(), "finding"))
                    .append(exploited == 0 ? "" : ", " + exploited + " of them known exploited").append(": ")
                    .append(and(findings.stream().map(f -> PostureScope.what(f) + " (" + f.decision().label() + ")")
                            .toList(), 5)).append('.');
        }
        result.paragraph(opening.toString());
        List<String> about = new ArrayList<>();
        about.add("It is " + PostureScope.traits(asset));
        if (asset != null && asset.os() != null) {
            about.add("runs " + asset.os() + (asset.osVersion() == null ? "" : " " + asset.osVersion()));
        }
        if (asset != null && asset.owner() != null) {
            about.add("is owned by " + asset.owner());
        }
        result.paragraph(String.join(", ", about) + ".");
        List<Finding> kev = findings.stream().filter(f -> f.guidance().dueDate() != null).toList();
        if (!kev.isEmpty()) {
            result.paragraph("Known exploited, with CISA's due dates: " + and(kev.stream().map(f -> f.subject()
                    + " (due " + Phrasing.day(f.guidance().dueDate()) + ")").toList()) + ".");
        }
        List<PostureStore.HistoryPoint> history = workspace.store().posture().history("asset:" + id, HISTORY);
        trend(result, history, "it");
        result.table(new Table("Findings of " + id, PostureScope.FINDING_COLUMNS, findings.stream()
                .map(f -> PostureScope.row(f, assets)).toList()));
        Map<String, Long> byDecision = byDecision(findings);
        if (history.size() >= 2) {
            result.chart(historyChart("Exposure score of " + id, history));
        } else {
            result.chart(new Chart(Chart.Kind.BAR, "Findings of " + id + " by decision",
                    List.copyOf(byDecision.keySet()), List.of(new Chart.Series("findings", byDecision.values()
                            .stream().map(Long::doubleValue).toList()))));
        }
        result.fact("score", Phrasing.oneDecimal(score)).fact("score_out_of", 100).fact("findings", findings.size())
                .fact("known_exploited", exploited).fact("vulnerabilities", vulnerabilities)
                .fact("weaknesses", findings.size() - vulnerabilities).fact("decisions", byDecision)
                .fact("criticality", PostureScope.criticality(asset))
                .fact("internet_facing", PostureScope.internetFacing(asset));
        result.evidence(id + " is in the inventory", List.of("asset:" + id));
        findings.forEach(f -> result.evidence(PostureScope.what(f), PostureScope.refs(f)));
        result.subject(EntityType.HOST, id);
        findings.stream().filter(Finding::isVulnerability).forEach(f -> result.subject(EntityType.CVE, f.subject()));
        findings.stream().filter(Finding::isVulnerability).findFirst()
                .ifPresent(f -> result.followUp("what is the impact of " + f.subject() + "?"));
        result.followUp("show the remediation plan for " + id);
        result.followUp("show the recent alerts on " + id);
    }

    private void organization(SkillResult.Builder result, PostureReport report, Map<String, Asset> assets,
            String tenant) {
        Map<String, Integer> counts = report.counts();
        Map<String, Long> findingsPerAsset = new LinkedHashMap<>();
        report.assetScores().keySet().forEach(id -> findingsPerAsset.put(id, report.findings().stream()
                .filter(f -> id.equals(f.assetId())).count()));
        List<String> top = report.assetScores().entrySet().stream().filter(e -> e.getValue() > 0).limit(TOP_ASSETS)
                .map(Map.Entry::getKey).toList();
        StringBuilder opening = new StringBuilder("The exposure score of tenant '" + tenant + "' is "
                + Phrasing.score(report.organizationScore()) + " of 100 across " + count(counts.get("assets"), "asset"));
        if (top.isEmpty()) {
            opening.append("; no finding exposes any of them.");
        } else {
            opening.append("; the most exposed ").append(top.size() == 1 ? "is " : "are ")
                    .append(and(top.stream().map(id -> id + " (" + Phrasing.score(report.assetScores().get(id)) + ", "
                            + count(findingsPerAsset.get(id), "finding") + ")").toList())).append('.');
        }
        result.paragraph(opening.toString());
        result.paragraph(Phrasing.capitalized(count(counts.get("findings"), "finding")) + ": "
                + counts.get(Decision.ACT.label()) + " Act, " + counts.get(Decision.ATTEND.label()) + " Attend, "
                + counts.get(Decision.TRACK_STAR.label()) + " Track* and " + counts.get(Decision.TRACK.label())
                + " Track; " + counts.get("known_exploited") + " known exploited.");
        List<PostureStore.HistoryPoint> history = workspace.store().posture().history("organization", HISTORY);
        trend(result, history, "the organization");
        List<List<Object>> rows = new ArrayList<>();
        report.assetScores().forEach((id, score) -> {
            Asset asset = assets.get(id);
            long exploited = report.findings().stream().filter(f -> id.equals(f.assetId()) && f.knownExploited())
                    .count();
            rows.add(List.of(id, Phrasing.oneDecimal(score), findingsPerAsset.get(id), exploited,
                    PostureScope.criticality(asset), PostureScope.internetFacing(asset)));
        });
        result.table(new Table("Assets by exposure", List.of("asset", "score", "findings", "known_exploited",
                "criticality", "internet_facing"), rows));
        List<String> charted = findingsPerAsset.keySet().stream().limit(10).toList();
        result.chart(new Chart(Chart.Kind.BAR, "Findings per asset", charted, List.of(new Chart.Series("findings",
                charted.stream().map(id -> findingsPerAsset.get(id).doubleValue()).toList()))));
        if (history.size() >= 2) {
            result.chart(historyChart("Exposure score of the organization", history));
        }
        result.fact("score", Phrasing.oneDecimal(report.organizationScore())).fact("score_out_of", 100)
                .fact("assets", counts.get("assets"))
                .fact("findings", counts.get("findings")).fact("known_exploited", counts.get("known_exploited"))
                .fact("act", counts.get(Decision.ACT.label())).fact("attend", counts.get(Decision.ATTEND.label()))
                .fact("track_star", counts.get(Decision.TRACK_STAR.label()))
                .fact("track", counts.get(Decision.TRACK.label())).fact("top_assets", top);
        top.forEach(id -> {
            result.evidence(id + " is among the most exposed assets", List.of("asset:" + id));
            result.subject(EntityType.HOST, id);
        });
        top.stream().findFirst().ifPresent(id -> result.followUp("how exposed is " + id + "?"));
        result.followUp("what should we remediate first?");
        result.followUp("which identity weaknesses do we have?");
    }

    /** Says how the score moved since the last recorded analysis, and records the points as facts. */
    static void trend(SkillResult.Builder result, List<PostureStore.HistoryPoint> history, String what) {
        if (history.isEmpty()) {
            result.paragraph("No earlier analysis is recorded, so there is no trend yet (`vigil posture` records"
                    + " one each time it runs).");
            return;
        }
        PostureStore.HistoryPoint last = history.getLast();
        result.paragraph("The last recorded analysis, at " + Phrasing.time(last.at()) + ", scored " + what + " "
                + Phrasing.score(last.score()) + " with " + count(last.findings(), "finding")
                + (history.size() > 1 ? "; the first of the " + history.size() + " recorded, at "
                        + Phrasing.time(history.get(0).at()) + ", " + Phrasing.score(history.get(0).score()) : "")
                + ".");
        result.fact("history", history.stream().map(p -> Map.of("at", Phrasing.time(p.at()), "score",
                Phrasing.oneDecimal(p.score()), "findings", p.findings())).toList());
        result.fact("history_points", history.size());
        result.fact("previous_score", Phrasing.oneDecimal(last.score()));
    }

    static Chart historyChart(String title, List<PostureStore.HistoryPoint> history) {
        return new Chart(Chart.Kind.LINE, title, history.stream().map(p -> Phrasing.time(p.at())).toList(),
                List.of(new Chart.Series("score", history.stream().map(p -> Phrasing.oneDecimal(p.score()))
                        .toList())));
    }

    static Map<String, Long> byDecision(List<Finding> findings) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Decision decision : List.of(Decision.ACT, Decision.ATTEND, Decision.TRACK_STAR, Decision.TRACK)) {
            counts.put(decision.label(), findings.stream().filter(f -> f.decision() == decision).count());
        }
        return counts;
    }
}
