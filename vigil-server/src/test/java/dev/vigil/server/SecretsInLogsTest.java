package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No password, API token, session id or CSRF token reaches the log, whatever happens to the request: a login, a failed
 * login, a call with a good or a broken token, a session's calls, an ingest with a bad record, a failed request.
 */
class SecretsInLogsTest {
    @TempDir
    Path data;

    @Test
    void secretsNeverAppearInTheLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.INFO);
        List<String> secrets = new ArrayList<>();
        try (ServerFixture fixture = new ServerFixture(data)) {
            String wrong = "wrong-password-that-must-not-be-logged";
            fixture.send("POST", "/api/v1/login", null, ApiJson.MAPPER.writeValueAsString(
                    Map.of("username", "mssp", "password", wrong)));
            ServerFixture.Browser browser = fixture.login("mssp");
            fixture.sendAs(browser, "GET", "/api/v1/me", null);
            fixture.sendAs(browser, "POST", "/api/v1/tenants/acme/hunt", "{\"query\": \"SysmonEvent | take 1\"}");
            fixture.sendAs(browser, "POST", "/api/v1/tenants/acme/hunt", "{\"query\": \"nope |\"}", false);
            fixture.sendAs(browser, "POST", "/api/v1/password", ApiJson.MAPPER.writeValueAsString(
                    Map.of("current", wrong, "new", "another-long-password")));
            fixture.send("POST", "/api/v1/tenants/acme/ingest", fixture.tokens.get("ingest"),
                    "{\"EventID\": 1}\n{broken\n");
            for (String token : fixture.tokens.values()) {
                fixture.get("/api/v1/tenants/acme/alerts", token);
            }
            fixture.send("POST", "/api/v1/tenants/acme/copilot/ask", fixture.tokens.get("reader"), "{not json");
            secrets.add(wrong);
            secrets.add(ServerFixture.password("mssp"));
            secrets.add(browser.cookie().substring(browser.cookie().indexOf('=') + 1));
            secrets.add(browser.csrf());
            fixture.tokens.values().stream().filter(t -> t != null).forEach(secrets::add);
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
        }
        List<String> lines = captured.list.stream().map(event -> event.getFormattedMessage() + " "
                + event.getKeyValuePairs() + " " + event.getMDCPropertyMap() + (event.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(event.getThrowableProxy()))).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secrets).doesNotContainIgnoringCase(
                "authorization: bearer").doesNotContain("vigil_session="));
        assertThat(secrets).hasSizeGreaterThan(8);
        assertThat(lines).as("the capture works: the server's start is logged").isNotEmpty();
    }
}
