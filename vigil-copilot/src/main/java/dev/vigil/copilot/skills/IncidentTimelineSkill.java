package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentView;
import dev.vigil.store.IncidentCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code incident-timeline}: what happened in an incident, in order: its alerts and the events behind them, each with
 * its evidence, and the alerts over time as a chart when there are enough to see a shape.
 */
public final class IncidentTimelineSkill implements Skill {
    private static final int SHOWN = 40;
    private static final long HOUR = 3_600_000_000L;
    private static final long TEN_MINUTES = 600_000_000L;
    private static final long MINUTE = 60_000_000L;
    private static final SkillSpec SPEC = new SkillSpec("incident-timeline", "incidents",
            "Shows the timeline of an incident: its alerts and the events behind them in time order, with evidence,"
                    + " and the alerts over time.",
            List.of("Show the timeline of incident 3", "What happened in incident 12, step by step?",
                    "When did incident #4 start?", "Walk me through incident 7",
                    "Sequence of events in incident 5", "In what order did the alerts of incident 8 fire?"),
            List.of(IncidentLookup.INCIDENT));

    private final Workspace workspace;

    public IncidentTimelineSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Optional<IncidentCase> found = IncidentLookup.load(workspace, call, context, result);
        if (found.isEmpty()) {
            return result.build();
        }
        IncidentView view = found.get().view();
        Incident incident = view.incident();
        List<IncidentView.TimelineEntry> timeline = view.timeline();
        result.fact("incident", incident.number()).fact("entries", timeline.size())
                .fact("tenant", workspace.store().tenant().value());
        result.subject(EntityType.INCIDENT, Long.toString(incident.number()));
        if (timeline.isEmpty()) {
            result.status(SkillResult.Status.EMPTY).paragraph("Incident #" + incident.number() + " has no timeline:"
                    + " none of its alerts or their events is stored any more.");
            result.evidence("The incident", List.of("incident:" + incident.number()));
            return result.build();
        }
        List<IncidentView.TimelineEntry> alerts = timeline.stream().filter(e -> e.kind().equals("alert")).toList();
        IncidentView.TimelineEntry first = timeline.getFirst();
        IncidentView.TimelineEntry last = timeline.getLast();
        String firstTime = Investigation.micros(first.timeMicros());
        String lastTime = Investigation.micros(last.timeMicros());
        result.paragraph("Incident #" + incident.number() + " runs from " + firstTime + " to " + lastTime + " in "
                + Investigation.count(timeline.size(), "step") + " (" + Investigation.count(alerts.size(), "alert")
                + "): it begins with " + first.title() + where(first) + " and ends with " + last.title() + where(last)
                + ".");
        result.fact("alerts", alerts.size()).fact("first", firstTime).fact("last", lastTime)
                .fact("first_entry", first.title()).fact("last_entry", last.title());

        List<List<Object>> rows = new ArrayList<>();
        for (IncidentView.TimelineEntry entry : timeline.subList(0, Math.min(SHOWN, timeline.size()))) {
            String time = Investigation.micros(entry.timeMicros());
            rows.add(java.util.Arrays.asList(time, entry.kind(), entry.level(), entry.title(), entry.host(),
                    entry.user(), entry.detail(), String.join(", ", entry.techniques()), entry.evidence()));
            if (entry.evidence() != null && !entry.evidence().isEmpty()) {
                result.evidence(time + " " + entry.title() + where(entry), List.of(entry.evidence()));
            }
            if (entry.host() != null && !entry.host().isEmpty()) {
                result.subject(EntityType.HOST, entry.host());
            }
        }
        result.table(new Table("Timeline of incident " + incident.number() + Investigation.shown(rows.size(),
                timeline.size()), List.of("time (UTC)", "kind", "level", "what", "host", "user", "detail",
                "techniques", "evidence"), rows));
        if (rows.size() < timeline.size()) {
            result.paragraph("The table shows the first " + rows.size() + " of " + timeline.size() + " steps.");
        }
        chart(alerts).ifPresent(chart -> {
            result.chart(chart);
            result.paragraph("The chart shows the alerts per " + chart.title().replace("Alerts per ", "") + ".");
        });
        result.followUp("Summarize incident " + incident.number());
        result.followUp("What is the impact of incident " + incident.number() + "?");
        result.followUp("How do I respond to incident " + incident.number() + "?");
        return result.build();
    }

    private static String where(IncidentView.TimelineEntry entry) {
        return entry.host() == null || entry.host().isEmpty() ? "" : " on " + entry.host();
    }

    /** Alerts per hour, ten minutes or minute, by the incident's span, when at least three alerts make a shape. */
    static Optional<Chart> chart(List<IncidentView.TimelineEntry> alerts) {
        if (alerts.size() < 3) {
            return Optional.empty();
        }
        long span = alerts.getLast().timeMicros() - alerts.getFirst().timeMicros();
        long bucket = span > 6 * HOUR ? HOUR : span > 20 * MINUTE ? TEN_MINUTES : MINUTE;
        String unit = bucket == HOUR ? "hour" : bucket == TEN_MINUTES ? "10 minutes" : "minute";
        TreeMap<Long, Integer> counts = new TreeMap<>();
        for (IncidentView.TimelineEntry entry : alerts) {
            counts.merge(Math.floorDiv(entry.timeMicros(), bucket) * bucket, 1, Integer::sum);
        }
        if (counts.size() < 2 || (counts.lastKey() - counts.firstKey()) / bucket > 72) {
            return Optional.empty();
        }
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (long t = counts.firstKey(); t <= counts.lastKey(); t += bucket) {
            labels.add(Investigation.micros(t));
            values.add((double) counts.getOrDefault(t, 0));
        }
        return Optional.of(new Chart(Chart.Kind.BAR, "Alerts per " + unit, labels,
                List.of(new Chart.Series("alerts", values))));
    }
}
