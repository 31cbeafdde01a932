package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.AuditLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil users}, {@code vigil tokens --user}, {@code vigil audit export} and the first run of {@code vigil serve}. */
class UsersCliTest {
    @TempDir
    Path data;

    @Test
    void usersAreAddedWithAOneTimePasswordGrantedRolesPerTenantAndRemoved() {
        CliTesting.Run added = CliTesting.vigil(data, "users", "add", "alice", "--tenant", "acme", "--role", "analyst");
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.out().strip()).matches("[A-Za-z0-9_-]{24}");
        assertThat(added.err()).contains("shown only now", "changed at the first login");
        assertThat(CliTesting.vigil(data, "users", "grant", "alice", "--tenant", "globex", "--role", "reader").out())
                .contains("User 'alice' is reader in tenant 'globex'.");
        CliTesting.Run listed = CliTesting.vigil(data, "users", "list", "--json");
        assertThat(listed.json().get(0).get("tenants").toString()).isEqualTo("{\"acme\":\"analyst\",\"globex\":\"reader\"}");
        assertThat(listed.json().get(0).get("password").asString()).isEqualTo("one-time");
        assertThat(CliTesting.vigil(data, "users", "list").out()).contains("alice", "acme:analyst, globex:reader");

        CliTesting.Run twice = CliTesting.vigil(data, "users", "add", "alice", "--tenant", "acme", "--role", "reader");
        assertThat(twice.exit()).isEqualTo(5);
        assertThat(twice.err()).contains("exists already");
        CliTesting.Run badRole = CliTesting.vigil(data, "users", "add", "bob", "--tenant", "acme", "--role", "admin");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("one of reader, analyst, owner, ingest");

        assertThat(CliTesting.vigil(data, "users", "revoke", "alice", "--tenant", "globex").exit()).isZero();
        assertThat(CliTesting.vigil(data, "users", "passwd", "alice").out().strip()).matches("[A-Za-z0-9_-]{24}");
        assertThat(CliTesting.vigil(data, "users", "remove", "alice").out()).contains("User 'alice' removed.");
        CliTesting.Run gone = CliTesting.vigil(data, "users", "remove", "alice");
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.err()).contains("vigil users list");
    }

    @Test
    void aUsersTokenMayNotDoMoreThanItsUser() {
        CliTesting.vigil(data, "users", "add", "carol", "--tenant", "acme", "--role", "reader");
        CliTesting.Run tooMuch = CliTesting.vigil(data, "users", "tokens", "create", "--tenant", "acme", "--role",
                "analyst", "--name", "carol-cli", "--user", "carol");
        assertThat(tooMuch.exit()).as(tooMuch.toString()).isEqualTo(4);
        assertThat(tooMuch.err()).contains("'carol' is reader in tenant 'acme'");
        CliTesting.Run ok = CliTesting.vigil(data, "tokens", "create", "--tenant", "acme", "--role", "reader",
                "--name", "carol-cli", "--user", "carol");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(CliTesting.vigil(data, "users", "tokens", "list", "--json").json().get(0).get("user").asString())
                .isEqualTo("carol");
        CliTesting.Run ingest = CliTesting.vigil(data, "tokens", "create", "--tenant", "acme", "--role", "ingest",
                "--name", "shipper");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("vgl_");
    }

    @Test
    void theFirstServeCreatesAnOwnerWithAOneTimePasswordThatOnlyOpensAPasswordChange() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m"));
        String unsafe = CliTesting.unsafeMemoryAccessFlag();
        if (unsafe != null) {
            command.add(unsafe);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", "0", "--data", data.toString()));
        Process serve = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String port = null;
            String password = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (password == null && System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                seen.append(line).append('\n');
                Matcher on = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/api/v1").matcher(line);
                if (on.find()) {
                    port = on.group(1);
                }
                if (line.matches("    [A-Za-z0-9_-]{24}")) {
                    password = line.strip();
                }
            }
            assertThat(password).as(seen.toString()).isNotNull();
            // the notice follows the password: a blank line, then it (the server prints nothing more)
            for (int i = 0; i < 2; i++) {
                seen.append(out.readLine()).append('\n');
            }
            assertThat(seen.toString()).contains("First run: created the user 'admin', owner of tenant(s) [default]",
                    "shown only now");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/login")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                    .ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.body()).contains("\"must_change_password\":true", "\"tenant\":\"default\",\"role\":\"owner\"");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/tenants/default/alerts")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("password_change_required");
        } finally {
            serve.destroy();
            serve.waitFor();
        }
        // a second run creates nobody
        assertThat(CliTesting.vigil(data, "users", "list", "--json").json()).hasSize(1);
    }

    @Test
    void theAuditLogExportsAsCsvAndFromAGivenTime() {
        AuditLog log = AuditLog.in(data);
        Instant old = Instant.parse("2026-01-01T00:00:00Z");
        log.append(new AuditLog.Entry(old, "POST", "POST /api/v1/login", "/api/v1/login", "", "", "mallory", "",
                401, "login_failed", java.util.Map.of("outcome", "wrong user name or password")));
        log.append(new AuditLog.Entry(Instant.now(), "POST", "POST /api/v1/tenants/{tenant}/hunt",
                "/api/v1/tenants/acme/hunt", "acme", "ab12", "alice", "analyst", 200, "",
                java.util.Map.of("query", "=cmd|' /C calc'!A0, \"quoted\"")));
        CliTesting.Run recent = CliTesting.vigil(data, "audit", "export", "--since", "24h", "--json");
        assertThat(recent.exit()).as(recent.toString()).isZero();
        assertThat(recent.json()).hasSize(1);
        assertThat(recent.json().get(0).get("actor").asString()).isEqualTo("alice");
        CliTesting.Run csv = CliTesting.vigil(data, "audit", "export", "--csv");
        String[] lines = csv.out().split("\r\n");
        assertThat(lines[0]).isEqualTo("seq,time,actor,tenant,method,route,path,status,code,token_id,role,detail,hash");
        assertThat(lines[1]).startsWith("1,2026-01-01T00:00:00Z,mallory,,POST,POST /api/v1/login,/api/v1/login,401,"
                + "login_failed,,,");
        // a formula-like or quoted value stays one cell and cannot run in a spreadsheet
        assertThat(lines[2]).contains(",\"{\"\"query\"\":\"\"=cmd|' /C calc'!A0, \\\"\"quoted\\\"\"\"\"}\",");
        CliTesting.Run bad = CliTesting.vigil(data, "audit", "export", "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("24h");
        assertThat(CliTesting.vigil(data, "audit", "verify").out()).contains("intact: 2 records");
    }
}
