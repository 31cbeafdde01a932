package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.ingest.SharedData;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.report.ReportTemplates;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in report template on fixed data, pinned with golden files in Markdown and HTML: the demo organization
 * as of {@link DemoCopilot#AS_OF} with MITRE ATT&amp;CK and CISA's KEV catalog, each report made as {@code vigil
 * report TEMPLATE --as-of 2026-11-29} makes it. The expected text lives in
 * {@code src/test/resources/dev/vigil/cli/golden/reports/<template>.md|.html}; on a mismatch the actual text is
 * written to {@code target/golden-actual/reports/} and the test says how to accept it
 * ({@code -Dvigil.golden.update=true} rewrites every golden file).
 *
 * <p>Beside the goldens: the same parameters give byte-identical Markdown, HTML and PDF; an executive report names
 * no technique or rule id in its prose; every built-in template validates against the demo's skills and tables; a
 * tenant's own template with a hunting query is imported and run; a broken one is refused with its line.
 */
@DisplayName("vigil report: built-in templates on the demo organization (golden reports)")
class ReportGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/dev/vigil/cli/golden/reports");
    static final Path ACTUAL = Path.of("target/golden-actual/reports");

    /** The parameters each template is pinned with, beyond the tenant and the as-of day. */
    static final Map<String, List<String>> SUBJECTS = Map.of(
            "executive", List.of(),
            "incident", List.of("--incident", "2"),
            "posture", List.of(),
            "weekly-soc", List.of(),
            "actor-brief", List.of("--actor", "APT29"),
            "session-export", List.of("--session", "SESSION", "--as", "golden"));

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    static String session;

    @BeforeAll
    static void seedTheDemoWithKnowledgeAndASession() {
        SharedData.require("mitre-attack", "https://github.com/mitre-attack/attack-stix-data");
        Path kev = SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog")
                .resolve("known_exploited_vulnerabilities.json");
        DemoCopilot.seedFiles(data, List.of(kev));
        // a copilot session of two questions, asked and recorded at the demo's fixed time
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant",
                DemoCopilot.TENANT));
        Principal analyst = new Principal("golden", Role.ANALYST);
        try (TenantStore store = TenantStore.open(data, TenantId.of(DemoCopilot.TENANT), TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = Copilots.embedded(new Workspace(config, store), Optional.empty());
            var sessions = store.sessions().withClock(Clock.fixed(DemoCopilot.NOW, ZoneOffset.UTC));
            Session created = sessions.create(analyst, "Triage of incident 2");
            SessionContext context = SessionContext.empty();
            for (String prompt : List.of("summarize incident 2", "which hosts did it touch?")) {
                Copilot.Turn turn = copilot.ask(prompt, context, analyst, DemoCopilot.NOW, DemoCopilot.UTC, s -> { });
                context = turn.context();
                sessions.appendTurn(analyst, created.id(), prompt, turn.answer());
            }
            sessions.pin(analyst, created.id(), 1, "the incident at a glance");
            store.commit();
            session = created.id().toString();
        }
    }

    static Stream<Arguments> templates() {
        return ReportTemplates.BUILT_IN.stream().flatMap(t -> Stream.of(Arguments.of(t, "md"), Arguments.of(t,
                "html")));
    }

    @Test
    void everyBuiltInTemplateHasPinnedParameters() {
        assertThat(SUBJECTS.keySet()).containsExactlyInAnyOrderElementsOf(ReportTemplates.BUILT_IN);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("templates")
    void reportsAsTheGoldenFileSays(String template, String format) {
        String text = report(template, format);

        check(template + "." + format, normalize(text));
        if (format.equals("md")) {
            assertThat(text).as("every section computed").doesNotContain("could not be computed")
                    .contains("## Appendix: the queries behind the numbers");
        }
    }

    @Test
    void theSameParametersGiveTheSameBytesInEveryFormat() throws IOException {
        for (String format : List.of("md", "html", "pdf")) {
            Path first = work.resolve("first." + format);
            Path second = work.resolve("second." + format);
            run("executive", "--format", format, "--out", first.toString(), "--org", "Kestrel Freight");
            run("executive", "--format", format, "--out", second.toString(), "--org", "Kestrel Freight");
            assertThat(Files.readAllBytes(second)).as(format).isEqualTo(Files.readAllBytes(first));
        }
        assertThat(new String(Files.readAllBytes(work.resolve("first.pdf")), 0, 5, StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
    }

    @Test
    void anExecutiveReportNamesNoTechniqueOrRuleIdInItsProse() {
        for (String template : List.of("executive", "weekly-soc", "incident")) {
            String text = report(template, "md", "--audience", "executive");
            String body = text.substring(0, text.indexOf("## Appendix"));
            assertThat(body).as(template).doesNotContainPattern("\\bT\\d{4}(\\.\\d{3})?\\b")
                    .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                    .contains("## Terms used");
        }
        assertThat(report("executive", "md", "--audience", "technical")).containsPattern("\\bT1\\d{3}");
    }

    @Test
    void everyBuiltInTemplateValidatesAgainstTheDemosSkillsAndTables() throws IOException {
        for (String template : ReportTemplates.BUILT_IN) {
            Path file = work.resolve(template + ".yaml");
            Files.writeString(file, run("templates", "show", template).out());
            CliTesting.Run validate = run("templates", "validate", file.toString());
            assertThat(validate.exit()).as(validate.toString()).isZero();
            assertThat(validate.out()).contains("template '" + template + "' is valid");
        }
    }

    @Test
    void aTenantsOwnTemplateWithAHuntingQueryIsImportedListedAndRun() throws IOException {
        Path mine = work.resolve("sign-ins.yaml");
        Files.writeString(mine, """
                name: sign-ins
                title: Sign-in failures
                description: Failed sign-ins of the period, by account.
                audience: technical
                period: 30d
                sections:
                  - id: failures
                    title: Failed sign-ins by account
                    prose: "{{org}} had failed sign-ins on {{rows}} accounts; the most was {{cell.1.failures}} for {{cell.1.UserPrincipalName}}."
                    query: |
                      SigninLogs
                      | where ResultType != "0"
                      | summarize failures = count() by UserPrincipalName
                      | sort by failures desc, UserPrincipalName asc
                      | take 5
                    charts:
                      - {kind: bar, title: Failed sign-ins, label: UserPrincipalName, values: [failures]}
                """);
        CliTesting.Run imported = run("templates", "import", mine.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(run("templates", "list").out()).contains("sign-ins").contains("tenant");

        String report = report("sign-ins", "md", "--org", "Kestrel Freight");
        assertThat(report).contains("## 1. Failed sign-ins by account\n\nKestrel Freight had failed sign-ins on ")
                .contains("| UserPrincipalName | failures |").contains("```kql\n   // time window: ")
                .doesNotContain("(not in the data)");

        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(mine).replace("count() by", "count( by"));
        CliTesting.Run refused = run("templates", "import", broken.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains(broken + ":13:40: the query does not compile (at its line 3, column 34)");
    }

    // --- running and golden files -------------------------------------------------------------------------------

    static String report(String template, String format, String... more) {
        List<String> args = new ArrayList<>(List.of(template, "--format", format));
        for (String subject : SUBJECTS.getOrDefault(template, List.of())) {
            args.add(subject.equals("SESSION") ? session : subject);
        }
        args.addAll(List.of(more));
        if (format.equals("md")) {
            CliTesting.Run run = run(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isZero();
            return run.out();
        }
        Path out = work.resolve(template + "." + format);
        args.addAll(List.of("--out", out.toString()));
        run(args.toArray(String[]::new));
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static CliTesting.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("report"));
        all.addAll(List.of(args));
        if (!all.get(1).equals("templates") && !all.contains("--as-of")) {
            all.addAll(List.of("--as-of", DemoCopilot.AS_OF));
        }
        all.addAll(List.of("--tenant", DemoCopilot.TENANT));
        CliTesting.Run run = CliTesting.vigil(data, all.toArray(String[]::new));
        if (!all.contains("validate") && !all.contains("import")) {
            assertThat(run.exit()).as(run.toString()).isZero();
        }
        return run;
    }

    /** A line of an incident's history that records a merge, with the time it was recorded. */
    static final Pattern MERGE_RECORDED = Pattern.compile("(?m)^.*\\bmerged\\b.*\\bmerged in\\b.*$");
    static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * The session's id is drawn when it is made; event ids are UUIDv7s drawn at ingest; an incident's merge is recorded
     * in its history at the wall-clock time the demo correlated: all are normalized.
     */
    static String normalize(String text) {
        String normalized = text.replace(session, "<session>");
        normalized = Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\\b")
                .matcher(normalized).replaceAll("<uuid7>");
        normalized = MERGE_RECORDED.matcher(normalized).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group().replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z", "<recorded>")));
        return normalized.endsWith("\n") ? normalized : normalized + "\n";
    }

    static void check(String name, String actual) {
        Path golden = GOLDEN.resolve(name);
        try {
            if (Boolean.getBoolean("vigil.golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : null;
            if (actual.equals(expected)) {
                return;
            }
            Files.createDirectories(ACTUAL);
            Path written = ACTUAL.resolve(name);
            Files.writeString(written, actual, StandardCharsets.UTF_8);
            org.assertj.core.api.Assertions.fail((expected == null ? "there is no golden file " + golden
                    : "the report differs from " + golden) + "; the actual text is in " + written.toAbsolutePath()
                    + ".\n" + (expected == null ? "" : PromptbookGoldenTest.shortDiff(expected, actual) + "\n")
                    + "If the new report is right, accept it with `cp " + written + " " + golden + "` (from"
                    + " vigil-cli), or rerun with -Dvigil.golden.update=true to rewrite every golden file; then read"
                    + " `git diff` before committing.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
