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
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Identity;
import dev.vigil.posture.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weaknesses}: identity and configuration weaknesses, the posture findings beyond CVEs: administrators without
 * MFA, stale enabled accounts, passwords that never expire, risky services exposed to the internet, end-of-life
 * operating systems and assets without telemetry; plus the privileged accounts the inventory knows. Narrowed to one
 * host or one user when given.
 */
final class WeaknessesSkill implements Skill {
    static final String NAME = "weaknesses";

    /** The posture checks beyond CVEs, as {@link dev.vigil.posture.PostureAnalyzer} names them, in prose. */
    private static final Map<String, String[]> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("admin-without-mfa", new String[] {"administrator without MFA", "administrators without MFA"});
        KINDS.put("exposed-service", new String[] {"service exposed to the internet",
                "services exposed to the internet"});
        KINDS.put("stale-account", new String[] {"stale enabled account", "stale enabled accounts"});
        KINDS.put("password-never-expires", new String[] {"account whose password never expires",
                "accounts whose passwords never expire"});
        KINDS.put("end-of-life-os", new String[] {"end-of-life operating system", "end-of-life operating systems"});
        KINDS.put("silent-asset", new String[] {"asset without recent telemetry", "assets without recent telemetry"});
    }

    private static final SkillSpec SPEC = new SkillSpec(NAME, "posture",
            "Identity and configuration weaknesses: administrators without MFA, stale or privileged accounts,"
                    + " passwords that never expire, services exposed to the internet, end-of-life systems and"
                    + " silent assets; for the organization, one host or one user.",
            List.of("which admins have no MFA?", "what weaknesses does gw01 have", "are there stale accounts?",
                    "is alice's account a risk?", "which services are exposed to the internet?"),
            List.of(SkillInput.optional("host", EntityType.HOST, "only this host's weaknesses"),
                    SkillInput.optional("user", EntityType.USER, "only this account's weaknesses")));

    private final Workspace workspace;

    WeaknessesSkill(Workspace workspace) {
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
        Optional<String> host = call.first("host").map(h -> Asset.key(h));
        Optional<String> user = call.first("user").map(u -> Identity.key(u));
        String scope = host.map(h -> h).or(() -> user).orElse("tenant '" + tenant + "'");
        if (report.counts().getOrDefault("assets", 0) == 0 && report.counts().getOrDefault("identities", 0) == 0) {
            return PostureScope.noInventory(result, tenant, "which weaknesses " + scope + " has");
        }
        Inventory inventory = workspace.store().posture().inventory();
        Map<String, Asset> assets = PostureScope.assets(workspace.store());
        List<Finding> weaknesses = report.findings().stream().filter(f -> !f.isVulnerability())
                .filter(f -> host.isEmpty() || host.get().equals(f.assetId()))
                .filter(f -> user.isEmpty() || f.assetId() == null && Identity.key(f.subject()).equals(user.get()))
                .toList();
        List<Identity> privileged = inventory.identities().stream()
                .filter(i -> i.isAdmin() && !Boolean.FALSE.equals(i.enabled()))
                .filter(i -> user.isEmpty() || Identity.key(i.name()).equals(user.get()))
                .toList();
        Map<String, List<Finding>> byKind = new LinkedHashMap<>();
        KINDS.keySet().forEach(k -> byKind.put(k, new ArrayList<>()));
        weaknesses.forEach(f -> byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f));
        byKind.values().removeIf(List::isEmpty);

        int identities = report.counts().getOrDefault("identities", 0);
        int services = report.counts().getOrDefault("services", 0);
        int assetCount = report.counts().getOrDefault("assets", 0);
        if (weaknesses.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("No identity or configuration weakness was found for "
                    + scope + ". Checked: " + count(identities, "identity", "identities") + ", "
                    + count(assetCount, "asset") + " and " + count(services, "service") + " of the inventory, for"
                    + " administrators without MFA, stale accounts, passwords that never expire, risky services"
                    + " exposed to the internet, end-of-life operating systems and silent assets.");
        } else {
            List<String> parts = new ArrayList<>();
            byKind.forEach((kind, members) -> {
                String[] words = KINDS.getOrDefault(kind, new String[] {kind, kind});
                parts.add(members.size() + " " + (members.size() == 1 ? words[0] : words[1]) + " ("
                        + and(members.stream().map(WeaknessesSkill::item).toList(), 4) + ")");
            });
            result.paragraph(Phrasing.capitalized(scope) + " has " + count(weaknesses.size(),
                    "identity or configuration weakness", "identity and configuration weaknesses") + ": "
                    + and(parts) + ".");
            Finding first = weaknesses.get(0);
            result.paragraph("Most urgent: " + first.title() + " (" + item(first) + ", " + first.decision().label()
                    + "): " + String.join("; ", first.reasons()) + ". Fix: " + String.join("; ",
                    first.guidance().steps()) + ".");
        }
        long withoutMfa = privileged.stream().filter(i -> i.mfaMethods() != null && i.mfaMethods().isEmpty()).count();
        long mfaUnknown = privileged.stream().filter(i -> i.mfaMethods() == null).count();
        if (!privileged.isEmpty()) {
            result.paragraph((user.isPresent() ? Phrasing.capitalized(user.get()) + " is a privileged account"
                    : "The inventory lists " + count(privileged.size(), "enabled privileged account") + ": "
                            + and(privileged.stream().map(Identity::name).toList(), 8))
                    + "; " + withoutMfa + " of them without MFA and " + mfaUnknown + " with MFA unknown.");
        }
        if (identities == 0 && host.isEmpty()) {
            result.paragraph("The inventory holds no identities, so MFA gaps, stale and privileged accounts cannot be"
                    + " checked: import them with " + KnowledgeHints.IMPORT_INVENTORY + ".");
        }
        PostureScope.scope(result, tenant, report, workspace.vulnerabilities().knowledge());

        result.table(new Table("Weaknesses", List.of("finding", "decision", "kind", "asset_or_account", "title",
                "risk", "why", "fix", "techniques"), weaknesses.stream().map(f -> List.<Object>of(f.id(),
                f.decision().label(), f.kind(), item(f), f.title(), f.risk(), String.join("; ", f.reasons()),
                String.join("; ", f.guidance().steps()), String.join(", ", f.techniques()))).toList()));
        result.table(new Table("Privileged accounts", List.of("account", "admin_evidence", "mfa", "last_sign_in"),
                privileged.stream().map(i -> List.<Object>of(i.name(), i.adminEvidence(), i.mfaMethods() == null
                        ? "unknown" : i.mfaMethods().isEmpty() ? "none" : String.join(", ", i.mfaMethods()),
                        Phrasing.time(i.lastSignIn()))).toList()));

        Map<String, Integer> counts = new LinkedHashMap<>();
        byKind.forEach((kind, members) -> counts.put(kind, members.size()));
        result.fact("weaknesses", weaknesses.size()).fact("by_kind", counts)
                .fact("mfa_gaps", subjects(byKind, "admin-without-mfa"))
                .fact("stale_accounts", subjects(byKind, "stale-account"))
                .fact("exposed_services", byKind.getOrDefault("exposed-service", List.of()).stream()
                        .map(WeaknessesSkill::item).toList())
                .fact("privileged_accounts", privileged.stream().map(Identity::name).toList())
                .fact("privileged_count", privileged.size()).fact("privileged_without_mfa", withoutMfa)
                .fact("privileged_mfa_unknown", mfaUnknown)
                .fact("identities", identities).fact("assets", assetCount).fact("services", services);
        host.ifPresent(h -> result.fact("host", h));
        user.ifPresent(u -> result.fact("user", u));

        for (Finding finding : weaknesses) {
            result.evidence(finding.title() + ": " + item(finding), PostureScope.refs(finding));
            if (finding.assetId() != null) {
                result.subject(EntityType.HOST, finding.assetId());
            } else {
                result.subject(EntityType.USER, finding.subject());
            }
        }
        host.ifPresent(h -> result.subject(EntityType.HOST, h));
        user.ifPresent(u -> result.subject(EntityType.USER, u));
        if (!weaknesses.isEmpty()) {
            result.followUp("show the remediation plan" + host.map(h -> " for " + h).orElse(""));
        }
        subjects(byKind, "admin-without-mfa").stream().findFirst()
                .ifPresent(a -> result.followUp("show the recent sign-ins of " + a));
        result.followUp("what is our posture summary?");
        return result.build();
    }

    private static List<String> subjects(Map<String, List<Finding>> byKind, String kind) {
        return byKind.getOrDefault(kind, List.of()).stream().map(Finding::subject).toList();
    }

    /** The account, or what on which host: {@code RDP tcp/3389 on gw01}. */
    private static String item(Finding finding) {
        if (finding.assetId() == null) {
            return finding.subject();
        }
        return switch (finding.kind()) {
            case "exposed-service" -> finding.title().replace(" exposed to the internet", "") + " " + finding.subject()
                    + " on " + finding.assetId();
            case "silent-asset" -> finding.assetId();
            default -> finding.subject() + " on " + finding.assetId();
        };
    }
}
