package dev.vigil.copilot.skills;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code alerts-list}: the tenant's alerts that match a host, account, address, rule, minimum severity, technique and
 * the call's time range: how many, the top rules and hosts, the newest alerts, and the alerts by level. Everything is
 * counted in the store ({@code vigil_alerts}), so the answer costs the same however many alerts match.
 */
public final class AlertsListSkill implements Skill {
    private static final SkillInput HOST = SkillInput.optional("host", EntityType.HOST, "Only alerts on this host.");
    private static final SkillInput USER = SkillInput.optional("user", EntityType.USER,
            "Only alerts naming this account.");
    private static final SkillInput IP = SkillInput.optional("ip", EntityType.IP, "Only alerts naming this address.");
    private static final SkillInput RULE = SkillInput.optional("rule", EntityType.RULE,
            "Only alerts of this rule (its id, or words of its title).");
    private static final SkillInput SEVERITY = SkillInput.choice("severity", "Only alerts at least this severe.",
            "low", "medium", "high", "critical");
    private static final SkillInput TECHNIQUE = SkillInput.optional("technique", EntityType.TECHNIQUE,
            "Only alerts tagged with this ATT&CK technique or one of its sub-techniques.");
    private static final SkillSpec SPEC = new SkillSpec("alerts-list", "incidents",
            "Lists and counts alerts, optionally by host, account, address, rule, minimum severity, ATT&CK technique"
                    + " and time range, with the top rules and hosts.",
            List.of("Show the latest alerts", "Which alerts fired on WS007?", "High severity alerts in the last day",
                    "Alerts for T1003", "How many alerts involve 203.0.113.50?", "Alerts of the password spray rule",
                    "Did any detection fire for T1059?"),
            List.of(HOST, USER, IP, RULE, SEVERITY, TECHNIQUE));

    /** Entity kinds that name a host: Vigil's own, and a source's field names that correlation rules group by. */
    static final String HOST_KIND = "(lower(e.kind) = 'host' OR lower(e.kind) LIKE '%hostname%'"
            + " OR lower(e.kind) LIKE '%computer%' OR lower(e.kind) LIKE '%device%')";

    private final Workspace workspace;

    public AlertsListSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read alerts");
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Investigation investigation = new Investigation(workspace, call, context, result);
        List<String> filters = new ArrayList<>();
        List<String> described = new ArrayList<>();
        call.first(HOST.name()).map(Investigation::hostKey).ifPresent(h -> {
            filters.add(Investigation.sqlAlertHost(h));
            described.add("host " + h);
            result.fact("host", h);
        });
        call.first(USER.name()).map(Investigation::userKey).ifPresent(u -> {
            filters.add(Investigation.sqlAlertUser(u));
            described.add("account " + u);
            result.fact("user", u);
        });
        call.first(IP.name()).map(String::strip).ifPresent(ip -> {
            filters.add(Investigation.sqlAlertValue(ip));
            described.add("address " + ip);
            result.fact("ip", ip);
        });
        call.first(RULE.name()).map(String::strip).ifPresent(rule -> {
            String like = Investigation.sqlString("%" + rule.replace("%", "").replace("_", " ") + "%");
            filters.add("(a.rule_id = " + Investigation.sqlString(rule) + " OR a.title ILIKE " + like + ")");
            described.add("rule '" + rule + "'");
            result.fact("rule", rule);
        });
        call.first(SEVERITY.name()).map(Investigation::lower).ifPresent(s -> {
            filters.add("list_position(" + Investigation.LEVELS + ", lower(a.level)) >= list_position("
                    + Investigation.LEVELS + ", " + Investigation.sqlString(s) + ")");
            described.add("severity " + s + " or higher");
            result.fact("severity", s);
        });
        call.first(TECHNIQUE.name()).map(t -> t.strip().toUpperCase(Locale.ROOT)).ifPresent(t -> {
            String id = Investigation.sqlString(t);
            filters.add("len(list_filter(a.techniques, lambda t: upper(t) = " + id + " OR starts_with(upper(t), " + id
                    + " || '.'))) > 0");
            described.add("technique " + t);
            result.fact("technique", t);
        });
        String condition = String.join(" AND ", filters.isEmpty() ? List.of("true") : filters);
        String where = condition + " AND " + investigation.sqlWindow("a.\"time\"");
        String filterText = described.isEmpty() ? "" : " with " + Investigation.join(described);

        Investigation.Ran byRule = investigation.sql("SELECT a.title, a.rule_id, a.level, count(*) AS alerts,"
                + " min(a.\"time\") AS first, max(a.\"time\") AS last, CAST(sum(count(*)) OVER () AS BIGINT) AS total,"
                + " count(*) OVER () AS rules FROM vigil_alerts a WHERE " + where
                + " GROUP BY ALL ORDER BY alerts DESC, a.title LIMIT " + Investigation.SHOWN);
        String[] bounds = new String[2];
        if (investigation.time().isEmpty()) {
            Investigation.Ran span = investigation.sql("SELECT min(\"time\"), max(\"time\") FROM vigil_alerts");
            bounds = new String[] {Investigation.time(span.rows().get(0).get(0)),
                    Investigation.time(span.rows().get(0).get(1))};
        }
        String scope = investigation.scope(bounds[0], bounds[1]);
        investigation.scopeFacts(bounds[0], bounds[1]);

        if (byRule.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).fact("count", 0L);
            StringBuilder text = new StringBuilder("No alert" + filterText + " in tenant '" + investigation.tenant()
                    + "' (" + scope + ").");
            Investigation.Ran outside = investigation.sql("SELECT count(*) FILTER (WHERE " + condition
                    + ") AS matching, count(*) AS alerts FROM vigil_alerts a");
            long matching = Investigation.number(outside.rows().get(0).get(0));
            long all = Investigation.number(outside.rows().get(0).get(1));
            result.fact("matching_any_time", matching).fact("tenant_alerts", all);
            if (all == 0) {
                text.append(" The tenant has no alert at all: load detection rules (vigil rules import) and ingest"
                        + " events, or import alerts.");
            } else if (investigation.time().isPresent() && matching > 0) {
                text.append(" Outside that time range ").append(matching == 1 ? "1 alert matches"
                        : matching + " alerts match").append(".");
                result.evidence("Alerts matching outside the time range", List.of(outside.ref()));
            } else {
                text.append(" The tenant has ").append(Investigation.count(all, "alert"))
                        .append(" in all, none of them").append(filterText).append('.');
                result.evidence("The tenant's alerts", List.of(outside.ref()));
            }
            result.markdown(text.toString());
            result.followUp("Show the latest alerts");
            result.followUp("List the open incidents");
            return result.build();
        }
        long total = Investigation.number(byRule.rows().get(0).get(6));
        long rules = Investigation.number(byRule.rows().get(0).get(7));
        List<List<Object>> ruleRows = new ArrayList<>();
        for (List<Object> row : byRule.rows()) {
            ruleRows.add(List.of(Investigation.text(row.get(0)), Investigation.text(row.get(1)),
                    Investigation.text(row.get(2)), Investigation.number(row.get(3)), Investigation.time(row.get(4)),
                    Investigation.time(row.get(5))));
        }
        Investigation.Ran byHost = investigation.sql("SELECT lower(split_part(e.value, '.', 1)) AS host,"
                + " count(DISTINCT a.alert_id) AS alerts FROM vigil_alerts a,"
                + " unnest(from_json(a.entities, '[{\"kind\":\"VARCHAR\",\"value\":\"VARCHAR\"}]')) AS x(e)"
                + " WHERE " + HOST_KIND + " AND " + where + " GROUP BY 1 ORDER BY alerts DESC, host LIMIT 10");
        Investigation.Ran byLevel = investigation.sql("SELECT lower(a.level) AS level, count(*) AS alerts FROM"
                + " vigil_alerts a WHERE " + where + " GROUP BY 1 ORDER BY list_position(" + Investigation.LEVELS
                + ", lower(a.level)) DESC");
        Investigation.Ran newest = investigation.sql("SELECT a.alert_id, a.\"time\", a.level, a.title,"
                + " array_to_string(a.techniques, ', ') AS techniques, (SELECT string_agg(DISTINCT e.value, ', ' ORDER BY e.value)"
                + " FROM unnest(from_json(a.entities, '[{\"kind\":\"VARCHAR\",\"value\":\"VARCHAR\"}]')) AS x(e)"
                + " WHERE e.kind IN ('host', 'user')) AS entities FROM vigil_alerts a WHERE " + where
                + " ORDER BY a.\"time\" DESC, a.alert_id LIMIT " + Investigation.SHOWN);

        List<Object> top = ruleRows.get(0);
        StringBuilder first = new StringBuilder((total == 1 ? "There is 1 alert" : "There are " + total + " alerts")
                + filterText + " in tenant '" + investigation.tenant() + "' (" + scope + ")" + ", from "
                + Investigation.count(rules, "rule") + "; the most frequent is \"" + top.get(0) + "\" ("
                + top.get(2) + ", " + Investigation.count((Long) top.get(3), "alert") + ")");
        List<String> hosts = new ArrayList<>();
        List<List<Object>> hostRows = new ArrayList<>();
        for (List<Object> row : byHost.rows()) {
            hosts.add(Investigation.text(row.get(0)));
            hostRows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1))));
        }
        if (!hostRows.isEmpty()) {
            first.append(", and the host with most alerts is ").append(hostRows.get(0).get(0)).append(" (")
                    .append(hostRows.get(0).get(1)).append(')');
        }
        result.paragraph(first.append('.').toString());
        Map<String, Long> levels = new LinkedHashMap<>();
        for (List<Object> row : byLevel.rows()) {
            levels.put(Investigation.text(row.get(0)), Investigation.number(row.get(1)));
        }
        List<String> levelWords = new ArrayList<>();
        levels.forEach((level, n) -> levelWords.add(n + " " + level));
        result.paragraph("By level: " + Investigation.join(levelWords) + ".");

        List<List<Object>> alertRows = new ArrayList<>();
        List<String> alertRefs = new ArrayList<>();
        for (List<Object> row : newest.rows()) {
            alertRows.add(List.of(Investigation.text(row.get(0)), Investigation.time(row.get(1)),
                    Investigation.text(row.get(2)), Investigation.text(row.get(3)), Investigation.text(row.get(4)),
                    Investigation.text(row.get(5))));
            alertRefs.add("alert:" + row.get(0));
        }
        if (rules > ruleRows.size() || total > alertRows.size()) {
            result.paragraph("The tables show the top " + ruleRows.size() + " of " + rules + " rules and the newest "
                    + alertRows.size() + " of " + total + " alerts.");
        }
        result.table(new Table("Alerts by rule" + Investigation.shown(ruleRows.size(), rules), List.of("rule",
                "rule id", "level", "alerts", "first (UTC)", "last (UTC)"), ruleRows));
        if (!hostRows.isEmpty()) {
            result.table(new Table("Hosts with most alerts", List.of("host", "alerts"), hostRows));
        }
        result.table(new Table("Newest alerts" + Investigation.shown(alertRows.size(), total), List.of("alert",
                "time (UTC)", "level", "rule", "techniques", "hosts and accounts"), alertRows));
        result.table(new Table("Alerts by level", List.of("level", "alerts"), levels.entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), e.getValue())).toList()));
        result.chart(new Chart(Chart.Kind.BAR, "Alerts by rule", ruleRows.stream().map(r -> (String) r.get(0))
                .toList(), List.of(new Chart.Series("alerts", ruleRows.stream().map(r -> ((Long) r.get(3))
                .doubleValue()).toList()))));
        result.evidence("Alerts counted by rule", List.of(byRule.ref()));
        result.evidence("The newest alerts", alertRefs);
        if (!hostRows.isEmpty()) {
            result.evidence("Alerts counted by host", List.of(byHost.ref()));
        }
        result.fact("count", total).fact("rules", rules).fact("shown", alertRows.size())
                .fact("top_rule", top.get(0)).fact("by_level", levels);
        if (!hosts.isEmpty()) {
            result.fact("top_host", hosts.get(0)).fact("hosts", hosts);
        }
        hosts.forEach(h -> result.subject(EntityType.HOST, h));
        ruleRows.forEach(r -> result.subject(EntityType.RULE, (String) r.get(0)));
        if (!hosts.isEmpty()) {
            result.followUp("What happened on " + hosts.get(0) + "?");
        }
        result.followUp("List the open incidents");
        result.followUp("Show only the critical alerts");
        return result.build();
    }
}
