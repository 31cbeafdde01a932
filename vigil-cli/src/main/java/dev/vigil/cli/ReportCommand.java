package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.report.Branding;
import dev.vigil.report.Report;
import dev.vigil.report.ReportTemplate;
import dev.vigil.report.TemplateException;
import dev.vigil.report.TemplateParser;
import dev.vigil.report.TemplateSection;
import dev.vigil.report.build.RenderedReport;
import dev.vigil.report.build.ReportBuilder;
import dev.vigil.report.build.ReportParameters;
import dev.vigil.report.build.Reports;
import dev.vigil.report.build.TenantTemplates;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil report ...}: security reports from a tenant's data, from built-in or imported templates. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a security report from the tenant's data: every number comes from a query the"
                + " appendix lists, and the same data and parameters give the same report.",
                "Built-in templates: executive, incident, posture, weekly-soc, actor-brief, session-export;"
                        + " `vigil report templates list` shows them and those imported into the tenant."},
        subcommands = {ReportCommand.Templates.class, ReportScheduleCommands.Schedule.class},
        footer = {"", "Examples:", "  vigil report executive --period 30d --as-of 2026-11-29",
                "  vigil report weekly-soc --format html --out weekly.html --org \"Kestrel Freight\" --logo logo.png",
                "  vigil report incident --incident 2 --format pdf --out incident-2.pdf",
                "  vigil report executive --sections incidents,key-risks --audience technical"})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ActorOptions actor;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEMPLATE", description = "The report template's name.")
    String template;

    @Option(names = "--period", paramLabel = "PERIOD",
            description = "7d, 30d (days up to the as-of day) or 2026-11-01..2026-11-29 (default: the template's).")
    String period;

    @Option(names = "--as-of", paramLabel = "DATE",
            description = "The day the report is for, up to its end (or an instant); default: today (UTC).")
    String asOf;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "md", description = "md, html or pdf (default: md).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here; html and pdf need it.")
    Path out;

    @Option(names = "--audience", paramLabel = "AUDIENCE",
            description = "executive (plain language, no ids) or technical (default: the template's).")
    String audience;

    @Option(names = "--sections", paramLabel = "IDS", description = "Only these sections (comma-separated ids).")
    String sections;

    @Option(names = "--without", paramLabel = "IDS", description = "Leave these sections out (comma-separated ids).")
    String without;

    @Option(names = "--org", paramLabel = "NAME", description = "The organization's name in the header.")
    String organization;

    @Option(names = "--logo", paramLabel = "FILE", description = "A PNG, JPEG, GIF or SVG logo for HTML and PDF.")
    Path logo;

    @Option(names = {"--colour", "--color"}, paramLabel = "HEX", description = "The main colour, e.g. #1f3a5f.")
    String colour;

    @Option(names = "--incident", paramLabel = "N", description = "The incident (incident template).")
    String incident;

    @Option(names = "--actor", paramLabel = "NAME", description = "The threat actor (actor-brief template).")
    String threatActor;

    @Option(names = "--session", paramLabel = "ID", description = "The copilot session (session-export template).")
    String session;

    @Option(names = "--host", paramLabel = "HOST", description = "Only this host, where a section's skill takes it.")
    String host;

    @Option(names = "--severity", paramLabel = "LEVEL", description = "Only this severity, where a skill takes it.")
    String severity;

    @Option(names = "--json", description = "Print the report's content as JSON instead of rendering it.")
    boolean json;

    @Override
    public Integer call() {
        if (template == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        String chosen = format.strip().toLowerCase(Locale.ROOT);
        if (!ReportBuilder.FORMATS.contains(chosen)) {
            throw new VigilException(ErrorCode.FORMAT_UNKNOWN, "'" + format + "' is not a report format",
                    "Use --format md, html or pdf.", null);
        }
        if (out == null && !json && !chosen.equals("md")) {
            throw new VigilException(ErrorCode.USAGE, "--format " + chosen + " writes a file", "Pass --out FILE.",
                    null);
        }
        VigilConfig config = common.load();
        ReportParameters parameters = ReportParameters.parse(parameters(), LocalDate.now(ZoneOffset.UTC));
        Branding branding = Branding.defaults().withOrganization(parameters.organization());
        if (!parameters.colour().isBlank()) {
            branding = branding.withColour(parameters.colour());
        }
        if (logo != null) {
            branding = Reports.logo(branding, logo);
        }
        Report report = withBuilder(config, actor.principal(),
                builder -> builder.build(builder.templates().find(template), parameters));
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Output.json(report));
            return 0;
        }
        RenderedReport rendered = ReportBuilder.render(report, branding, chosen);
        if (out == null) {
            stdout.print(new String(rendered.bytes(), StandardCharsets.UTF_8));
            stdout.flush();
            return 0;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, rendered.bytes());
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot write " + out + ": " + e.getMessage(),
                    "Check that the folder exists and is writable.", e);
        }
        long failed = report.sections().stream().filter(s -> s.status() == dev.vigil.report.ReportSection.Status.FAILED)
                .count();
        stdout.println("Wrote " + out + " (" + chosen + ", " + Output.count(rendered.bytes().length) + " bytes): "
                + report.title() + ", " + report.sections().size() + " sections"
                + (failed == 0 ? "" : ", " + failed + " of them could not be computed") + ".");
        return failed == 0 ? 0 : Main.EXIT_PARTIAL;
    }

    private Map<String, String> parameters() {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "period", period);
        put(values, "as-of", asOf);
        put(values, "audience", audience);
        put(values, "sections", sections);
        put(values, "without", without);
        put(values, "org", organization);
        put(values, "colour", colour);
        put(values, "incident", incident);
        put(values, "actor", threatActor);
        put(values, "session", session);
        put(values, "host", host);
        put(values, "severity", severity);
        return values;
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }

    /** Runs work with a report builder over the tenant's store, opened read-only, as the command line's user. */
    static <T> T withBuilder(VigilConfig config, Function<ReportBuilder, T> work) {
        return withBuilder(config, new ActorOptions().principal(), work);
    }

    static <T> T withBuilder(VigilConfig config, dev.vigil.model.Principal principal, Function<ReportBuilder, T> work) {
        try (TenantStore store = CopilotSession.open(config, TenantStore.Mode.READ_ONLY)) {
            return work.apply(new ReportBuilder(new Workspace(config, store), principal));
        }
    }

    @Command(name = "templates", mixinStandardHelpOptions = true,
            description = "Report templates: list, show, check and import them (YAML; the README's Reports section"
                    + " shows the format).",
            subcommands = {ListTemplates.class, Show.class, Skills.class, Validate.class, Import.class})
    static final class Templates implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The built-in and the tenant's templates.")
    static final class ListTemplates implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            List<TenantTemplates.Listed> all = withBuilder(config, b -> b.templates().all());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(all.stream().map(l -> Map.of("name", l.template().name(), "title",
                        l.template().title(), "description", l.template().description(), "audience",
                        l.template().audience().word(), "period", l.template().period(), "requires",
                        l.template().requires(), "sections", l.template().sections().stream()
                                .map(TemplateSection::id).toList(), "from", l.builtIn() ? "built-in" : "tenant"))
                        .toList()));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (TenantTemplates.Listed listed : all) {
                ReportTemplate t = listed.template();
                rows.add(List.of(t.name(), listed.builtIn() ? "built-in" : "tenant", t.audience().word(),
                        t.period().isEmpty() ? "as of" : t.period(), String.join(",", t.requires()),
                        t.sections().size(), t.title()));
            }
            out.print(Output.table(List.of("NAME", "FROM", "AUDIENCE", "PERIOD", "NEEDS", "SECTIONS", "TITLE"), rows));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A template's YAML text.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            String text = withBuilder(common.load(), b -> b.templates().text(name));
            spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
            return 0;
        }
    }

    @Command(name = "skills", mixinStandardHelpOptions = true,
            description = "The skills a template's sections can bind to, with their inputs.")
    static final class Skills implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, SkillSpec> skills = withBuilder(common.load(), ReportBuilder::skills);
            List<List<Object>> rows = new ArrayList<>();
            skills.values().stream().sorted(java.util.Comparator.comparing(SkillSpec::category)
                    .thenComparing(SkillSpec::name)).forEach(s -> rows.add(List.of(s.name(), s.category(),
                    String.join(", ", s.inputs().stream().map(i -> i.name() + (i.required() ? "*" : "")).toList()),
                    s.description())));
            spec.commandLine().getOut().print(Output.table(List.of("SKILL", "CATEGORY", "INPUTS (* required)",
                    "DESCRIPTION"), rows));
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a template file against the tenant's skills and tables; problems name their line.")
    static final class Validate implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            String text = read(file);
            List<String> problems = withBuilder(common.load(), b -> TemplateParser.validate(file.toString(), text,
                    b.check()));
            if (!problems.isEmpty()) {
                throw new TemplateException(problems);
            }
            ReportTemplate template = withBuilder(common.load(), b -> TemplateParser.parse(file.toString(), text,
                    b.check()));
            spec.commandLine().getOut().println(file + ": template '" + template.name() + "' is valid ("
                    + template.sections().size() + " sections).");
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Check a template file and keep it for the tenant (DATA/report-templates/TENANT/NAME.yaml);"
                    + " it replaces a template of its name.")
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            String text = read(file);
            VigilConfig config = common.load();
            ReportTemplate template = withBuilder(config, b -> b.templates().save(file.toString(), text));
            spec.commandLine().getOut().println("Imported template '" + template.name() + "' for tenant '"
                    + config.tenant() + "' (" + template.sections().size() + " sections); run it with `vigil report "
                    + template.name() + "`.");
            return 0;
        }
    }

    static String read(Path file) {
        try {
            if (Files.size(file) > TemplateParser.MAX_CHARS * 4L) {
                throw new VigilException(ErrorCode.REPORT_TEMPLATE_INVALID, file + ":1:1: the file has "
                        + Files.size(file) + " bytes, far more than a template may have. Fix: split it.");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "there is no file " + file, e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
