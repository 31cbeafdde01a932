package dev.vigil.report.build;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.ReportSections;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlSyntaxException;
import dev.vigil.report.Figure;
import dev.vigil.report.HtmlReport;
import dev.vigil.report.MarkdownReport;
import dev.vigil.report.Report;
import dev.vigil.report.ReportAssembler;
import dev.vigil.report.ReportRequest;
import dev.vigil.report.ReportTemplate;
import dev.vigil.report.TemplateCheck;
import dev.vigil.report.Branding;
import dev.vigil.report.pdf.PdfReport;
import dev.vigil.report.svg.AttackHeatmap;
import dev.vigil.report.svg.AttackMatrix;
import dev.vigil.report.svg.SvgCharts;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds reports of one tenant: runs a template's sections through the copilot's skills (the built-in skills, the
 * tenant's plugin skills, and the report sections of {@link ReportSections}) and its hunting queries through the
 * hunting compiler (read-only, at most {@value #MAX_ROWS} rows and {@value #TIMEOUT_SECONDS} seconds each), then
 * renders them to Markdown, HTML or PDF.
 *
 * <p>Every skill runs as of the report's period end, never the wall clock, with the principal's role; the same data
 * and parameters give byte-identical output. A parameter a skill declares as an input ({@code host}, {@code user},
 * {@code severity}) is passed to it unless the template sets that input itself. Confined to one thread, like the
 * workspace's store.
 */
public final class ReportBuilder {
    static final int MAX_ROWS = 1_000;
    static final int TIMEOUT_SECONDS = 30;
    private static final List<String> FILTERS = List.of("host", "user", "severity");

    private final Workspace workspace;
    private final Principal principal;
    private final Map<String, Skill> skills = new LinkedHashMap<>();
    private HuntRunner hunts;

    public ReportBuilder(Workspace workspace, Principal principal) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.principal = requireNonNull(principal, "principal is null");
        Copilots.builtInSkills(workspace).forEach(s -> skills.put(s.spec().name(), s));
        ReportSections.all(workspace).forEach(s -> skills.putIfAbsent(s.spec().name(), s));
    }

    /** The skills sections may bind to, by name. */
    public Map<String, SkillSpec> skills() {
        Map<String, SkillSpec> specs = new LinkedHashMap<>();
        skills.forEach((name, skill) -> specs.put(name, skill.spec()));
        return specs;
    }

    /** What templates are checked against here: these skills, and queries compiled against the tenant's tables. */
    public TemplateCheck check() {
        return TemplateCheck.against(skills(), kql -> {
            try {
                runner().compile(kql, Map.of());
                return Optional.empty();
            } catch (KqlSyntaxException e) {
                return Optional.of(e);
            }
        });
    }

    /** The tenant's templates, checked against these skills and tables. */
    public TenantTemplates templates() {
        return new TenantTemplates(workspace.config().dataDirectory(), workspace.store().tenant(), check());
    }

    /**
     * Builds a report.
     *
     * @throws VigilException for a parameter the template needs and lacks, or a section it does not have
     */
    public Report build(ReportTemplate template, ReportParameters parameters) {
        principal.require(Role.READER, "read the tenant's data for a report");
        Map<String, String> subjects = new LinkedHashMap<>(parameters.subjects());
        ReportRequest request = new ReportRequest(workspace.store().tenant().value(), parameters.organization(),
                parameters.periodFor(template.period()), parameters.audience().orElse(null), subjects,
                parameters.only(), parameters.without());
        SkillContext context = new SkillContext(principal, request.period().to(), ZoneOffset.UTC, line -> { });
        ReportAssembler.Sections sections = new ReportAssembler.Sections() {
            @Override
            public SkillResult skill(SkillCall call) {
                Skill skill = skills.get(call.skill());
                if (skill == null) {
                    return SkillResult.failed(call.skill(), "This section could not be computed: there is no skill '"
                            + call.skill() + "' (a plugin removed since the template was imported?).");
                }
                return skill.run(withFilters(call, skill.spec(), subjects), context);
            }

            @Override
            public SkillResult query(String kql, TimeRange period) {
                return hunt(kql, period);
            }
        };
        return ReportAssembler.assemble(template, request, sections, ReportBuilder::draw);
    }

    /** Passes the report's filters to a skill that takes them, unless the template already set them. */
    private static SkillCall withFilters(SkillCall call, SkillSpec spec, Map<String, String> subjects) {
        Map<String, List<String>> inputs = new LinkedHashMap<>(call.inputs());
        for (String filter : FILTERS) {
            if (subjects.containsKey(filter) && spec.input(filter).isPresent() && !inputs.containsKey(filter)) {
                inputs.put(filter, List.of(subjects.get(filter)));
            }
        }
        for (SkillInput required : spec.requiredInputs()) {
            if (!inputs.containsKey(required.name())) {
                throw new VigilException(ErrorCode.USAGE, "skill '" + spec.name() + "' needs its input '"
                        + required.name() + "' (" + required.description() + ")", "Pass the parameter the template"
                        + " fills it from (such as --" + required.name() + ").", null);
            }
        }
        return new SkillCall(call.skill(), inputs, call.time());
    }

    /** A hunting query over the period, read-only and with limits: its rows as the section's table. */
    private SkillResult hunt(String kql, TimeRange period) {
        KqlCompiler.Compiled compiled = runner().compile(kql, Map.of(), period.window());
        QueryResult rows = runner().execute(compiled.sql(), new HuntRunner.Limits(MAX_ROWS,
                Duration.ofSeconds(TIMEOUT_SECONDS)));
        SkillResult.Builder result = SkillResult.builder("hunt");
        String text = "// time window: " + period.from() + " .. " + period.to() + " (end exclusive)\n" + kql.strip();
        result.query(new ExecutedQuery("kql", text, rows.rows().size(), 0));
        if (rows.rows().isEmpty()) {
            return result.status(SkillResult.Status.EMPTY).paragraph("The query found no rows in the period.")
                    .fact("rows", 0L).build();
        }
        List<List<Object>> cells = new ArrayList<>();
        rows.rows().forEach(r -> cells.add(new ArrayList<>(r)));
        result.table(new Table("Query result" + (rows.truncated() ? " (first " + MAX_ROWS + " rows)" : ""),
                rows.columns(), cells));
        result.fact("rows", (long) rows.rows().size());
        result.evidence("The rows of the query", List.of("query:0"));
        return result.build();
    }

    private HuntRunner runner() {
        if (hunts == null) {
            hunts = new HuntRunner(workspace.store());
        }
        return hunts;
    }

    /** A figure's drawing: SVG charts for bars, lines and donuts, the ATT&amp;CK heat map for a matrix. */
    static String draw(Figure figure) {
        if (figure.kind() != Chart.Kind.HEATMAP) {
            return SvgCharts.render(figure.chart());
        }
        Map<String, List<AttackMatrix.Cell>> byTactic = new LinkedHashMap<>();
        for (List<Object> row : figure.data().rows()) {
            double value = row.get(3) instanceof Number n ? n.doubleValue() : 0;
            byTactic.computeIfAbsent(String.valueOf(row.get(0)), t -> new ArrayList<>())
                    .add(new AttackMatrix.Cell(String.valueOf(row.get(1)), String.valueOf(row.get(2)), value));
        }
        List<AttackMatrix.Column> columns = new ArrayList<>();
        byTactic.forEach((tactic, cells) -> columns.add(new AttackMatrix.Column(tactic, cells)));
        return AttackHeatmap.render(new AttackMatrix(figure.title(), columns));
    }

    /** The formats a report renders to. */
    public static final List<String> FORMATS = List.of("md", "html", "pdf");

    /**
     * Renders a report.
     *
     * @param format {@code md}, {@code html} or {@code pdf}
     */
    public static RenderedReport render(Report report, Branding branding, String format) {
        String name = report.template() + "-" + report.tenant() + "-" + report.period().lastDay();
        return switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "md", "markdown" -> new RenderedReport(report.title(), name + ".md", "text/markdown; charset=utf-8",
                    MarkdownReport.render(report).getBytes(StandardCharsets.UTF_8));
            case "html" -> new RenderedReport(report.title(), name + ".html", "text/html; charset=utf-8",
                    HtmlReport.render(report, branding).getBytes(StandardCharsets.UTF_8));
            case "pdf" -> new RenderedReport(report.title(), name + ".pdf", "application/pdf",
                    PdfReport.render(HtmlReport.render(report, branding)));
            default -> throw new VigilException(ErrorCode.FORMAT_UNKNOWN, "'" + format + "' is not a report format",
                    "Use md, html or pdf.", null);
        };
    }
}
