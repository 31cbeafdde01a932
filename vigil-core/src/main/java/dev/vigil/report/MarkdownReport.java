package dev.vigil.report;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Table;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Renders a report as Markdown (GitHub-flavoured: tables as pipes): a header with the organization, period and
 * audience, the numbered sections with their text, tables and chart data, the terms an executive report uses, and an
 * appendix with the queries behind every number, per section. Deterministic: the same report gives the same text.
 */
public final class MarkdownReport {
    /** Rows of a table shown at most; a cut is said. */
    static final int MAX_ROWS = 50;
    /** Evidence lines listed per section in a technical report's appendix. */
    static final int MAX_EVIDENCE = 10;

    private MarkdownReport() {}

    public static String render(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(oneLine(report.title())).append("\n\n");
        out.append(header(report)).append("\n\n");
        if (!report.description().isBlank()) {
            out.append('_').append(oneLine(report.description())).append("_\n\n");
        }
        int number = 0;
        for (ReportSection section : report.sections()) {
            number++;
            out.append("## ").append(number).append(". ").append(oneLine(section.title())).append("\n\n");
            out.append(body(section)).append('\n');
        }
        if (!report.glossary().isEmpty()) {
            out.append("## Terms used\n\n");
            report.glossary().forEach((term, meaning) -> out.append("- **").append(term).append("**: ")
                    .append(meaning).append('\n'));
            out.append('\n');
        }
        out.append(appendix(report));
        return out.toString();
    }

    /** The line under the title: organization, period, as-of, audience and tenant. */
    static String header(Report report) {
        return "**" + oneLine(report.organization()) + "** · " + (report.period().pointInTime() ? ""
                : report.period().firstDay() + " to " + report.period().lastDay() + " (" + oneLine(report.period()
                .text()) + ") · ") + "as of " + report.period().lastDay() + " · " + (report.audience() == Audience.EXECUTIVE
                ? "for executives" : "for technical readers") + " · tenant `" + report.tenant() + "`"
                + (filters(report).isEmpty() ? "" : " · only " + filters(report));
    }

    /** The filters the report was made with, in words ("host web01, severity high or higher"); empty for none. */
    static String filters(Report report) {
        List<String> words = new java.util.ArrayList<>();
        java.util.Optional.ofNullable(report.parameters().get("host")).ifPresent(h -> words.add("host " + h));
        java.util.Optional.ofNullable(report.parameters().get("user")).ifPresent(u -> words.add("account " + u));
        java.util.Optional.ofNullable(report.parameters().get("severity")).ifPresent(s -> words.add("severity " + s
                + " or higher"));
        return oneLine(String.join(", ", words));
    }

    /** A section's text, tables and chart data, its headings below the section's own. */
    static String body(ReportSection section) {
        StringBuilder out = new StringBuilder();
        if (!section.markdown().isBlank()) {
            out.append(demote(section.markdown().strip())).append("\n\n");
        }
        for (Table table : section.tables()) {
            out.append(table(table)).append('\n');
        }
        for (Figure figure : section.figures()) {
            out.append(figure(figure, section.tables())).append("\n\n");
        }
        return out.toString();
    }

    /**
     * A chart in words: a short one as its values in a line; one whose data a table of the section already shows
     * (same title, or as many rows) as a pointer to it; else its data as a table. HTML and PDF draw it.
     */
    static String figure(Figure figure, List<Table> tables) {
        Table data = figure.data();
        String title = "_Chart: " + oneLine(figure.title());
        if (figure.kind() != Chart.Kind.HEATMAP && data.columns().size() == 2 && data.rows().size() <= 12) {
            return title + ": " + String.join(", ", data.rows().stream().map(r -> plain(r.get(0)) + " "
                    + plain(r.get(1))).toList()) + "._";
        }
        boolean shown = tables.stream().anyMatch(t -> t.title().equals(figure.title())
                || t.rows().size() == data.rows().size());
        if (shown) {
            return title + " (drawn in the HTML and PDF versions; its data is in the table above)._";
        }
        return title + "._\n\n" + table(data);
    }

    /** Headings of a section's text moved two levels down, under the section's heading. */
    static String demote(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            out.append(!fenced && line.matches("#{1,4} .*") ? "##" + line : line).append('\n');
        }
        return out.toString().stripTrailing();
    }

    static String table(Table table) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(MAX_ROWS, table.rows().size());
        out.append("**").append(oneLine(table.title())).append("**");
        if (shown < table.rows().size()) {
            out.append(" (first ").append(shown).append(" of ").append(table.rows().size()).append(" rows)");
        }
        out.append("\n\n");
        if (table.rows().isEmpty()) {
            return out.append("No rows.\n").toString();
        }
        out.append('|');
        table.columns().forEach(c -> out.append(' ').append(cell(c)).append(" |"));
        out.append("\n|");
        table.columns().forEach(c -> out.append(" --- |"));
        out.append('\n');
        for (List<Object> row : table.rows().subList(0, shown)) {
            out.append('|');
            row.forEach(c -> out.append(' ').append(cell(c)).append(" |"));
            out.append('\n');
        }
        return out.toString();
    }

    /** The appendix: per section, how it was computed and the queries behind its numbers. */
    static String appendix(Report report) {
        StringBuilder out = new StringBuilder("## Appendix: the queries behind the numbers\n\n");
        out.append("Every figure of this report comes from the queries below, run over the tenant's data for the"
                + " period; each can be run again with `vigil sql` (SQL) or `vigil hunt` (KQL).\n\n");
        int number = 0;
        for (ReportSection section : report.sections()) {
            number++;
            out.append("### ").append(number).append(". ").append(oneLine(section.title())).append("\n\n");
            out.append("Computed by `").append(section.call().replace("`", "'")).append("`");
            if (section.queries().isEmpty()) {
                out.append(" from stored records and knowledge, without a query.\n\n");
            } else {
                out.append(" with ").append(section.queries().size() == 1 ? "1 query" : section.queries().size()
                        + " queries").append(":\n\n");
            }
            int q = 0;
            for (ExecutedQuery query : section.queries()) {
                q++;
                out.append(q).append(". ").append(query.language().toUpperCase(java.util.Locale.ROOT)).append(", ")
                        .append(query.rows()).append(query.rows() == 1 ? " row" : " rows").append(":\n\n");
                out.append("   ```").append(query.language()).append('\n');
                for (String line : query.text().strip().split("\n")) {
                    out.append("   ").append(line.replace("```", "'''")).append('\n');
                }
                out.append("   ```\n\n");
            }
            if (report.audience() == Audience.TECHNICAL && !section.evidence().isEmpty()) {
                out.append("Evidence:\n\n");
                for (Evidence evidence : section.evidence().subList(0, Math.min(MAX_EVIDENCE,
                        section.evidence().size()))) {
                    out.append("- ").append(oneLine(evidence.claim())).append(": ").append(String.join(", ",
                            evidence.refs().stream().map(MarkdownReport::ref).toList())).append('\n');
                }
                if (section.evidence().size() > MAX_EVIDENCE) {
                    out.append("- and ").append(section.evidence().size() - MAX_EVIDENCE).append(" more\n");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** An evidence reference as the reader finds it: {@code query:0} is the section's query 1 above. */
    static String ref(String ref) {
        if (ref.startsWith("query:")) {
            try {
                return "query " + (Integer.parseInt(ref.substring(6)) + 1);
            } catch (NumberFormatException e) {
                return "`" + ref + "`";
            }
        }
        return "`" + ref.replace("`", "'") + "`";
    }

    /** A cell as text: numbers without a needless ".0", nothing for null, pipes and line breaks escaped. */
    static String cell(Object value) {
        return oneLine(plain(value)).replace("|", "\\|");
    }

    static String plain(Object value) {
        return switch (value) {
            case null -> "";
            case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 ->
                    Long.toString(d.longValue());
            case Double d -> new BigDecimal(d.toString()).stripTrailingZeros().toPlainString();
            case Float f -> plain(f.doubleValue());
            case List<?> list -> String.join(", ", list.stream().map(MarkdownReport::plain).toList());
            case Map<?, ?> map -> String.join(", ", map.entrySet().stream().map(e -> e.getKey() + ": "
                    + plain(e.getValue())).toList());
            default -> value.toString();
        };
    }

    static String oneLine(String text) {
        return text.replace("\r", "").replace('\n', ' ').strip();
    }

    /** Unused kinds keep the switch total when a chart kind is added. */
    static String kindWord(Chart.Kind kind) {
        return switch (kind) {
            case BAR -> "bar chart";
            case LINE -> "line chart";
            case DONUT -> "donut chart";
            case HEATMAP -> "heat map";
        };
    }
}
