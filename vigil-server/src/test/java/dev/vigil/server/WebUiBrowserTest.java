package dev.vigil.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: Debian's Chromium driven by Playwright (which never downloads a browser of its own),
 * against a real server on a free port over the seeded tenant {@code acme}. One browser and one server for the class;
 * each test has its own browser context (its own cookies and storage), so signing in as one role never leaks into
 * another test. Screenshots of the main pages go to {@code target/screenshots/}.
 */
@DisplayName("Web UI in Chromium")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    @TempDir
    static Path data;

    ServerFixture fixture;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> problems = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
        fixture = new ServerFixture(data);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // the flags keep Chromium off the network it would otherwise call at start (refused on a closed network)
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync")));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (fixture != null) {
            fixture.close();
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

    /** A fresh browser context of a laptop's size (or another), recording the page's errors. */
    Page open(int width, int height, ColorScheme scheme) {
        problems.clear();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setColorScheme(scheme));
        context.setDefaultTimeout(20_000);
        page = context.newPage();
        page.onPageError(error -> problems.add("page error: " + error));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !message.text().contains("the server responded with a status of")) {
                problems.add(message.text());
            }
        });
        return page;
    }

    Page open() {
        return open(1366, 768, ColorScheme.LIGHT);
    }

    String base() {
        return "http://127.0.0.1:" + fixture.server.port() + "/";
    }

    /** Signs in as the acme user of this role ({@code acme-reader}, ...) with its password, through the login page. */
    void signIn(String role) {
        signInAs("acme-" + role);
    }

    void signInAs(String user) {
        page.navigate(base());
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(ServerFixture.password(user));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.locator("#who")).containsText(user);
    }

    void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    void anAnalystAsksAQuestionSeesTheTableAndOpensItsEvidence() {
        open();
        signIn("analyst");
        Locator prompt = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Ask Vigil"));
        prompt.fill("summarize incident 1");
        prompt.press("Enter");
        Locator turn = page.locator("article.turn").first();
        assertThat(turn.locator(".markdown")).containsText("Incident #1");
        assertThat(turn.locator("table caption").first()).containsText("Incident 1");
        Locator alertEvidence = turn.locator("button.ref[data-ref^='alert:']").first();
        alertEvidence.click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Suspicious PowerShell " + ServerFixture.CANARY);
        screenshot("evidence");
        page.keyboard().press("Escape");
        assertThat(dialog).hasCount(0);
        assertThat(alertEvidence).isFocused();
        turn.locator("details.process-log summary").click();
        assertThat(turn.locator("details.process-log table")).containsText("plan");
        // the answer was asked in a new session, which the list shows and the pin board keeps
        assertThat(page.locator(".sessions a").first()).containsText("summarize incident 1");
        turn.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pin turn 1")).click();
        assertThat(page.locator(".pins a").first()).containsText("summarize incident 1");
        // a second question continues the session, and its chart is drawn
        prompt.fill("alerts by severity");
        prompt.press("Enter");
        Locator second = page.locator("article.turn[data-turn='2']");
        assertThat(second.locator("figure.chart-figure svg.chart")).isVisible();
        assertThat(second.locator("figure.chart-figure figcaption")).not().isEmpty();
        assertThat(page.locator(".sessions a").first()).containsText("2 turns");
        screenshot("ask");
    }

    @Test
    void aWrongPasswordIsRefusedOnThePageAndSignOutEndsTheSession() {
        open();
        page.navigate(base());
        page.getByLabel("User name").fill("acme-analyst");
        page.getByLabel("Password").fill("not the password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("wrong user name or password");
        assertThat(page.getByLabel("Password")).isFocused();
        screenshot("login");
        signIn("analyst");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByLabel("User name")).isVisible();
        // the cookie is gone too: a reload does not sign back in
        page.reload();
        assertThat(page.getByLabel("User name")).isVisible();
    }

    @Test
    void aOneTimePasswordMustBeReplacedBeforeAnythingElse() {
        Users.in(data).add("newcomer", "one-time-pw-123456".toCharArray(), true,
                Map.of(ServerFixture.ACME, dev.vigil.model.Role.READER), java.time.Instant.now());
        open();
        page.navigate(base());
        page.getByLabel("User name").fill("newcomer");
        page.getByLabel("Password").fill("one-time-pw-123456");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.locator("h1")).hasText("Choose a new password");
        // nothing else opens meanwhile
        page.navigate(base() + "#/incidents");
        assertThat(page.locator("h1")).hasText("Choose a new password");
        page.getByLabel("One-time password").fill("one-time-pw-123456");
        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill("a-password-of-my-own-42");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set password")).click();
        assertThat(page.locator("#who")).containsText("newcomer");
        assertThat(page.locator("main h1")).hasText("Incidents");
    }

    @Test
    void anApiTokenSignsInForScripts() {
        open();
        page.navigate(base());
        page.getByText("Sign in with an API token").click();
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("API token")).fill(fixture.tokens.get("reader"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Use token")).click();
        assertThat(page.locator("#who")).containsText("acme-reader");
        page.navigate(base() + "#/incidents");
        assertThat(page.locator("main table")).containsText(ServerFixture.CANARY);
    }

    @Test
    void aUserOfSeveralTenantsSwitchesTenantAndItsRoleWithIt() {
        open();
        signInAs("mssp");
        page.navigate(base() + "#/incidents/1");
        Locator approve = page.locator("li.card[data-status=proposed] button.approve").first();
        assertThat(approve).isEnabled();
        page.getByLabel("Tenant").selectOption("globex");
        page.navigate(base() + "#/incidents");
        assertThat(page.locator("main table")).containsText("globex-benign");
        assertThat(page.locator("main")).not().containsText(ServerFixture.CANARY);
        page.navigate(base() + "#/incidents/1");
        assertThat(page.locator("li.card[data-status=proposed] button.approve").first()).isDisabled();
        assertThat(page.locator("li.card[data-status=proposed] .note").first()).containsText(
                "role in tenant globex is reader");
    }

    @Test
    void anOwnerManagesMembersAndTokensInSettings() {
        open();
        signIn("owner");
        page.navigate(base() + "#/settings");
        Locator members = page.locator("section[aria-labelledby=members-title]");
        assertThat(members.locator("table")).containsText("acme-analyst");
        members.getByLabel("User", new Locator.GetByLabelOptions().setExact(true)).fill("new-analyst");
        members.getByLabel("Role", new Locator.GetByLabelOptions().setExact(true)).selectOption("analyst");
        members.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Give role")).click();
        Locator added = page.locator("section[aria-labelledby=members-title]");
        assertThat(added.locator("table")).containsText("new-analyst");
        assertThat(added.locator(".secret")).containsText("one-time password");
        Locator tokens = page.locator("section[aria-labelledby=tokens-title]");
        tokens.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("fluent-bit");
        tokens.getByLabel("Role", new Locator.GetByLabelOptions().setExact(true)).selectOption("ingest");
        tokens.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
        Locator created = page.locator("section[aria-labelledby=tokens-title]");
        assertThat(created.locator(".secret code")).containsText("vgl_");
        screenshot("settings-owner");
        created.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke token fluent-bit")).click();
        assertThat(page.locator("section[aria-labelledby=tokens-title] tr").filter(new Locator.FilterOptions()
                .setHasText("fluent-bit"))).containsText("revoked");
    }

    @Test
    void anOwnerAddsTestsAndRunsAConnectorInSettings() {
        try (GraphStandIn graph = new GraphStandIn()) {
            open();
            signIn("owner");
            page.navigate(base() + "#/settings");
            Locator connectors = page.locator("section[aria-labelledby=connectors-title]");
            connectors.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("graph-ui");
            connectors.getByLabel("Kind", new Locator.GetByLabelOptions().setExact(true)).selectOption("graph-security");
            connectors.getByLabel("Entra ID tenant id").fill(GraphStandIn.DIRECTORY);
            connectors.getByLabel("Client id", new Locator.GetByLabelOptions().setExact(true)).fill("app-1");
            connectors.getByLabel("API endpoint").fill(graph.base());
            connectors.getByLabel("Token authority").fill(graph.base());
            connectors.getByLabel("Client secret", new Locator.GetByLabelOptions().setExact(true))
                    .fill("browser-secret-value");
            assertThat(connectors.getByLabel("Workspace")).isHidden();
            connectors.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save connector")).click();
            Locator saved = page.locator("section[aria-labelledby=connectors-title]");
            assertThat(saved.locator("table")).containsText("graph-ui");
            assertThat(saved.locator("table")).containsText("stored encrypted");
            assertThat(saved).not().containsText("browser-secret-value");
            saved.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test connector graph-ui")).click();
            assertThat(saved.getByRole(AriaRole.STATUS)).containsText("Test of graph-ui: works");
            saved.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run connector graph-ui")).click();
            Locator ran = page.locator("section[aria-labelledby=connectors-title]");
            assertThat(ran.getByRole(AriaRole.STATUS)).containsText("Run of graph-ui");
            assertThat(ran.getByRole(AriaRole.STATUS).locator("table")).containsText("2");
            screenshot("settings-connectors");
            assertThat(graph.authorizations).isNotEmpty();
        }
    }

    @Test
    void anOwnerInstallsAPluginAndSetsTheModelPolicyWhichAReaderSees() {
        open();
        signIn("owner");
        page.navigate(base() + "#/settings");
        Locator plugins = page.locator("section[aria-labelledby=plugins-title]");
        plugins.getByLabel("Manifest (YAML or JSON)").fill(PluginsAndModelApiTest.MANIFEST);
        plugins.getByLabel("Settings", new Locator.GetByLabelOptions().setExact(true))
                .fill("BaseUrl=http://localhost:8089\nApiKey=browser-plugin-key");
        plugins.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Install plugin")).click();
        Locator installed = page.locator("section[aria-labelledby=plugins-title]");
        assertThat(installed.getByRole(AriaRole.STATUS)).containsText("Plugin device-risk installed with 1 skill");
        assertThat(installed.locator("table")).containsText("ApiKey=********");
        assertThat(installed).not().containsText("browser-plugin-key");
        installed.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable plugin device-risk")).click();
        assertThat(page.locator("section[aria-labelledby=plugins-title] tr").filter(new Locator.FilterOptions()
                .setHasText("device-risk"))).containsText("no");

        Locator model = page.locator("section[aria-labelledby=model-title]");
        assertThat(model).containsText("no data leaves");
        model.getByLabel("base-url").fill("https://api.openai.com/v1");
        model.getByLabel("model", new Locator.GetByLabelOptions().setExact(true)).fill("gpt-4o");
        model.getByLabel("policy").selectOption("redact");
        model.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save model")).click();
        assertThat(page.locator("section[aria-labelledby=model-title]")).containsText("placeholders");
        screenshot("settings-plugins-model");

        open();
        signIn("reader");
        page.navigate(base() + "#/settings");
        Locator seen = page.locator("section[aria-labelledby=model-title]");
        assertThat(seen.locator("table")).containsText("redact");
        assertThat(seen.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save model"))).hasCount(0);
        assertThat(page.locator("section[aria-labelledby=plugins-title]")).hasCount(0);
        open();
        signIn("owner");
        page.navigate(base() + "#/settings");
        page.locator("section[aria-labelledby=model-title]").getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Remove the model: embedded copilot only")).click();
        assertThat(page.locator("section[aria-labelledby=model-title]")).containsText("no data leaves");
        page.locator("section[aria-labelledby=plugins-title]").getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Remove plugin device-risk")).click();
        assertThat(page.locator("section[aria-labelledby=plugins-title] table")).not().containsText("device-risk");
    }

    @Test
    void aReportIsMadeAsMarkdownToReadHereAndAsPdfToDownload() {
        open();
        signIn("reader");
        page.navigate(base() + "#/reports");
        Locator first = page.locator("form.report").first();
        assertThat(first.locator("h2")).not().isEmpty();
        first.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Make report")).click();
        Locator output = page.locator("section.report-output");
        assertThat(output.locator(".report-preview")).containsText("acme",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
        screenshot("report");
        first.getByLabel("Format").selectOption("pdf");
        first.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Make report")).click();
        Locator link = output.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(
                java.util.regex.Pattern.compile("Download .*\\.pdf")));
        assertThat(link).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(60_000));
        com.microsoft.playwright.Download file = page.waitForDownload(link::click);
        assertThat(file.suggestedFilename()).endsWith(".pdf");
    }

    @Test
    void slashCompletesSkillNamesFromTheKeyboard() {
        open();
        signIn("reader");
        Locator prompt = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Ask Vigil"));
        prompt.pressSequentially("/incident-su");
        Locator option = page.getByRole(AriaRole.OPTION).first();
        assertThat(option).containsText("/incident-summary");
        prompt.press("ArrowDown");
        prompt.press("Enter");
        assertThat(prompt).hasValue("/incident-summary ");
        assertThat(page.getByRole(AriaRole.OPTION).first()).containsText("/incident-summary incident=");
    }

    @Test
    void aPromptbookRunsIntoANewSession() {
        open();
        signIn("reader");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promptbooks")).click();
        page.getByRole(AriaRole.MENUITEM).filter(new Locator.FilterOptions().setHasText("incident-investigation"))
                .click();
        page.getByLabel("IncidentId").fill("1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run 5 prompts")).click();
        assertThat(page.locator(".transcript .status")).containsText("5 of 5 prompts asked",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
        assertThat(page.locator("article.turn")).hasCount(5);
        assertThat(page).hasURL(java.util.regex.Pattern.compile("#/ask/[0-9a-f-]{36}$"));
        assertThat(page.locator(".sessions a").first()).containsText("incident-investigation");
    }

    @Test
    void anAnalystApprovesAProposedAction() {
        open();
        signIn("analyst");
        page.navigate(base() + "#/incidents");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Suspicious PowerShell").setExact(false))
                .first().click();
        assertThat(page.locator("h1")).containsText("Incident 1");
        assertThat(page.locator("svg.graph .node")).not().hasCount(0);
        assertThat(page.locator("main .loading")).hasCount(0);
        screenshot("incident");
        // the timeline's evidence opens the stored event
        page.locator("section[aria-labelledby=timeline-title] button.ref[data-ref^='event:']").first().click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("powershell -c " + ServerFixture.CANARY);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();
        Locator card = page.locator("li.card[data-status=proposed]").first();
        Locator approve = card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve"));
        assertThat(approve).isEnabled();
        String action = card.getAttribute("data-action");
        approve.click();
        assertThat(page.locator("li.card[data-action='" + action + "']").first()).containsText("approved by acme-analyst");
    }

    @Test
    void aReaderSeesApprovalDisabledAndTheServerRefusesAForcedCall() {
        open();
        signIn("reader");
        page.navigate(base() + "#/incidents/1");
        Locator card = page.locator("li.card[data-status=proposed]").first();
        Locator approve = card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve"));
        assertThat(approve).isDisabled();
        assertThat(card.locator(".note")).containsText("needs the analyst role");
        assertThat(card.locator(".buttons")).hasAttribute("title",
                java.util.regex.Pattern.compile("needs the analyst role"));
        // forcing the call past the disabled button: the server refuses it, whatever the page shows
        String action = fixture.firstAction();
        // with the page's own session cookie and CSRF token, as a tampered page would send it
        Object status = page.evaluate("async action => { const s = JSON.parse(sessionStorage.getItem("
                + "'vigil.session')); const r = await fetch(`/api/v1/tenants/acme/incidents/1/actions/${action}"
                + "/approve`, {method: 'POST', headers: {'X-CSRF-Token': s.csrf}}); return r.status + ' ' +"
                + " (await r.json()).code; }", action);
        assertThat(status).isEqualTo("403 permission_denied");
    }

    @Test
    void thePagesRenderOnALaptopAndOnALargeDarkSocDisplay() {
        open();
        signIn("analyst");
        for (String name : List.of("incidents", "posture", "hunt", "settings", "reports")) {
            // an analyst's settings show no member or token management: that needs the owner role
            page.navigate(base() + "#/" + name);
            assertThat(page.locator("main h1")).isVisible();
            assertThat(page.locator("main .loading")).hasCount(0);
            assertThat(page.getByRole(AriaRole.ALERT)).hasCount(0);
            screenshot(name);
        }
        page.navigate(base() + "#/settings");
        assertThat(page.locator("main table").first()).isVisible();
        assertThat(page.locator("section[aria-labelledby=members-title]")).hasCount(0);
        assertThat(page.locator("section[aria-labelledby=connectors-title]")).containsText("only the tenant's owners");
        page.navigate(base() + "#/hunt");
        page.getByLabel("KQL query").fill("SysmonEvent\n| where EventID == 1\n| summarize n = count() by Computer\n|");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check")).click();
        assertThat(page.locator("#kql-status")).containsText("query_invalid");
        assertThat(page.locator("#kql-status")).containsText("line 4, column");
        context.close();
        open(3840, 2160, ColorScheme.DARK);
        signIn("analyst");
        page.navigate(base() + "#/incidents/1");
        assertThat(page.locator("svg.graph")).isVisible();
        assertThat(page.locator("main .loading")).hasCount(0);
        screenshot("incident-4k-dark");
        page.navigate(base() + "#/ask");
        Locator prompt = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Ask Vigil"));
        prompt.fill("alerts by severity");
        prompt.press("Enter");
        assertThat(page.locator("article.turn svg.chart")).isVisible();
        screenshot("ask-4k-dark");
    }

    /**
     * The lowest contrast ratio (WCAG 2) between the text colour of the page's visible text elements and the
     * background they sit on, with the element that has it.
     */
    String lowestContrast() {
        return page.evaluate("() => { const rgb = c => c.match(/[\\d.]+/g).map(Number);"
                + " const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92"
                + " : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };"
                + " const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el)"
                + ".backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };"
                + " let worst = [99, ''];"
                + " for (const el of document.querySelectorAll('main *, header *')) {"
                + "   if (!el.offsetParent || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
                + "     continue;"
                + "   if (el.closest('button:disabled, input:disabled, [aria-hidden=true]')) continue;"
                + "   const a = lum(rgb(getComputedStyle(el).color)); const b = lum(bg(el));"
                + "   const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);"
                + "   if (ratio < worst[0]) worst = [ratio, el.tagName + '.' + el.className + ' ' + el.textContent"
                + "     .trim().slice(0, 30)]; }"
                + " return worst[0].toFixed(2) + ' ' + worst[1]; }").toString();
    }

    @Test
    void textMeetsWcagAaContrastInTheLightAndTheDarkTheme() {
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            open(1366, 768, scheme);
            signIn("reader");
            for (String hash : List.of("#/incidents", "#/incidents/1")) {
                page.navigate(base() + hash);
                assertThat(page.locator("main .loading")).hasCount(0);
                assertThat(page.locator("main h1")).isVisible();
                String worst = lowestContrast();
                assertThat(Double.parseDouble(worst.substring(0, worst.indexOf(' '))))
                        .as(scheme + " " + hash + ": " + worst).isGreaterThanOrEqualTo(4.5);
            }
            context.close();
            context = null;
        }
    }

    @Test
    void markdownFromAnAnswerNeverBecomesMarkupOrScript() {
        open();
        page.navigate(base());
        Object html = page.evaluate("async () => { const {markdown} = await import('/ui/js/markdown.js');"
                + " const div = document.createElement('div'); div.append(markdown("
                + "'# Title\\n<img src=x onerror=alert(1)> **bold** and `<b>code</b>`\\n\\n"
                + "[click](javascript:alert(1)) [ok](https://attack.mitre.org/)\\n\\n"
                + "| a | b |\\n|---|---|\\n| <script>x</script> | 2 |\\n\\n- one\\n- two')); return div.innerHTML; }");
        assertThat(html.toString())
                .contains("<h3>Title</h3>", "<strong>bold</strong>", "<code>&lt;b&gt;code&lt;/b&gt;</code>",
                        "&lt;img src=x onerror=alert(1)&gt;", "<td>&lt;script&gt;x&lt;/script&gt;</td>",
                        "<a href=\"https://attack.mitre.org/\"", "<li>one</li>", "click (javascript:alert(1))")
                .doesNotContain("<img", "<script", "href=\"javascript");
    }

    @Test
    void everyChartKindDrawsItsDataAsSvg() {
        open();
        page.navigate(base());
        Object counts = page.evaluate("async () => { const {chart} = await import('/ui/js/charts.js');"
                + " const spec = kind => ({kind, title: kind, labels: ['a', 'b', 'c'], series: [{name: 's1', values:"
                + " [1, 2, 3]}, {name: 's2', values: [3, 0, 1]}]});"
                + " return ['BAR', 'LINE', 'DONUT', 'HEATMAP'].map(k => { const f = chart(spec(k));"
                + " return k + ':' + f.querySelectorAll('svg.chart rect, svg.chart circle, svg.chart path').length"
                + " + ':' + f.querySelector('svg.chart').getAttribute('aria-label'); }).join(' '); }");
        // bars: 2 series x 3 labels; line points: 6; donut arcs: one per label of the first series; heat cells: 6
        assertThat(counts.toString()).isEqualTo("BAR:6:BAR (bar chart) LINE:6:LINE (line chart)"
                + " DONUT:3:DONUT (donut chart) HEATMAP:6:HEATMAP (heatmap chart)");
    }

    @Test
    void theKeyboardReachesTheSkipLinkAndTheNavigation() {
        open();
        signIn("reader");
        page.navigate(base() + "#/incidents");
        page.reload();
        assertThat(page.locator("main h1")).hasText("Incidents");
        page.keyboard().press("Tab");
        assertThat(page.locator("a.skip")).isFocused();
        page.keyboard().press("Enter");
        page.keyboard().press("Tab");
        assertThat(page.locator("main :focus")).hasCount(1);
    }
}
