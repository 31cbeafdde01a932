package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.TimeRange;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds a {@link Report} from a template: picks the sections the request asks for, runs each through the caller's
 * {@link Sections} (a copilot skill call, or a hunting query over the period), fills the template's prose
 * placeholders from the results, draws the template's charts from the result tables, and, for an executive
 * audience, keeps identifiers out of the prose and tables.
 *
 * <p>A section that finds nothing says so in its own words; one that fails (a skill error, a query that no longer
 * compiles) says why, and the rest of the report is still built. A placeholder whose value is not in the result is
 * written as "(not in the data)", never guessed.
 */
public final class ReportAssembler {
    /** Written where a prose placeholder has no value in the section's result. */
    public static final String NOT_IN_DATA = "(not in the data)";

    /** Runs sections against a tenant's data. */
    public interface Sections {
        /** Runs a copilot skill; the call's time range is the report's period. */
        SkillResult skill(SkillCall call);

        /** Runs a hunting query, read-only and with limits, over the period. */
        SkillResult query(String kql, TimeRange period);
    }

    private ReportAssembler() {}

    /**
     * Builds the report.
     *
     * @param art draws a figure as SVG (empty when it cannot)
     * @throws VigilException for a parameter the template requires and the request lacks, or a section id of
     *     {@code only} or {@code without} the template does not have
     */
    public static Report assemble(ReportTemplate template, ReportRequest request, Sections sections,
            Function<Figure, String> art) {
        requireNonNull(template, "template is null");
        requireNonNull(request, "request is null");
        requireNonNull(sections, "sections is null");
        requireNonNull(art, "art is null");
        Audience audience = request.audience() == null ? template.audience() : request.audience();
        for (String required : template.requires()) {
            if (request.parameters().getOrDefault(required, "").isBlank()) {
                throw new VigilException(ErrorCode.USAGE, "report template '" + template.name() + "' needs the "
                        + required + " it is about", "Pass --" + required + " (or \"" + required
                        + "\" in the request's parameters).", null);
            }
        }
        Map<String, String> parameters = parameters(template, request, audience);
        List<ReportSection> built = new ArrayList<>();
        for (TemplateSection section : chosen(template, request, audience)) {
            ReportSection done = section(section, parameters, request.period(), audience, sections, art);
            // sections that find nothing for one reason (no inventory) say it once, not once each
            if (done.status() != ReportSection.Status.OK && built.stream().anyMatch(b -> b.status() == done.status()
                    && b.markdown().equals(done.markdown()))) {
                String earlier = built.stream().filter(b -> b.markdown().equals(done.markdown())).findFirst()
                        .orElseThrow().title();
                built.add(new ReportSection(done.id(), done.title(), done.status(), "Nothing to report here either,"
                        + " for the reason given under \"" + earlier + "\".", done.tables(), done.figures(),
                        done.evidence(), done.call(), done.queries()));
            } else {
                built.add(done);
            }
        }
        Map<String, String> glossary = new LinkedHashMap<>();
        if (audience == Audience.EXECUTIVE) {
            glossary.putAll(PlainLanguage.glossary(built.stream().map(s -> s.title() + "\n" + s.markdown() + "\n"
                    + s.tables().stream().map(t -> t.title() + " " + t.columns()).collect(Collectors.joining("\n")))
                    .collect(Collectors.joining("\n"))));
        }
        Map<String, String> shown = new LinkedHashMap<>(request.parameters());
        shown.put("audience", audience.word());
        shown.put("period", request.period().text());
        return new Report(template.name(), template.title(), template.description(), request.tenant(),
                parameters.get("org"), request.period(), audience, shown, built, glossary);
    }

    /** The sections the request asks for, in the template's order. */
    static List<TemplateSection> chosen(ReportTemplate template, ReportRequest request, Audience audience) {
        Set<String> ids = template.sections().stream().map(TemplateSection::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        for (String id : concat(request.only(), request.without())) {
            if (!ids.contains(id)) {
                throw new VigilException(ErrorCode.USAGE, "report template '" + template.name() + "' has no section '"
                        + id + "'", "Name sections by their ids: " + String.join(", ", ids) + ".", null);
            }
        }
        return template.sections().stream()
                .filter(s -> request.only().isEmpty() ? s.enabled() && s.audience().shownTo(audience)
                        : request.only().contains(s.id()))
                .filter(s -> !request.without().contains(s.id()))
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<String, String> parameters(ReportTemplate template, ReportRequest request, Audience audience) {
        Map<String, String> values = new LinkedHashMap<>();
        request.parameters().forEach((name, value) -> {
            if (Placeholders.isParameter(name) && value != null && !value.isBlank()) {
                values.put(name, value.strip());
            }
        });
        values.put("tenant", request.tenant());
        values.put("org", request.organization().isBlank() ? request.tenant() : request.organization().strip());
        values.put("period", request.period().text());
        values.put("period.start", request.period().firstDay().toString());
        values.put("period.end", request.period().lastDay().toString());
        values.put("as_of", request.period().lastDay().toString());
        values.put("audience", audience.word());
        return values;
    }

    private static ReportSection section(TemplateSection section, Map<String, String> parameters, ReportPeriod period,
            Audience audience, Sections sections, Function<Figure, String> art) {
        TimeRange range = new TimeRange(period.from(), period.to(), period.text());
        SkillResult result;
        String call;
        switch (section.source()) {
            case TemplateSection.SkillSource skill -> {
                Map<String, List<String>> inputs = new LinkedHashMap<>();
                skill.inputs().forEach((name, value) -> {
                    String filled = Placeholders.fill(value, parameters).strip();
                    if (!filled.isEmpty()) {
                        inputs.put(name, List.of(filled));
                    }
                });
                SkillCall skillCall = new SkillCall(skill.skill(), inputs, Optional.of(range));
                call = SkillCall.of(skill.skill(), inputs).display();
                result = run(skill.skill(), () -> sections.skill(skillCall));
            }
            case TemplateSection.QuerySource query -> {
                call = "hunting query";
                result = run("hunt", () -> sections.query(query.kql(), range));
            }
        }
        ReportSection.Status status = switch (result.status()) {
            case OK -> ReportSection.Status.OK;
            case EMPTY -> ReportSection.Status.EMPTY;
            case FAILED -> ReportSection.Status.FAILED;
        };
        List<String> notes = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        result.charts().forEach(chart -> figures.add(Figure.of(chart)));
        if (result.status() == SkillResult.Status.OK) {
            for (ChartSpec spec : section.charts()) {
                chart(spec, result.tables()).ifPresentOrElse(figures::add, () -> notes.add(
                        "_The chart \"" + spec.title() + "\" is not drawn: " + missing(spec, result.tables()) + "._"));
            }
        }
        StringBuilder markdown = new StringBuilder();
        if (!section.prose().isBlank() && result.status() != SkillResult.Status.FAILED) {
            markdown.append(Placeholders.fill(section.prose().strip(), name -> value(name, parameters, result),
                    name -> NOT_IN_DATA));
        }
        String own = switch (section.text()) {
            case ALL -> result.markdown().strip();
            case FIRST -> result.markdown().strip().split("\n\n", 2)[0];
            case NONE -> result.status() == SkillResult.Status.OK ? "" : result.markdown().strip();
        };
        if (!own.isBlank()) {
            markdown.append(markdown.isEmpty() ? "" : "\n\n").append(own);
        } else if (result.status() == SkillResult.Status.EMPTY && markdown.isEmpty()) {
            markdown.append("The data holds nothing for this section in the period.");
        }
        notes.forEach(n -> markdown.append("\n\n").append(n));
        List<Table> tables = result.tables().stream().filter(t -> section.showsTable(t.title())).toList();
        String text = markdown.toString();
        if (audience == Audience.EXECUTIVE) {
            text = PlainLanguage.prose(text);
            tables = tables.stream().map(PlainLanguage::table).toList();
        }
        List<Figure> drawn = figures.stream().map(f -> f.withSvg(draw(art, f))).toList();
        return new ReportSection(section.id(), section.title(), status, text, tables, drawn, result.evidence(), call,
                result.queries());
    }

    private static String draw(Function<Figure, String> art, Figure figure) {
        try {
            String svg = art.apply(figure);
            return svg == null ? "" : svg;
        } catch (RuntimeException e) {
            return ""; // the figure's data is shown instead of a drawing
        }
    }

    private static SkillResult run(String skill, java.util.function.Supplier<SkillResult> run) {
        try {
            return run.get();
        } catch (VigilException e) {
            return SkillResult.failed(skill, "This section could not be computed: " + e.getMessage()
                    + (e.getMessage().endsWith(".") ? " " : ". ") + e.fix());
        }
    }

    /** A prose placeholder's value: a parameter, or a value of the section's result. */
    static Optional<String> value(String name, Map<String, String> parameters, SkillResult result) {
        if (parameters.containsKey(name)) {
            return Optional.of(parameters.get(name));
        }
        if (name.equals("rows")) {
            return result.tables().isEmpty() ? Optional.empty()
                    : Optional.of(Integer.toString(result.tables().get(0).rows().size()));
        }
        if (name.startsWith("fact.")) {
            return Optional.ofNullable(result.facts().get(name.substring(5))).map(ReportAssembler::text);
        }
        if (name.startsWith("cell.") && !result.tables().isEmpty()) {
            String[] parts = name.split("\\.", 3);
            Table table = result.tables().get(0);
            int row = Integer.parseInt(parts[1]) - 1;
            int column = table.columns().indexOf(parts[2]);
            if (row < table.rows().size() && column >= 0 && table.rows().get(row).get(column) != null) {
                return Optional.of(text(table.rows().get(row).get(column)));
            }
        }
        return Optional.empty();
    }

    /** A value as prose writes it: numbers without a needless ".0", lists and maps in words. */
    static String text(Object value) {
        return switch (value) {
            case null -> NOT_IN_DATA;
            case Double d when d == Math.rint(d) && !d.isInfinite() -> Long.toString(d.longValue());
            case Double d -> new BigDecimal(d.toString()).stripTrailingZeros().toPlainString();
            case List<?> list -> list.isEmpty() ? "none" : list.stream().map(ReportAssembler::text)
                    .collect(Collectors.joining(", "));
            case Map<?, ?> map -> map.isEmpty() ? "none" : map.entrySet().stream()
                    .map(e -> text(e.getValue()) + " " + e.getKey()).collect(Collectors.joining(", "));
            default -> value.toString();
        };
    }

    /** The chart a template asks for, drawn from the named (or first) table; empty when the table lacks a column. */
    static Optional<Figure> chart(ChartSpec spec, List<Table> tables) {
        Optional<Table> table = table(spec, tables);
        if (table.isEmpty() || !table.get().columns().contains(spec.label())
                || !table.get().columns().containsAll(spec.values())) {
            return Optional.empty();
        }
        Table data = table.get();
        int label = data.columns().indexOf(spec.label());
        if (spec.kind() == ChartSpec.Kind.HEATMAP) {
            int technique = data.columns().indexOf(spec.values().get(0));
            int name = data.columns().indexOf(spec.values().get(1));
            int value = data.columns().indexOf(spec.values().get(2));
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : data.rows()) {
                rows.add(List.of(String.valueOf(row.get(label)), String.valueOf(row.get(technique)),
                        row.get(name) == null ? "" : String.valueOf(row.get(name)), number(row.get(value))));
            }
            return Optional.of(new Figure(spec.title(), Chart.Kind.HEATMAP, new Table(spec.title(),
                    List.of("tactic", "technique", "name", "value"), rows), ""));
        }
        List<String> labels = data.rows().stream().map(r -> String.valueOf(r.get(label))).toList();
        List<Chart.Series> series = new ArrayList<>();
        for (String column : spec.values()) {
            int index = data.columns().indexOf(column);
            series.add(new Chart.Series(column, data.rows().stream().map(r -> number(r.get(index))).toList()));
        }
        Chart.Kind kind = Chart.Kind.valueOf(spec.kind().name());
        return Optional.of(Figure.of(new Chart(kind, spec.title(), labels, series)));
    }

    private static Optional<Table> table(ChartSpec spec, List<Table> tables) {
        if (spec.table().isEmpty()) {
            return tables.stream().findFirst();
        }
        return tables.stream().filter(t -> t.title().equalsIgnoreCase(spec.table())
                || t.title().toLowerCase(Locale.ROOT).startsWith(spec.table().toLowerCase(Locale.ROOT))).findFirst();
    }

    private static String missing(ChartSpec spec, List<Table> tables) {
        Optional<Table> table = table(spec, tables);
        if (table.isEmpty()) {
            return tables.isEmpty() ? "the section's result has no table"
                    : "the section's result has no table \"" + spec.table() + "\" (it has " + tables.stream()
                            .map(t -> "\"" + t.title() + "\"").collect(Collectors.joining(", ")) + ")";
        }
        List<String> absent = new ArrayList<>();
        absent.add(spec.label());
        absent.addAll(spec.values());
        absent.removeAll(table.get().columns());
        return "the table \"" + table.get().title() + "\" has no column " + String.join(", ", absent) + " (it has "
                + String.join(", ", table.get().columns()) + ")";
    }

    private static double number(Object cell) {
        if (cell instanceof Number n) {
            return n.doubleValue();
        }
        if (cell == null) {
            return 0;
        }
        try {
            return Double.parseDouble(cell.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
