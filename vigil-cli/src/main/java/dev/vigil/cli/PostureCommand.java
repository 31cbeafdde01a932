package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Group;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PosturePolicy;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.RemediationStep;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Software;
import dev.vigil.posture.vuln.KevEntry;
import dev.vigil.posture.vuln.Names;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.store.PostureStore;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil posture}: what exposes us to known threats, and exactly what to do about it. */
@Command(name = "posture", mixinStandardHelpOptions = true,
        description = {"Match the inventory against the vulnerability knowledge and check it for weaknesses: findings"
                + " with an SSVC decision (Act, Attend, Track*, Track) and its reasons, evidence and guidance (fixed"
                + " version, KEV required action and due date, ATT&CK mitigations), the remediation plan ordered by"
                + " risk removed, and exposure scores with their history.",
                "Hosts, users and programs seen in the tenant's events are added to the inventory first, as observed.",
                "Questions: --cve (which assets are exposed to it), --actor (exposure to a threat actor through the"
                        + " techniques and CVEs ATT&CK links to it), --kev-since (what KEV entries added since a date"
                        + " mean for us)."},
        footer = {"", "Examples:", "  vigil posture", "  vigil posture --json", "  vigil posture --cve CVE-2021-44228",
                "  vigil posture --actor APT29", "  vigil posture --kev-since month"})
final class PostureCommand implements Callable<Integer> {
    private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--cve", paramLabel = "CVE", description = "Which assets are exposed to this CVE.")
    String cve;

    @Option(names = "--actor", paramLabel = "GROUP", description = "Exposure to an ATT&CK group (id, name or alias).")
    String actor;

    @Option(names = "--kev-since", paramLabel = "DATE|month",
            description = "KEV entries added since the date (YYYY-MM-DD, or 'month' for this month) and what they"
                    + " mean here.")
    String kevSince;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "25",
            description = "Findings shown in the table (default: ${DEFAULT-VALUE}; --json has all).")
    int limit;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            throw new VigilException(ErrorCode.POSTURE_NOT_FOUND, "tenant '" + config.tenant() + "' has no inventory"
                    + " or events in " + config.dataDirectory());
        }
        Instant now = Instant.now();
        dev.vigil.store.Knowledge.Vulnerabilities vulns = dev.vigil.store.Knowledge.vulnerabilities(config.dataDirectory());
        VulnKnowledge knowledge = vulns.knowledge();
        AttackKnowledge attack = KnowledgeCommands.loadIfPresent(config).orElse(null);
        PosturePolicy policy = config.posturePolicy();
        PostureReport report;
        Inventory inventory;
        List<PostureStore.HistoryPoint> history;
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_WRITE)) {
            PostureStore posture = store.posture();
            posture.observe();
            store.commit();
            inventory = posture.inventory();
            report = new PostureAnalyzer(knowledge, vulns.matcher(), attack, policy)
                    .analyze(inventory, now);
            posture.record(report);
            store.commit();
            history = posture.history("organization", 30);
        }
        Map<String, Object> question = null;
        if (cve != null) {
            question = cveQuestion(report, knowledge, cve.strip().toUpperCase(Locale.ROOT));
        } else if (actor != null) {
            question = actorQuestion(report, inventory, attack, actor);
        } else if (kevSince != null) {
            question = kevQuestion(report, knowledge, kevSince, now);
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("at", report.at().toString());
            body.put("organization_score", report.organizationScore());
            body.put("counts", report.counts());
            body.put("history", history.stream().map(p -> Map.of("at", p.at().toString(), "score", p.score(),
                    "findings", p.findings(), "act", p.act(), "known_exploited", p.knownExploited())).toList());
            if (question != null) {
                body.put("question", question);
            }
            body.put("asset_scores", report.assetScores());
            body.put("findings", report.findings());
            body.put("plan", report.plan());
            body.put("notes", report.notes());
            out.println(Output.json(body));
        } else if (question != null) {
            printQuestion(out, question);
        } else {
            print(out, report, history);
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, PostureReport report, List<PostureStore.HistoryPoint> history) {
        Map<String, Integer> c = report.counts();
        out.printf(Locale.ROOT, "Exposure %.1f / 100 over %d assets, %d software, %d identities, %d services%s%n",
                report.organizationScore(), c.get("assets"), c.get("software"), c.get("identities"), c.get("services"),
                history.size() > 1 ? String.format(Locale.ROOT, " (was %.1f on %s)",
                        history.get(history.size() - 2).score(), history.get(history.size() - 2).at()) : "");
        out.printf(Locale.ROOT, "%d findings: %d Act, %d Attend, %d Track*, %d Track; %d known-exploited%n",
                c.get("findings"), c.get("Act"), c.get("Attend"), c.get("Track*"), c.get("Track"),
                c.get("known_exploited"));
        report.notes().forEach(note -> out.println("note: " + note));
        out.println();
        List<List<Object>> rows = new ArrayList<>();
        for (Finding finding : report.findings().stream().limit(limit).toList()) {
            rows.add(List.of(finding.decision().label(), finding.assetId() == null ? "" : finding.assetId(),
                    finding.subject(), finding.software() == null ? finding.title() : finding.software(),
                    finding.confidence().name().toLowerCase(Locale.ROOT),
                    finding.guidance().fixedVersion() == null ? "" : finding.guidance().fixedVersion(),
                    finding.guidance().dueDate() == null ? "" : finding.guidance().dueDate().toString(),
                    finding.reasons().isEmpty() ? "" : finding.reasons().get(0)));
        }
        out.print(Output.table(List.of("decision", "asset", "subject", "what", "confidence", "fix", "kev due", "why"),
                rows));
        if (report.findings().size() > limit) {
            out.println("... " + (report.findings().size() - limit) + " more (--limit N, or --json for all with"
                    + " evidence and guidance)");
        }
        // CISA's required action is the guidance a KEV finding must follow; it is too long for a column, and the
        // same for every asset a CVE is on, so it is printed once per CVE under the table.
        Map<String, List<Finding>> byCve = new LinkedHashMap<>();
        for (Finding finding : report.findings().stream().limit(limit).toList()) {
            if (finding.guidance().requiredAction() != null && !finding.guidance().requiredAction().isBlank()) {
                byCve.computeIfAbsent(finding.subject(), cve -> new ArrayList<>()).add(finding);
            }
        }
        if (!byCve.isEmpty()) {
            out.println();
            out.println("KEV required actions:");
            for (Map.Entry<String, List<Finding>> entry : byCve.entrySet()) {
                Finding first = entry.getValue().get(0);
                out.println("  " + entry.getKey() + " (due " + first.guidance().dueDate() + "; " + String.join(", ",
                        entry.getValue().stream().map(Finding::assetId).distinct().toList()) + "): "
                        + first.guidance().requiredAction());
            }
        }
        out.println();
        out.println("Remediation plan (by risk removed):");
        int n = 1;
        for (RemediationStep step : report.plan().stream().limit(10).toList()) {
            out.printf(Locale.ROOT, "%2d. %s (risk %.2f)%n", n++, step.action(), step.riskRemoved());
        }
    }

    private static Map<String, Object> cveQuestion(PostureReport report, VulnKnowledge knowledge, String id) {
        List<Finding> exposed = report.findings().stream().filter(f -> f.subject().equals(id)).toList();
        if (exposed.isEmpty() && knowledge.recordsOf(id).isEmpty() && knowledge.kev(id) == null) {
            throw new VigilException(ErrorCode.POSTURE_NOT_FOUND, "nothing is known about " + id + ": no CVE JSON 5 or"
                    + " OSV record and no KEV entry names it", "Import its record: vigil vulns import " + id
                    + ".json (from github.com/CVEProject/cvelistV5), or the OSV entry that names it.", null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("question", "which assets are exposed to " + id);
        answer.put("answer", exposed.isEmpty() ? "no asset in the inventory has an affected version of what " + id
                + " affects" : exposed.size() + " asset(s) exposed: " + String.join(", ",
                exposed.stream().map(f -> f.assetId() + " (" + f.software() + ", " + f.decision().label() + ")")
                        .toList()));
        answer.put("findings", exposed);
        return answer;
    }

    private static Map<String, Object> actorQuestion(PostureReport report, Inventory inventory,
            AttackKnowledge attack, String name) {
        if (attack == null) {
            throw new VigilException(ErrorCode.POSTURE_NOT_FOUND, "no ATT&CK knowledge to say what " + name + " uses",
                    "Import MITRE's bundle first: vigil intel import enterprise-attack.json", null);
        }
        Group group = attack.group(name).orElseThrow(() -> new VigilException(ErrorCode.POSTURE_NOT_FOUND,
                "no ATT&CK group named '" + name + "'", "Search for it: vigil intel search " + name, null));
        Set<String> techniques = new LinkedHashSet<>(group.techniques());
        Set<String> cves = new LinkedHashSet<>();
        cves(group.description(), cves);
        for (String technique : group.techniques()) {
            attack.technique(technique).flatMap(t -> attack.relationshipDescription(group, t))
                    .ifPresent(text -> cves(text, cves));
        }
        List<Map<String, Object>> exposures = new ArrayList<>();
        for (Finding finding : report.findings()) {
            List<String> shared = finding.techniques().stream().filter(t -> techniques.contains(t)
                    || techniques.contains(t.contains(".") ? t.substring(0, t.indexOf('.')) : t)).toList();
            boolean namedCve = cves.contains(finding.subject());
            if (namedCve || !shared.isEmpty()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("finding", finding.id());
                row.put("asset", String.valueOf(finding.assetId()));
                row.put("subject", finding.subject());
                row.put("decision", finding.decision().label());
                row.put("why", namedCve ? "ATT&CK says " + group.name() + " exploited " + finding.subject()
                        : group.name() + " uses " + String.join(", ", shared) + ", which this enables");
                exposures.add(row);
            }
        }
        List<Map<String, Object>> tools = new ArrayList<>();
        for (String softwareId : group.software()) {
            attack.software(softwareId).ifPresent(tool -> {
                for (Software item : inventory.software()) {
                    String installed = Names.product(item.name(), null);
                    if (tool.aliases().stream().anyMatch(alias -> Names.product(alias, null).equals(installed))
                            || Names.product(tool.name(), null).equals(installed)) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("software", tool.id() + " " + tool.name());
                        row.put("asset", item.assetId());
                        row.put("evidence", item.source());
                        tools.add(row);
                    }
                }
            });
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("question", "which assets are exposed to " + group.name() + " (" + group.id() + ")");
        answer.put("answer", exposures.size() + " finding(s) give " + group.name() + " a way in (through "
                + techniques.size() + " techniques and " + cves.size() + " CVEs ATT&CK links to it); " + tools.size()
                + " of its tools are in the inventory");
        answer.put("cves_named_by_attack", cves);
        answer.put("exposures", exposures);
        answer.put("tools_installed", tools);
        return answer;
    }

    private static void cves(String text, Set<String> into) {
        Matcher matcher = CVE.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group());
        }
    }

    private static Map<String, Object> kevQuestion(PostureReport report, VulnKnowledge knowledge, String since,
            Instant now) {
        LocalDate from;
        try {
            from = since.equalsIgnoreCase("month") ? LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1)
                    : LocalDate.parse(since);
        } catch (DateTimeParseException e) {
            throw new VigilException(ErrorCode.USAGE, "--kev-since '" + since + "' is not a date",
                    "Give YYYY-MM-DD, or 'month' for the current month.", null);
        }
        if (knowledge.kevEntries().isEmpty()) {
            throw new VigilException(ErrorCode.POSTURE_NOT_FOUND, "no KEV catalog imported",
                    "Import it: vigil vulns import known_exploited_vulnerabilities.json", null);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        int affecting = 0;
        for (KevEntry entry : knowledge.kevEntries()) {
            if (entry.dateAdded() == null || entry.dateAdded().isBefore(from)) {
                continue;
            }
            List<Finding> ours = report.findings().stream().filter(f -> f.subject().equals(entry.cve())).toList();
            affecting += ours.isEmpty() ? 0 : 1;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cve", entry.cve());
            row.put("product", entry.vendorProject() + " " + entry.product());
            row.put("added", entry.dateAdded().toString());
            row.put("due", String.valueOf(entry.dueDate()));
            row.put("required_action", entry.requiredAction());
            row.put("assets", ours.stream().map(f -> f.assetId() + " (" + f.decision().label() + ", "
                    + f.confidence().name().toLowerCase(Locale.ROOT) + " confidence)").toList());
            entries.add(row);
        }
        String catalog = knowledge.kevCatalogVersion();
        String stale = "";
        try {
            LocalDate released = LocalDate.parse(catalog.replace('.', '-'));
            if (released.isBefore(from)) {
                stale = "; the catalog is from " + released + ", before " + from + ": import the current one from"
                        + " cisa.gov to see newer entries";
            }
        } catch (DateTimeParseException e) {
            // a catalog version that is not a date says nothing about its age
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("question", "what the KEV entries added since " + from + " mean for us");
        answer.put("answer", entries.size() + " KEV entries added since " + from + " (catalog " + catalog + "); "
                + affecting + " of them " + (affecting == 1 ? "affects" : "affect") + " our assets" + stale);
        answer.put("entries", entries);
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static void printQuestion(PrintWriter out, Map<String, Object> question) {
        out.println(question.get("question") + ":");
        out.println("  " + question.get("answer"));
        Object findings = question.get("findings");
        if (findings instanceof List<?> list) {
            for (Object item : list) {
                Finding f = (Finding) item;
                out.println("  - " + f.assetId() + ": " + f.software() + ", " + f.decision().label() + "; "
                        + String.join("; ", f.reasons()));
                f.evidence().forEach(e -> out.println("      evidence " + e.kind() + " " + e.id() + ": " + e.detail()));
                if (f.guidance().fixedVersion() != null) {
                    out.println("      fix: move to " + f.guidance().fixedVersion());
                }
                if (f.guidance().requiredAction() != null) {
                    out.println("      KEV required action (due " + f.guidance().dueDate() + "): "
                            + f.guidance().requiredAction());
                }
            }
        }
        if (question.get("exposures") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> row = (Map<String, Object>) item;
                out.println("  - " + row.get("asset") + ": " + row.get("subject") + " (" + row.get("decision") + "): "
                        + row.get("why"));
            }
        }
        if (question.get("tools_installed") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> row = (Map<String, Object>) item;
                out.println("  - tool " + row.get("software") + " installed on " + row.get("asset") + " ("
                        + row.get("evidence") + ")");
            }
        }
        if (question.get("entries") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> row = (Map<String, Object>) item;
                List<?> assets = (List<?>) row.get("assets");
                if (assets.isEmpty()) {
                    continue; // the count says how many; only those that touch us are worth a line
                }
                out.println("  - " + row.get("cve") + " " + row.get("product") + " (added " + row.get("added")
                        + ", due " + row.get("due") + "): " + String.join(", ", assets.stream().map(String::valueOf)
                        .toList()));
                out.println("      KEV required action: " + row.get("required_action"));
            }
        }
    }
}
