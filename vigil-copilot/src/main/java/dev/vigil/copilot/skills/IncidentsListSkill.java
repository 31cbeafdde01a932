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
import dev.vigil.incident.Incident;
import dev.vigil.model.Role;
import dev.vigil.store.IncidentQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code incidents-list}: the tenant's incidents that match a status, a minimum severity, a host or an account and
 * the call's time range (incidents active in it), most severe first and, within a severity, most recently active
 * first.
 */
public final class IncidentsListSkill implements Skill {
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

        List<String> described = new ArrayList<>();
        IncidentQuery query = IncidentQuery.all().orderBy(IncidentQuery.Order.MOST_SEVERE).limit(Investigation.SHOWN);
        if (status.isPresent()) {
            query = status.get().equals("open") ? query.open() : query.status(Incident.Status.parse(status.get()));
            described.add("status " + status.get());
        }
        if (severity.isPresent()) {
            query = query.minimumSeverity(severity.get());
            described.add("severity " + severity.get() + " or higher");
        }
        Optional<Set<Long>> holding = Optional.empty();
        if (host.isPresent()) {
            holding = Optional.of(investigation.incidentsOfAlerts(Investigation.sqlAlertHost(host.get())));
            described.add("host " + host.get());
        }
        if (user.isPresent()) {
            Set<Long> naming = investigation.incidentsOfAlerts(Investigation.sqlAlertUser(user.get()));
            holding = Optional.of(holding.map(h -> {
                Set<Long> both = new TreeSet<>(h);
                both.retainAll(naming);
                return both;
            }).orElse(naming));
            described.add("account " + user.get());
        }
        query = holding.map(query::numbers).orElse(query);
        if (investigation.time().isPresent()) {
            query = query.activeIn(investigation.time().get().from(), investigation.time().get().to());
        }
        IncidentQuery.Matches matched = investigation.incidents(query);
        String[] bounds = investigation.time().isPresent() ? new String[2] : span(investigation);
        String scope = investigation.scope(bounds[0], bounds[1]);
        investigation.scopeFacts(bounds[0], bounds[1]);
        String filterText = described.isEmpty() ? "" : " with " + Investigation.join(described);
        status.ifPresent(s -> result.fact("status", s));
        severity.ifPresent(s -> result.fact("severity", s));
        host.ifPresent(h -> result.fact("host", h));
        user.ifPresent(u -> result.fact("user", u));

        if (matched.total() == 0) {
            result.status(SkillResult.Status.EMPTY).fact("count", 0L).fact("incidents", List.of());
            StringBuilder text = new StringBuilder("No incident" + filterText + " in tenant '"
                    + investigation.tenant() + "' (" + scope + ").");
            IncidentQuery.Matches all = investigation.incidents(IncidentQuery.all().limit(Investigation.SHOWN));
            long total = all.total();
            long open = investigation.incidents(IncidentQuery.all().open().limit(1)).total();
            result.fact("tenant_incidents", total).fact("tenant_open", open);
            if (total == 0) {
                text.append(" The tenant has no incident at all: incidents come from alerts, so ingest events with"
                        + " detection rules loaded (vigil rules import) or import alerts.");
            } else {
                text.append(" Without these filters the tenant has ").append(Investigation.count(total, "incident"))
                        .append(", ").append(open).append(" of them open.");
                result.evidence("The tenant's incidents without the filters" + Investigation.shown(
                        all.incidents().size(), total), all.incidents().stream().map(i -> "incident:" + i.number())
                        .toList());
            }
            result.markdown(text.toString());
            result.followUp("List the open incidents");
            result.followUp("Show the latest alerts");
            return result.build();
        }
        long total = matched.total();
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        List<Long> numbers = new ArrayList<>();
        for (Incident incident : matched.incidents()) {
            numbers.add(incident.number());
            String owner = incident.owner() == null ? "" : incident.owner();
            rows.add(List.of(incident.number(), incident.title(), incident.status().toString(), incident.severity(),
                    (long) incident.alertCount(), owner.isEmpty() ? "unassigned" : owner,
                    Investigation.instant(incident.firstSeen()), Investigation.instant(incident.lastSeen())));
            bySeverity.merge(incident.severity(), 1L, Long::sum);
            result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
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
        result.fact("count", total).fact("shown", rows.size()).fact("incidents", numbers)
                .fact("top_incident", numbers.get(0)).fact("by_severity", bySeverity);
        result.followUp("Summarize incident " + numbers.get(0));
        result.followUp("How do I contain incident " + numbers.get(0) + "?");
        if (numbers.size() > 1) {
            result.followUp("Summarize incident " + numbers.get(1));
        }
        return result.build();
    }

    /** The first and last activity of the tenant's incidents, for the scope of a call without a time range. */
    private static String[] span(Investigation investigation) {
        IncidentQuery.Matches all = investigation.incidents(IncidentQuery.all().limit(1));
        return new String[] {all.firstSeen().map(Investigation::instant).orElse(null),
                all.lastSeen().map(Investigation::instant).orElse(null)};
    }
}
