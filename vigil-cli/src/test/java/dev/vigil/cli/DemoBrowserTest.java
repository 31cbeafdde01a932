package dev.vigil.cli;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.ingest.SharedData;
import dev.vigil.server.VigilServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo as an analyst meets it: {@code vigil demo} seeds the Kestrel Freight tenant (small scale, fixed day, with
 * the shared data's ATT&amp;CK, KEV and SigmaHQ rules), then the code path that serves it gives the {@code demo}
 * user a password and the tenant an owner token and prints both with the URL. The test reads the printed lines as a
 * person would, signs in with them in Debian's Chromium (driven by Playwright), and runs every built-in promptbook from
 * the UI's menu with inputs from the demo's story. Each run must answer every prompt, name the story's entities and
 * cite evidence; a screenshot of each goes to {@code target/screenshots/demo-<promptbook>.png}.
 */
@DisplayName("vigil demo in Chromium: the printed sign-in works and every promptbook tells the story")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoBrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static final Pattern WEB_UI = Pattern.compile("Web UI:\\s+(http://\\S+/)\\s+user '([^']+)', password (\\S+)");
    static final Pattern API = Pattern.compile("API:\\s+(http://\\S+/api/v1)\\s.*\\n\\s+(\\S+)");

    /**
     * Each built-in promptbook's inputs, taken from the demo's story, and what its answers must name: the phishing
     * intrusion (incident 2, quinn.kim on WS007, then svc_backup on the file server), the password spray that broke
     * into jamal.novak, the exploited wiki, and the intrusion's C2 address.
     */
    record Story(Map<String, String> inputs, List<String> named) {}

    static final Map<String, Story> STORIES = Map.of(
            "incident-investigation", new Story(Map.of("IncidentId", "2"),
                    List.of("quinn.kim", "svc_backup", "Lateral Movement", "ws007")),
            "script-analysis", new Story(Map.of("Script", PromptbookGoldenTest.SCRIPT),
                    List.of("198.51.100.23", "WS007", "quinn.kim")),
            "threat-actor-profile", new Story(Map.of("Actor", "APT29"),
                    List.of("APT29", "T1110.003", "tenant 'demo'")),
            "vulnerability-impact", new Story(Map.of("CVE", "CVE-2023-22527"),
                    List.of("wiki01", "Confluence Data Center 8.5.3")),
            "user-analysis", new Story(Map.of("User", "jamal.novak"),
                    List.of("203.0.113.50", "Password Spray Against Entra ID Followed by a Successful Sign-in")),
            "threat-article-impact", new Story(Map.of("Article", PromptbookGoldenTest.ARTICLE),
                    List.of("198.51.100.23", "WS007", "quinn.kim")));

    @TempDir
    static Path data;

    VigilServer server;
    String printed;
    String base;
    String user;
    String password;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> problems = new ArrayList<>();

    @BeforeAll
    void seedAndServe() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
        SharedData.require("mitre-attack", "https://github.com/mitre-attack/attack-stix-data");
        SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        CliTesting.Run demo = CliTesting.vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE, "--as-of",
                DemoCopilot.AS_OF, "--json");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(),
                "tenant", DemoCopilot.TENANT));
        StringWriter out = new StringWriter();
        server = DemoCommand.open(config, "127.0.0.1", 0, new PrintWriter(out));
        printed = out.toString();
        Matcher web = WEB_UI.matcher(printed);
        assertThat(web.find()).as("the printed sign-in line in:%n%s", printed).isTrue();
        base = web.group(1);
        user = web.group(2);
        password = web.group(3);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync")));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        if (context != null) {
            context.close();
            context = null;
        }
        assertThat(problems).as("errors in the page's console").isEmpty();
    }

    void signInWithThePrintedPassword() throws Exception {
        problems.clear();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900));
        context.setDefaultTimeout(30_000);
        page = context.newPage();
        page.onPageError(error -> problems.add("page error: " + error));
        page.onConsoleMessage(message -> {
            // the page asks for its session before signing in, which the server answers with 401
            if (message.type().equals("error") && !message.text().contains("the server responded with a status of")) {
                problems.add(message.text());
            }
        });
        page.navigate(base);
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.locator("#who")).containsText(user);
        Files.createDirectories(SCREENSHOTS);
    }

    @Test
    @DisplayName("the printed URL, user and password sign in to the web UI, and the printed token reads the API")
    void printedCredentialsWork() throws Exception {
        assertThat(user).isEqualTo(DemoCommand.DEMO_USER);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        signInWithThePrintedPassword();
        page.navigate(base + "#/incidents");
        assertThat(page.locator("main")).containsText("Password Spray Against Entra ID Followed by a Successful");
        assertThat(page.locator("main")).containsText("Process Opens LSASS Memory for Reading");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("demo-incidents.png"))
                .setFullPage(true));

        Matcher api = API.matcher(printed);
        assertThat(api.find()).as("the printed API lines in:%n%s", printed).isTrue();
        HttpResponse<String> incidents = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.group(1) + "/tenants/" + DemoCopilot.TENANT + "/incidents"))
                        .header("Authorization", "Bearer " + api.group(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(incidents.statusCode()).as(incidents.body()).isEqualTo(200);
        assertThat(incidents.body()).contains("Password Spray", "Process Opens LSASS Memory for Reading");
    }

    static Stream<Arguments> builtInPromptbooks() {
        return Promptbooks.builtIn().stream().map(book -> Arguments.of(book.name(), book.prompts().size()));
    }

    @Test
    void everyBuiltInPromptbookHasAStory() {
        assertThat(STORIES.keySet()).containsExactlyInAnyOrderElementsOf(Promptbooks.BUILT_IN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtInPromptbooks")
    void aPromptbookFromTheMenuAnswersWithTheStorysEntitiesAndEvidence(String name, int prompts) throws Exception {
        Story story = STORIES.get(name);
        assertThat(story).as("the story of " + name).isNotNull();
        signInWithThePrintedPassword();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promptbooks")).click();
        page.getByRole(AriaRole.MENUITEM).filter(new Locator.FilterOptions().setHasText(name)).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        story.inputs().forEach((input, value) -> dialog.getByRole(AriaRole.TEXTBOX,
                new Locator.GetByRoleOptions().setName(input)).fill(value));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run " + prompts + " prompts")).click();
        Locator status = page.locator(".transcript .status");
        // the copilot answers on two shared cores here: a promptbook of five skill runs takes a minute or two
        assertThat(status).containsText(prompts + " of " + prompts + " prompts asked",
                new LocatorAssertions.ContainsTextOptions().setTimeout(300_000));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("demo-" + name + ".png"))
                .setFullPage(true));

        assertThat(status.textContent()).doesNotContain("without an answer").doesNotContain("stopped at");
        Locator turns = page.locator("article.turn");
        assertThat(turns).hasCount(prompts);
        for (int i = 0; i < prompts; i++) {
            String answer = turns.nth(i).locator(".markdown").first().innerText();
            assertThat(answer).as("answer %d of %s", i + 1, name).isNotBlank()
                    .doesNotContainIgnoringCase("not in the data").doesNotContainIgnoringCase("error");
        }
        String transcript = page.locator(".transcript").innerText();
        for (String entity : story.named()) {
            assertThat(transcript.toLowerCase(Locale.ROOT)).as("%s names %s", name, entity)
                    .contains(entity.toLowerCase(Locale.ROOT));
        }
        assertThat(page.locator(".transcript button.ref").count()).as("evidence cited by " + name).isPositive();
    }
}
