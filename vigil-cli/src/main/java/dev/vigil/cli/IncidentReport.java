package dev.vigil.cli;

import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentFacts;
import dev.vigil.incident.IncidentView;
import dev.vigil.incident.PlacedAlert;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An incident's analysis printed for people: sections with tables, evidence in brackets after each statement. */
final class IncidentReport {
    private static final int MAX_TIMELINE = 40;
    private static final int MAX_ENTITIES = 30;

    private IncidentReport() {}

    static void print(PrintWriter out, IncidentView view, IncidentFacts facts, List<ResponseAction> actions,
            List<IncidentChange> changes) {
        var incident = view.incident();
        out.printf(Locale.ROOT, "Incident %d: %s%n", incident.number(), incident.title());
        out.printf(Locale.ROOT, "  %s · severity %s · %s · %s · %d alerts · %s to %s UTC%s%n", incident.status(),
                incident.severity(), incident.owner().isEmpty() ? "unassigned" : "owner " + incident.owner(),
                incident.classification(), incident.alertCount(), IncidentsCommand.time(incident.firstSeen()),
                IncidentsCommand.time(incident.lastSeen()), incident.tags().isEmpty() ? ""
                        : " · tags " + String.join(", ", incident.tags()));
        if (!incident.reference().isEmpty()) {
            out.println("  imported from " + incident.reference());
        }

        section(out, "Summary");
        for (IncidentView.Sentence sentence : view.summary()) {
            out.println("  " + sentence.text() + refs(sentence.evidence()));
        }

        section(out, "Timeline");
        out.print(indent(chart(view)));
        List<List<Object>> rows = new ArrayList<>();
        for (IncidentView.TimelineEntry entry : view.timeline().subList(0, Math.min(MAX_TIMELINE,
                view.timeline().size()))) {
            rows.add(List.of(IncidentsCommand.time(entry.timeMicros()), entry.kind(), entry.level(), entry.title(),
                    entry.host(), entry.detail(), shortRef(entry.evidence())));
        }
        out.print(indent(Output.table(List.of("time (UTC)", "kind", "level", "what", "host", "detail", "evidence"),
                rows)));
        if (view.timeline().size() > MAX_TIMELINE) {
            out.printf(Locale.ROOT, "  (%d of %d entries; --json gives all)%n", MAX_TIMELINE, view.timeline().size());
        }

        section(out, "Entities");
        rows = new ArrayList<>();
        for (IncidentView.EntityNode node : view.entities().subList(0, Math.min(MAX_ENTITIES,
                view.entities().size()))) {
            List<String> flags = new ArrayList<>();
            if (node.privileged()) {
                flags.add("privileged");
            }
            if (node.common()) {
                flags.add("common: ties nothing");
            }
            rows.add(List.of(node.role().toString(), node.key().kind().label(), node.key().value(), node.alerts(),
                    node.why(), String.join(", ", flags)));
        }
        out.print(indent(Output.table(List.of("role", "kind", "entity", "alerts", "why", "notes"), rows)));
        if (!view.edges().isEmpty()) {
            List<IncidentView.EntityEdge> strongest = view.edges().stream()
                    .sorted(java.util.Comparator.comparingInt(IncidentView.EntityEdge::alerts).reversed()).limit(8)
                    .toList();
            out.println("  links: " + String.join("; ", strongest.stream().map(e -> e.from() + " — " + e.to() + " ("
                    + e.alerts() + ")").toList()));
        }

        section(out, "Tactics");
        if (view.tactics().isEmpty()) {
            out.println("  none known (ATT&CK knowledge is needed: vigil intel import enterprise-attack.json)");
        } else {
            rows = new ArrayList<>();
            for (IncidentView.TacticReached tactic : view.tactics()) {
                rows.add(List.of(tactic.name(), String.join(", ", tactic.techniques()),
                        IncidentsCommand.time(tactic.firstMicros()), shortRefs(tactic.evidence())));
            }
            out.print(indent(Output.table(List.of("tactic", "techniques", "first (UTC)", "evidence"), rows)));
        }

        section(out, "Impact");
        IncidentView.Impact impact = view.impact();
        out.printf(Locale.ROOT, "  score %d/100 %s%n", impact.score(), bar(impact.score(), 100, 20));
        rows = new ArrayList<>();
        for (IncidentView.Factor factor : impact.factors()) {
            rows.add(List.of(factor.name(), "+" + factor.points(), factor.why(), shortRefs(factor.evidence())));
        }
        out.print(indent(Output.table(List.of("factor", "points", "why", "evidence"), rows)));
        out.println("  hosts: " + joinOrNone(impact.hosts()) + "; accounts: " + joinOrNone(impact.users())
                + (impact.mailboxes().isEmpty() ? "" : "; mailboxes: " + String.join(", ", impact.mailboxes()))
                + "; criticality: " + impact.criticality());

        section(out, "Likely source");
        for (IncidentView.Sentence sentence : view.source().initialAccess()) {
            out.println("  " + sentence.text() + refs(sentence.evidence()));
        }
        for (IncidentView.Sentence sentence : view.source().intelMatches()) {
            out.println("  " + sentence.text() + refs(sentence.evidence()));
        }
        if (!view.source().actors().isEmpty()) {
            out.println("  Threat actors whose known techniques overlap (hypotheses, not attribution):");
            rows = new ArrayList<>();
            for (IncidentView.ActorHypothesis actor : view.source().actors()) {
                rows.add(List.of(actor.groupId(), actor.name(), actor.overlap().size() + " of its "
                        + actor.groupTechniques(), String.join(", ", actor.overlap()), actor.score()));
            }
            out.print(indent(Output.table(List.of("group", "name", "overlap", "techniques", "score"), rows)));
        }

        section(out, "Guided response");
        Map<String, ResponseAction> byCard = new HashMap<>();
        for (ResponseAction action : actions) {
            byCard.put(action.action() + "\n" + action.target(), action);
        }
        for (ResponseCard.Category category : ResponseCard.Category.values()) {
            List<ResponseCard> cards = view.cards().stream().filter(c -> c.category() == category).toList();
            if (cards.isEmpty()) {
                continue;
            }
            out.println("  " + category.toString().toUpperCase(Locale.ROOT));
            for (ResponseCard card : cards) {
                ResponseAction action = card.action() == null ? null : byCard.get(card.action() + "\n" + card.target());
                String state = action == null ? "" : "  [" + action.shortId() + " " + action.status()
                        + (action.decidedBy().isEmpty() ? "" : " by " + action.decidedBy()) + "]";
                out.println("  - " + card.title() + state);
                out.println("      why: " + card.reason() + refs(card.evidence()));
                if (category == ResponseCard.Category.INVESTIGATION && !card.detail().isEmpty()) {
                    card.detail().lines().forEach(line -> out.println("      " + line));
                }
            }
        }
        if (!actions.isEmpty()) {
            out.println("  Approve with: vigil incidents approve " + incident.number() + " <id>;"
                    + " reject with: vigil incidents reject " + incident.number() + " <id> --reason TEXT");
        }

        section(out, "Why these alerts are together");
        int shown = 0;
        for (PlacedAlert placed : facts.alerts()) {
            if (shown++ == 15) {
                out.printf(Locale.ROOT, "  (%d more; --json gives all)%n", facts.alerts().size() - 15);
                break;
            }
            out.println("  alert " + placed.alert().id().toString().substring(0, 8) + " ("
                    + placed.alert().title() + ") " + placed.reason().explain(id -> id.toString().substring(0, 8)));
        }

        section(out, "History");
        if (changes.isEmpty()) {
            out.println("  no change yet");
        }
        for (IncidentChange change : changes) {
            out.printf(Locale.ROOT, "  %s  %s  %s: %s%n", IncidentsCommand.time(change.at()), change.actor(),
                    change.field(), change.from().isEmpty() ? change.to() : change.from() + " -> " + change.to());
        }
    }

    /** Alerts per hour (or per minute for short incidents) as a bar chart, where looking beats reading. */
    static String chart(IncidentView view) {
        List<IncidentView.TimelineEntry> alerts = view.timeline().stream().filter(e -> e.kind().equals("alert"))
                .toList();
        if (alerts.size() < 3) {
            return "";
        }
        long first = alerts.getFirst().timeMicros();
        long last = alerts.getLast().timeMicros();
        long span = last - first;
        long bucket = span > 6 * 3_600_000_000L ? 3_600_000_000L : span > 20 * 60_000_000L ? 600_000_000L
                : 60_000_000L;
        String unit = bucket == 3_600_000_000L ? "hour" : bucket == 600_000_000L ? "10 minutes" : "minute";
        TreeMap<Long, Integer> counts = new TreeMap<>();
        for (IncidentView.TimelineEntry entry : alerts) {
            counts.merge(Math.floorDiv(entry.timeMicros(), bucket) * bucket, 1, Integer::sum);
        }
        if (counts.size() < 2 || counts.size() > 48) {
            return "";
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        StringBuilder chart = new StringBuilder("alerts per " + unit + ":\n");
        for (long t = counts.firstKey(); t <= counts.lastKey(); t += bucket) {
            int n = counts.getOrDefault(t, 0);
            chart.append(IncidentsCommand.time(t)).append(' ').append(bar(n, max, 30)).append(' ').append(n)
                    .append('\n');
        }
        return chart.toString();
    }

    static String bar(int value, int max, int width) {
        int filled = max == 0 ? 0 : (int) Math.round(value * (double) width / max);
        return "█".repeat(filled) + "·".repeat(Math.max(0, width - filled));
    }

    private static void section(PrintWriter out, String title) {
        out.println();
        out.println(title);
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    private static String refs(List<String> evidence) {
        return evidence.isEmpty() ? "" : " [" + shortRefs(evidence) + "]";
    }

    static String shortRefs(List<String> evidence) {
        List<String> shown = evidence.stream().limit(4).map(IncidentReport::shortRef).toList();
        return String.join(", ", shown) + (evidence.size() > 4 ? ", +" + (evidence.size() - 4) : "");
    }

    /** {@code alert:1f2e3d4c-...} as {@code alert 1f2e3d4c}; knowledge ids whole. */
    static String shortRef(String ref) {
        int colon = ref.indexOf(':');
        if (colon < 0) {
            return ref;
        }
        String kind = ref.substring(0, colon);
        String id = ref.substring(colon + 1);
        return (kind.equals("alert") || kind.equals("event")) && id.length() > 8 ? kind + " " + id.substring(0, 8)
                : kind + " " + id;
    }

    private static String joinOrNone(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }
}
