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
import dev.vigil.model.Role;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.RemediationStep;
import dev.vigil.posture.inventory.Asset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code remediation-plan}: the posture's remediation plan, one change per step ordered by the risk it removes, with
 * what each step fixes (CVEs and weaknesses), how many of those are known exploited and CISA's earliest due date
 * among them. Narrowed to the steps that touch one host or fix one CVE when given.
 */
final class RemediationPlanSkill implements Skill {
    static final String NAME = "remediation-plan";
    private static final int SHOWN = 10;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "posture",
            "The prioritized remediation plan: which changes remove the most risk, what each fixes, and the CISA KEV"
                    + " due dates of known-exploited items; for the organization, one host or one CVE.",
            List.of("what should we patch first?", "remediation plan for gw01", "how do we fix CVE-2021-44228?",
                    "what are our top remediation priorities"),
            List.of(SkillInput.optional("host", EntityType.HOST, "only the steps that touch this host"),
                    SkillInput.optional("cve", EntityType.CVE, "only the steps that fix this CVE")));

    private final Workspace workspace;

    RemediationPlanSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    /**
     * @param number the step's place in this answer
     * @param position its place in the tenant's whole plan
     */
    private record Step(int number, int position, RemediationStep step, List<Finding> findings, LocalDate due,
            List<String> fixes) {
        /** CISA's required action for the step's known-exploited finding, or empty. */
        String requiredAction() {
            return findings.stream().map(f -> f.guidance().requiredAction()).filter(a -> a != null && !a.isBlank())
                    .findFirst().orElse("");
        }
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read the posture");
        String tenant = workspace.store().tenant().value();
        PostureReport report = workspace.posture(context.now());
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        Optional<String> host = call.first("host").map(Asset::key);
        Optional<String> cve = call.first("cve").map(CveImpactSkill::cveId);
        List<String> filters = new ArrayList<>();
        host.ifPresent(h -> filters.add("host " + h));
        cve.ifPresent(c -> filters.add(c));
        String scope = filters.isEmpty() ? "tenant '" + tenant + "'" : and(filters) + " in tenant '" + tenant + "'";
        if (report.counts().getOrDefault("assets", 0) == 0 && report.counts().getOrDefault("identities", 0) == 0) {
            return PostureScope.noInventory(result, tenant, "what to remediate for " + scope);
        }
        Map<String, Finding> byId = new HashMap<>();
        report.findings().forEach(f -> byId.put(f.id(), f));
        List<Step> steps = new ArrayList<>();
        int position = 0;
        for (RemediationStep step : report.plan()) {
            position++;
            List<Finding> findings = step.findings().stream().map(byId::get).filter(Objects::nonNull).toList();
            if (host.isPresent() && !step.assets().contains(host.get())) {
                continue;
            }
            if (cve.isPresent() && findings.stream().noneMatch(f -> f.subject().equals(cve.get()))) {
                continue;
            }
            LocalDate due = findings.stream().map(f -> f.guidance().dueDate()).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            List<String> fixes = List.copyOf(new LinkedHashSet<>(findings.stream().map(f -> f.isVulnerability()
                    ? f.subject() : f.title()).toList()));
            steps.add(new Step(steps.size() + 1, position, step, findings, due, fixes));
        }
        cve.ifPresent(c -> result.fact("cve", c).subject(EntityType.CVE, c));
        host.ifPresent(h -> result.fact("host", h).subject(EntityType.HOST, h));
        if (steps.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).fact("steps", 0).fact("plan_steps", report.plan().size())
                    .paragraph("Nothing to remediate for " + scope + ": no finding of the posture analysis "
                            + (filters.isEmpty() ? "needs a change" : "matches") + ". The whole plan has "
                            + count(report.plan().size(), "step") + ".")
                    .followUp("what is our posture summary?");
            if (cve.isPresent()) {
                result.followUp("are we affected by " + cve.get() + "?");
            }
            PostureScope.scope(result, tenant, report, workspace.vulnerabilities().knowledge());
            return result.build();
        }
        Step first = steps.get(0);
        int exploited = steps.stream().mapToInt(s -> s.step().knownExploited()).sum();
        LocalDate earliest = steps.stream().map(Step::due).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(null);
        result.paragraph("The remediation plan for " + scope + " has " + count(steps.size(), "step") + "; do first: "
                + first.step().action() + " (fixes " + and(first.fixes(), 4) + (first.due() == null ? ""
                        : "; CISA due " + Phrasing.day(first.due())) + ").");
        StringBuilder list = new StringBuilder();
        for (Step step : steps.stream().limit(SHOWN).toList()) {
            list.append(list.isEmpty() ? "" : "\n").append(step.number()).append(". ").append(step.step().action())
                    .append(" — fixes ").append(and(step.fixes(), 4))
                    .append(step.due() == null ? "" : "; CISA due " + Phrasing.day(step.due()))
                    .append(step.requiredAction().isEmpty() ? "" : "; KEV required action: " + step.requiredAction());
        }
        result.paragraph(list.toString());
        LocalDate today = LocalDate.ofInstant(context.now(), java.time.ZoneOffset.UTC);
        long pastDue = steps.stream().filter(s -> s.due() != null && s.due().isBefore(today)).count();
        if (exploited > 0) {
            result.paragraph("The steps close " + count(exploited, "known-exploited finding") + (earliest == null ? ""
                    : "; the earliest CISA due date is " + Phrasing.day(earliest)) + "." + (pastDue == 0 ? ""
                            : " CISA's due date has passed for " + count(pastDue, "step") + ": consider taking "
                                    + (pastDue == 1 ? "it" : "them") + " ahead of the order by risk."));
        }
        PostureScope.scope(result, tenant, report, workspace.vulnerabilities().knowledge());

        result.table(new Table("Remediation plan", List.of("step", "plan_step", "action", "assets", "findings", "known_exploited",
                "kev_due", "risk_removed", "fixes", "required_action"), steps.stream().map(s -> List.<Object>of(
                s.number(), s.position(), s.step().action(), String.join(", ", s.step().assets()), s.step().findings().size(),
                s.step().knownExploited(), Phrasing.day(s.due()), s.step().riskRemoved(), String.join(", ",
                s.fixes()), s.requiredAction())).toList()));
        result.fact("steps", steps.size()).fact("plan_steps", report.plan().size())
                .fact("first_step", first.step().action()).fact("known_exploited", exploited)
                .fact("past_due", pastDue)
                .fact("findings", steps.stream().mapToInt(s -> s.step().findings().size()).sum());
        if (earliest != null) {
            result.fact("kev_due", Phrasing.day(earliest));
        }
        for (Step step : steps) {
            List<String> refs = new ArrayList<>();
            step.findings().forEach(f -> refs.addAll(PostureScope.refs(f)));
            result.evidence("step " + step.number() + ": " + step.step().action(), List.copyOf(new LinkedHashSet<>(
                    refs)));
        }
        first.findings().stream().filter(Finding::isVulnerability).findFirst()
                .ifPresent(f -> result.followUp("what is the impact of " + f.subject() + "?"));
        first.step().assets().stream().findFirst().ifPresent(a -> result.followUp("how exposed is " + a + "?"));
        result.followUp("what is our posture summary?");
        return result.build();
    }
}
