package dev.vigil.cli;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plan.Frame;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.SkillRanker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints a copilot answer for people: the answer, its tables and charts, the queries, the evidence, the process log. */
final class AnswerPrinter {
    private static final int BAR = 40;

    private AnswerPrinter() {}

    static void print(PrintWriter out, Answer answer) {
        out.println(answer.markdown());
        for (Table table : answer.tables()) {
            out.println();
            out.println(table.title() + ":");
            out.print(Output.table(table.columns(), table.rows().stream().limit(25).toList()));
            if (table.rows().size() > 25) {
                out.println("(" + table.rows().size() + " rows; --json has them all)");
            }
        }
        for (Chart chart : answer.charts()) {
            if (chart.kind() == Chart.Kind.BAR || chart.kind() == Chart.Kind.LINE) {
                out.println();
                out.println(chart.title() + ":");
                bars(out, chart);
            }
        }
        if (!answer.queries().isEmpty()) {
            out.println();
            out.println("Queries run:");
            for (int i = 0; i < answer.queries().size(); i++) {
                ExecutedQuery q = answer.queries().get(i);
                out.println("  [query:" + i + "] " + q.language() + ", " + q.rows() + " rows, " + q.millis() + " ms");
                q.text().lines().forEach(line -> out.println("      " + line));
            }
        }
        if (!answer.evidence().isEmpty()) {
            out.println();
            out.println("Evidence:");
            for (Evidence e : answer.evidence().stream().limit(12).toList()) {
                out.println("  - " + e.claim() + " <- " + String.join(", ", e.refs().stream().limit(6).toList())
                        + (e.refs().size() > 6 ? " (+" + (e.refs().size() - 6) + ")" : ""));
            }
        }
        if (!answer.followUps().isEmpty()) {
            out.println();
            out.println("Try next:");
            answer.followUps().forEach(f -> out.println("  " + f));
        }
        out.println();
        StringBuilder log = new StringBuilder("Process: ");
        for (StepLog step : answer.log()) {
            String shown = step.step().replaceAll("\\s+", " ");
            log.append(shown.length() > 70 ? shown.substring(0, 70) + "…" : shown).append(" (")
                    .append(step.status()).append(", ").append(ms(step.micros())).append("); ");
        }
        log.append("total ").append(ms(answer.totalMicros()));
        out.println(log);
    }

    static void explain(PrintWriter out, Planner.Planned planned) {
        out.println("Plan: " + planned.plan().route().name().toLowerCase(Locale.ROOT) + ", confidence "
                + String.format(Locale.ROOT, "%.2f", planned.plan().confidence()) + " (" + planned.plan().rationale() + ")");
        planned.plan().steps().forEach(s -> out.println("  " + s.display()));
        planned.plan().clarification().ifPresent(c -> out.println("  asks: " + c.question()));
        out.println("Read: " + planned.reading().normalized());
        planned.reading().mentions().forEach(m -> out.println("  " + m.type().key() + " " + m.value()
                + (m.text().equals(m.value()) ? "" : " (typed '" + m.text() + "')")));
        planned.reading().time().ifPresent(t -> out.println("  time " + t));
        planned.reading().corrections().forEach(c -> out.println("  corrected " + c));
        planned.frame().ifPresent(f -> printFrame(out, f));
        if (!planned.ranking().isEmpty()) {
            out.println("Skills ranked:");
            for (SkillRanker.Ranked r : planned.ranking().stream().limit(5).toList()) {
                out.println(String.format(Locale.ROOT, "  %-22s %.3f (meaning %.3f, inputs %+.2f)", r.spec().name(),
                        r.score(), r.similarity(), r.compatibility()));
            }
        }
        out.println("Planner time: " + ms(planned.micros()));
    }

    private static void printFrame(PrintWriter out, Frame f) {
        out.println("Frame: " + f.intent().name().toLowerCase(Locale.ROOT) + " " + f.concept().name()
                + f.projection().map(p -> " -> " + p).orElse("") + (f.groupBy().isEmpty() ? "" : " by " + f.groupBy())
                + String.format(Locale.ROOT, ", confidence %.2f", f.confidence()));
        f.filters().forEach(x -> out.println("  " + x.role() + " " + x.op() + " " + x.value() + " ('" + x.because() + "')"));
        if (!f.unknown().isEmpty()) {
            out.println("  words not placed: " + f.unknown());
        }
    }

    private static void bars(PrintWriter out, Chart chart) {
        List<Double> values = chart.series().get(0).values();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int width = chart.labels().stream().mapToInt(String::length).max().orElse(4);
        width = Math.min(width, 28);
        for (int i = 0; i < Math.min(chart.labels().size(), 30); i++) {
            String label = chart.labels().get(i);
            label = label.length() > width ? label.substring(0, width - 1) + "…" : label;
            int n = max <= 0 ? 0 : (int) Math.round(values.get(i) / max * BAR);
            out.println(String.format(Locale.ROOT, "  %-" + width + "s %s %s", label, "█".repeat(Math.max(n, 0)),
                    Output.count(Math.round(values.get(i)))));
        }
    }

    static String ms(long micros) {
        return micros < 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000.0) : (micros / 1000) + " ms";
    }
}
