package dev.vigil.ai;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.model.ModelAssistant;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.copilot.model.PlanCheck;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.Reading;
import dev.vigil.copilot.plan.SessionContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small tenant for model tests: a few skills with typed inputs, stored host and user names, a reader that finds
 * them in prompts, a hunting-query compiler that knows two tables, and skills whose results carry whatever data a
 * test plants (event fields, threat-intel descriptions, an article).
 */
final class Tenant {
    static final Set<String> HOSTS = Set.of("WS007", "SRV-DB01");
    static final Set<String> USERS = Set.of("alice", "jamal.novak");

    static final List<SkillSpec> SKILLS = List.of(
            new SkillSpec(Planner.HUNT, "hunting", "Runs a hunting query over the tenant's events.", List.of(),
                    List.of(SkillInput.required("query", EntityType.TEXT, "the hunting query, in KQL"))),
            new SkillSpec("host-analysis", "incidents", "What happened on a host: logons, processes, alerts.",
                    List.of("what happened on WS007"), List.of(SkillInput.required("host", EntityType.HOST, "the host"))),
            new SkillSpec("alerts-list", "incidents", "Lists alerts, optionally for a host and a status.",
                    List.of("alerts on WS007"), List.of(SkillInput.optional("host", EntityType.HOST, "the host"),
                            SkillInput.choice("status", "which alerts", "open", "resolved"))),
            new SkillSpec("indicator-reputation", "intel", "Whether an indicator is known to threat intelligence.",
                    List.of("is 203.0.113.7 malicious"), List.of(SkillInput.required("indicator", EntityType.IP,
                            "the indicator"))),
            new SkillSpec("article-impact", "intel", "The impact of the tenant's latest uploaded threat article.",
                    List.of("what does the uploaded article mean for us"), List.of()),
            new SkillSpec("isolate-host", ModelAssistant.ACTIONS, "Isolates a host from the network (an action).",
                    List.of(), List.of(SkillInput.required("host", EntityType.HOST, "the host"))));

    /** Data planted in results: the event field, the threat-intel description and the article text. */
    String eventField = "powershell.exe -nop -w hidden";
    String intelDescription = "Known scanner infrastructure.";
    String article = "The actor exploits CVE-2024-3400 on edge devices.";

    final List<SkillCall> ran = new ArrayList<>();

    /** Reads prompts as the embedded planner would: IPs, stored hosts and users, "last 24 hours". */
    static Reading read(String prompt) {
        List<Mention> mentions = new ArrayList<>();
        Matcher ip = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b").matcher(prompt);
        while (ip.find()) {
            mentions.add(new Mention(EntityType.IP, ip.group(), ip.group(), ip.start(), ip.end(), 1));
        }
        for (String host : HOSTS) {
            Matcher m = Pattern.compile("(?i)\\b" + Pattern.quote(host) + "\\b").matcher(prompt);
            while (m.find()) {
                mentions.add(new Mention(EntityType.HOST, host, m.group(), m.start(), m.end(), 1));
            }
        }
        for (String user : USERS) {
            Matcher m = Pattern.compile("(?i)\\b" + Pattern.quote(user) + "\\b").matcher(prompt);
            while (m.find()) {
                mentions.add(new Mention(EntityType.USER, user, m.group(), m.start(), m.end(), 1));
            }
        }
        mentions.sort(java.util.Comparator.comparingInt(Mention::start));
        return new Reading(prompt, mentions, Optional.empty(), List.of(), List.of());
    }

    /** The embedded plan of a prompt, as the fallback: the host analysis of its first host, or nothing. */
    static Planner.Planned embedded(String prompt) {
        Reading reading = read(prompt);
        Optional<Mention> host = reading.mentions().stream().filter(m -> m.type() == EntityType.HOST).findFirst();
        Plan plan = host.map(h -> new Plan(Plan.Route.SKILL, List.of(SkillCall.of("host-analysis",
                        Map.of("host", List.of(h.value())))), 0.8, "embedded: host analysis", Optional.empty()))
                .orElse(Plan.unanswerable("embedded: nothing fits"));
        return new Planner.Planned(plan, reading, Optional.empty(), List.of(), List.of(), 1);
    }

    static Optional<String> compile(String kql) {
        Matcher table = Pattern.compile("^\\s*([A-Za-z]+)\\s*(\\||$)").matcher(kql);
        if (!table.find()) {
            return Optional.of("1:1: expected a table name");
        }
        if (!Set.of("SecurityEvent", "DeviceProcessEvents").contains(table.group(1))) {
            return Optional.of("1:1: unknown table '" + table.group(1) + "'; tables: SecurityEvent, DeviceProcessEvents");
        }
        if (kql.contains("FakeColumn")) {
            return Optional.of("1:" + (kql.indexOf("FakeColumn") + 1) + ": unknown column 'FakeColumn'");
        }
        return Optional.empty();
    }

    static boolean known(EntityType type, String value) {
        return switch (type) {
            case HOST -> HOSTS.stream().anyMatch(h -> h.equalsIgnoreCase(value));
            case USER -> USERS.stream().anyMatch(u -> u.equalsIgnoreCase(value));
            default -> false;
        };
    }

    /** Runs a skill call over the planted data. */
    SkillResult run(SkillCall call) {
        ran.add(call);
        return switch (call.skill()) {
            case "host-analysis", "alerts-list" -> {
                String host = call.first("host").orElse("WS007");
                yield SkillResult.builder(call.skill())
                        .paragraph(host + " had 3 failed logons by alice from 10.1.2.3, and one alert.")
                        .table(new Table("Processes", List.of("host", "user", "command_line"), List.of(
                                List.of(host, "alice", eventField),
                                List.of(host, "alice", "cmd.exe /c net use \\\\srv password=Hunter2!"))))
                        .evidence("3 failed logons on " + host, List.of("event:SecurityEvent:17", "event:SecurityEvent:18"))
                        .evidence("alert on " + host, List.of("alert:42"))
                        .fact("failed_logons", 3).build();
            }
            case "indicator-reputation" -> SkillResult.builder(call.skill())
                    .paragraph(call.first("indicator").orElseThrow() + " is listed by 1 feed: " + intelDescription)
                    .evidence("listed by a feed", List.of("indicator:ip:" + call.first("indicator").orElseThrow()))
                    .build();
            case "article-impact" -> SkillResult.builder(call.skill())
                    .paragraph("Article text: " + article)
                    .evidence("the article names CVE-2024-3400", List.of("cve:CVE-2024-3400")).build();
            case Planner.HUNT -> SkillResult.builder(call.skill()).paragraph("The query returned 2 rows.")
                    .evidence("2 rows", List.of("query:0")).build();
            default -> throw new AssertionError("the test never expects " + call.skill() + " to run");
        };
    }

    static ModelConfig config(String baseUrl, String policy, String timeout) {
        return ModelConfig.parse(Map.of("base-url", baseUrl, "model", "test-model", "policy", policy,
                "timeout", timeout), "test");
    }

    static ModelAssistant assistant(ModelConfig config, Path data) {
        OpenAiCompatibleModel model = OpenAiCompatibleModel.of(config, name -> null,
                ModelAuditLog.in(data, "acme"));
        return new ModelAssistant(model, config, SKILLS, (PlanCheck.Dictionaries) Tenant::known,
                (PlanCheck.QueryCompiler) Tenant::compile, HOSTS, USERS);
    }

    ModelAssistant.Outcome ask(ModelAssistant assistant, String prompt, List<String> partial) {
        return assistant.answer(prompt, embedded(prompt), SessionContext.empty(), this::run, partial::add);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static Instant now() {
        return Instant.parse("2025-03-01T12:00:00Z");
    }

    static ZoneId zone() {
        return ZoneId.of("UTC");
    }
}
