package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code vigil ask}, {@code chat}, {@code sessions} and {@code promptbook} as an analyst uses them. */
class CopilotCliTest {
    static final String NOW = "2026-11-29T18:00:00Z";

    @TempDir
    static Path data;

    @BeforeAll
    static void seedTheDemo() {
        Run demo = CliTesting.vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE, "--as-of", "2026-11-29", "--json");
        assertThat(demo.exit()).as(demo.toString()).isZero();
    }

    static Run vigil(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--tenant";
        all[args.length + 1] = "demo";
        all[args.length + 2] = "--data";
        all[args.length + 3] = data.toString();
        return CliTesting.vigil(all);
    }

    @Test
    void askPrintsTheAnswerItsQueriesAndWhatRan() {
        Run run = vigil("ask", "which processes accessed lsass", "--now", NOW);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("powershell.exe", "Queries run:", "process_access", "Process: plan (query");
    }

    @Test
    void askJsonIsTheAnswerObject() {
        Run run = vigil("ask", "summarize incident 2", "--json", "--now", NOW);
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.get("markdown").asString()).startsWith("Incident #2");
        assertThat(answer.get("plan").get("route").asString()).isEqualTo("SKILL");
        assertThat(answer.get("plan").get("steps").get(0).get("skill").asString()).isEqualTo("incident-summary");
        assertThat(answer.get("evidence").size()).isPositive();
        assertThat(answer.get("log").size()).isEqualTo(2);
    }

    @Test
    void explainShowsHowTheQuestionWasReadAndPlanned() {
        Run run = vigil("ask", "procs on ws007 touching lsass", "--explain", "--now", NOW);
        assertThat(run.out()).contains("Plan: query", "host WS007.kestrel.local (typed 'ws007')",
                "Frame: list process_access", "Planner time:");
    }

    @Test
    void aSessionCarriesTheIncidentFromOneInvocationToTheNext() {
        Run first = vigil("ask", "summarize incident 3", "--session", "new", "--now", NOW);
        assertThat(first.exit()).as(first.toString()).isZero();
        Matcher id = Pattern.compile("Session ([0-9a-f-]{36})").matcher(first.out());
        assertThat(id.find()).as(first.out()).isTrue();
        Run second = vigil("ask", "how do I contain it?", "--session", id.group(1), "--json", "--now", NOW);
        assertThat(second.json().get("plan").get("steps").get(0).get("inputs").get("incident").get(0).asString())
                .isEqualTo("3");

        Run list = vigil("sessions", "list");
        assertThat(list.out()).contains(id.group(1));
        Run export = vigil("sessions", "export", id.group(1), "--format", "md");
        assertThat(export.out()).contains("summarize incident 3", "how do I contain it?");
        assertThat(vigil("sessions", "rename", id.group(1), "SSH case").out()).contains("SSH case");
        assertThat(vigil("sessions", "delete", id.group(1)).exit()).isZero();
        assertThat(vigil("sessions", "show", id.group(1)).exit()).isNotZero();
    }

    @Test
    void anotherUsersPrivateSessionIsNotThere() {
        Run mine = vigil("ask", "list open incidents", "--session", "new", "--as", "alice", "--now", NOW);
        Matcher id = Pattern.compile("Session ([0-9a-f-]{36})").matcher(mine.out());
        assertThat(id.find()).isTrue();
        Run theirs = vigil("sessions", "show", id.group(1), "--as", "bob");
        assertThat(theirs.exit()).isNotZero();
        assertThat(theirs.err()).contains("session");
    }

    @Test
    void chatKeepsTheSessionAcrossQuestions() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("summarize incident 2\nwhat is its impact\n/exit\n"
                    .getBytes(StandardCharsets.UTF_8)));
            Run chat = vigil("chat", "--no-model");
            assertThat(chat.exit()).as(chat.toString()).isZero();
            assertThat(chat.out()).contains("Incident #2", "incident-impact incident=2", "saved.");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void promptbooksListRunAndRoundTripInSecurityCopilotShape() throws Exception {
        assertThat(vigil("promptbook", "list").out()).contains("incident-investigation", "threat-article-impact");
        Run run = vigil("promptbook", "run", "incident-investigation", "--input", "IncidentId=2", "--now", NOW);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("## 1.", "Incident #2");

        Run exported = vigil("promptbook", "export", "user-analysis", "--shape", "security-copilot");
        assertThat(exported.out()).contains("promptbookinputs");
        Path file = data.resolve("mine.json");
        Files.writeString(file, exported.out().replace("\"user-analysis\"", "\"my-user-analysis\""));
        assertThat(vigil("promptbook", "import", file.toString()).out()).contains("my-user-analysis");
        assertThat(vigil("promptbook", "list").out()).contains("my-user-analysis");
    }

    @Test
    void aPromptbookRunWithoutItsInputSaysWhichAndHow() {
        Run run = vigil("promptbook", "run", "incident-investigation");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("IncidentId", "--input");
    }
}
