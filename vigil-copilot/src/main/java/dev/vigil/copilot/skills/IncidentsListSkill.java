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
import java.util.Map;
import java.util.Optional;

/**
 * {@code incidents-list}: the tenant's incidents that match a status, a minimum severity, a host or an account and
 * the call's time range (incidents active in it), most severe first and, within a severity, most recently active
 * first.
 */
public final class IncidentsListSkill implements Skill {
    static final String LEVELS = "['informational', 'low', 'medium', 'high', 'critical']";
    private static final SkillInput STATUS = SkillInput.choice("status",
            "Only incidents in this state: open (new or active), new, active or resolved.", "open", "new", "active",
            "resolved");
    private static final SkillInput SEVERITY = SkillInput.choice("severity", "Only incidents at least this severe.",
            "low", "medium", "high", "critical");
    private static final SkillInput HOST = SkillInput.optional("host", EntityType.HOST,
            "Only incidents with an alert on this host.");
    private static final SkillInput USER = SkillInput.optional("user", EntityType.USER,
            "Only incidents with an alert naming this account.");
    private static final SkillSpec SPEC = new SkillSpec("incidents-list", "incidents",
            "Lists incidents, most severe and most recent first, optionally by status, minimum severity, host,"
                    + " account and time range.",
            List.of("List the open incidents", "Which high severity incidents do we have?",
                    "Show incidents from the last 24 hours", "Are there incidents on WS007?",
                    "Incidents involving jdoe", "Show all incidents", "What are the latest incidents?"),
            List.of(STATUS, SEVERITY, HOST, USER));

    private final Workspace workspace;

    public IncidentsListSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read incidents");
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Investigation investigation = new Investigation(workspace, call, context, result);
        Optional<String> status = call.first(STATUS.name()).map(Investigation::lower);
        Optional<String> severity = call.first(SEVERITY.name()).map(Investigation::lower);
        Optional<String> host = call.first(HOST.name()).map(Investigation::hostKey);
        Optional<String> user = call.first(USER.name()).map(Investigation::userKey);

        List<String> filters = new ArrayList<>();
        List<String> described = new ArrayList<>();
        status.ifPresent(s -> {
            filters.add(s.equals("open") ? "i.status IN ('new', 'active')" : "i.status = " + Investigation.sqlString(s));
            described.add("status " + s);
        });
        severity.ifPresent(s -> {
            filters.add("list_position(" + LEVELS + ", i.severity) >= list_position(" + LEVELS + ", "
                    + Investigation.sqlString(s) + ")");
            described.add("severity " + s + " or higher");
        });
        host.ifPresent(h -> {
            filters.add(members(Investigation.sqlAlertHost(h)));
            described.add("host " + h);
        });
        user.ifPresent(u -> {
            filters.add(members(Investigation.sqlAlertUser(u)));
            described.add("account " + u);
        });
        investigation.time().ifPresent(t -> {
            filters.add("i.last_seen >= TIMESTAMPTZ '" + t.from() + "' AND i.first_seen < TIMESTAMPTZ '" + t.to()
                    + "'");
        });
        String where = "i.merged_into IS NULL" + filters.stream().map(f -> " AND " + f).reduce("", String::concat);
        Investigation.Ran ran = investigation.sql("SELECT i.number, i.title, i.status, i.severity, i.alert_count,"
                + " i.owner, i.first_seen, i.last_seen, count(*) OVER () AS total FROM vigil_incidents i WHERE "
                + where + " ORDER BY list_position(" + LEVELS + ", i.severity) DESC, i.last_seen DESC, i.number DESC"
                + " LIMIT " + Investigation.SHOWN);
        String[] bounds = investigation.time().isPresent() ? new String[2] : span(investigation);
        String scope = investigation.scope(bounds[0], bounds[1]);
        investigation.scopeFacts(bounds[0], bounds[1]);
        String filterText = described.isEmpty() ? "" : " with " + Investigation.join(described);
        status.ifPresent(s -> result.fact("status", s));
        severity.ifPresent(s -> result.fact("severity", s));
        host.ifPresent(h -> result.fact("host", h));
        user.ifPresent(u -> result.fact("user", u));

        if (ran.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).fact("count", 0L).fact("incidents", List.of());
            StringBuilder text = new StringBuilder("No incident" + filterText + " in tenant '"
                    + investigation.tenant() + "' (" + scope + ").");
            Investigation.Ran all = investigation.sql("SELECT count(*) AS incidents, count(*) FILTER (WHERE status <>"
                    + " 'resolved') AS open FROM vigil_incidents WHERE merged_into IS NULL");
            long total = Investigation.number(all.rows().get(0).get(0));
            long open = Investigation.number(all.rows().get(0).get(1));
            result.fact("tenant_incidents", total).fact("tenant_open", open);
            if (total == 0) {
                text.append(" The tenant has no incident at all: incidents come from alerts, so ingest events with"
                        + " detection rules loaded (vigil rules import) or import alerts.");
            } else {
                text.append(" Without these filters the tenant has ").append(Investigation.count(total, "incident"))
                        .append(", ").append(open).append(" of them open.");
                result.evidence("The tenant's incidents without the filters", List.of(all.ref()));
            }
            result.markdown(text.toString());
            result.followUp("List the open incidents");
            result.followUp("Show the latest alerts");
            return result.build();
        }
        long total = Investigation.number(ran.rows().get(0).get(8));
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        List<Long> numbers = new ArrayList<>();
        for (List<Object> row : ran.rows()) {
            long number = Investigation.number(row.get(0));
            numbers.add(number);
            String owner = Investigation.text(row.get(5));
            rows.add(List.of(number, Investigation.text(row.get(1)), Investigation.text(row.get(2)),
                    Investigation.text(row.get(3)), Investigation.number(row.get(4)),
                    owner.isEmpty() ? "unassigned" : owner, Investigation.time(row.get(6)),
                    Investigation.time(row.get(7))));
            bySeverity.merge(Investigation.text(row.get(3)), 1L, Long::sum);
            result.subject(EntityType.INCIDENT, Long.toString(number));
        }
        List<Object> top = rows.get(0);
        List<String> severities = new ArrayList<>();
        bySeverity.forEach((level, n) -> severities.add(n + " " + level));
        result.paragraph((total == 1 ? "There is 1 incident" : "There are " + total + " incidents") + filterText
                + " in tenant '" + investigation.tenant() + "' (" + scope + ")"
                + (rows.size() == total ? ": " + Investigation.join(severities) : "") + ". The most severe is #"
                + top.get(0) + " \"" + top.get(1) + "\" (" + top.get(3) + ", " + top.get(2) + ", "
                + Investigation.count((Long) top.get(4), "alert") + ", last active " + top.get(7) + ").");
        if (rows.size() < total) {
            result.paragraph("The table shows the first " + rows.size() + " of " + total + ".");
        }
        result.table(new Table("Incidents" + Investigation.shown(rows.size(), total), List.of("incident", "title",
                "status", "severity", "alerts", "owner", "first seen (UTC)", "last seen (UTC)"), rows));
        if (bySeverity.size() > 1) {
            result.chart(new Chart(Chart.Kind.BAR, "Incidents shown by severity", List.copyOf(bySeverity.keySet()),
                    List.of(new Chart.Series("incidents", bySeverity.values().stream().map(Long::doubleValue)
                            .toList()))));
        }
        result.evidence("The incidents listed", numbers.stream().map(n -> "incident:" + n).toList());
        result.evidence("Incidents matching the filters", List.of(ran.ref()));
        result.fact("count", total).fact("shown", rows.size()).fact("incidents", numbers)
                .fact("top_incident", numbers.get(0)).fact("by_severity", bySeverity);
        result.followUp("Summarize incident " + numbers.get(0));
        result.followUp("How do I contain incident " + numbers.get(0) + "?");
        if (numbers.size() > 1) {
            result.followUp("Summarize incident " + numbers.get(1));
        }
        return result.build();
    }

    private static String members(String alertCondition) {
        return "i.number IN (SELECT p.incident FROM vigil_incident_alerts p JOIN vigil_alerts a ON a.alert_id ="
                + " p.alert_id WHERE " + alertCondition + ")";
    }

    private static String[] span(Investigation investigation) {
        Investigation.Ran ran = investigation.sql("SELECT min(first_seen), max(last_seen) FROM vigil_incidents"
                + " WHERE merged_into IS NULL");
        List<Object> row = ran.rows().get(0);
        return new String[] {Investigation.time(row.get(0)), Investigation.time(row.get(1))};
    }
}
