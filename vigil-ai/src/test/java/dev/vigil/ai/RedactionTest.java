package dev.vigil.ai;

import static dev.vigil.ai.FakeOpenAiServer.stream;
import static dev.vigil.ai.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.model.ModelAssistant;
import dev.vigil.copilot.model.Redactor;
import dev.vigil.copilot.plan.SessionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redaction: consistent placeholders across a conversation, restored in the answer, secrets never sent. */
class RedactionTest {
    @TempDir
    Path data;

    @Test
    void sameValueSamePlaceholderWhateverItsCase() {
        Redactor redactor = new Redactor(true, List.of("WS007", "SRV-DB01"), List.of("alice"));

        String first = redactor.redact("alice logged on to ws007 from 10.1.2.3, then WS007 called SRV-DB01");
        String second = redactor.redact("ALICE (alice@acme.example) again on WS007 via 10.1.2.3 and fe80::1:2");

        assertThat(first).isEqualTo("USER_1 logged on to HOST_1 from IP_1, then HOST_1 called HOST_2");
        assertThat(second).isEqualTo("USER_1 (EMAIL_1) again on HOST_1 via IP_1 and IP_2");
        assertThat(redactor.restore("HOST_1 and HOST_2 share USER_1 (EMAIL_1, IP_1); HOST_9 is unknown"))
                .isEqualTo("WS007 and SRV-DB01 share alice (alice@acme.example, 10.1.2.3); HOST_9 is unknown");
    }

    @Test
    void domainAccountsAreUsers() {
        Redactor redactor = new Redactor(true, List.of(), List.of());

        assertThat(redactor.redact("logon by ACME\\jdoe and ACME\\jdoe")).isEqualTo("logon by USER_1 and USER_1");
        assertThat(redactor.restore("USER_1")).isEqualTo("ACME\\jdoe");
    }

    @Test
    void secretsAreReplacedUnderEveryPolicy() {
        String text = "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlMTIz' "
                + "password=Hunter2! AKIAIOSFODNN7EXAMPLE sk-proj-abcdefghijklmnop1234 ghp_abcdefghijklmnopqrstuvwxyz012345"
                + " net use \\\\srv /user:x -p S3cr3tPass\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
        for (boolean identities : new boolean[] {true, false}) {
            Redactor redactor = new Redactor(identities, List.of(), List.of());
            String sent = redactor.redact(text);
            assertThat(sent).doesNotContain("eyJzdWIi", "Hunter2!", "AKIAIOSFODNN7EXAMPLE", "sk-proj-abc",
                    "ghp_abc", "S3cr3tPass", "MIIEow");
            assertThat(redactor.restore(sent)).isEqualTo(text);
        }
    }

    @Test
    void allowSendsIdentitiesButNotSecrets() {
        Redactor redactor = new Redactor(false, List.of("WS007"), List.of("alice"));

        assertThat(redactor.redact("alice on WS007 from 10.1.2.3 with token=abcd1234efgh"))
                .isEqualTo("alice on WS007 from 10.1.2.3 with token=SECRET_1");
    }

    @Test
    void timesAndVersionsAreNotAddresses() {
        Redactor redactor = new Redactor(true, List.of(), List.of());

        assertThat(redactor.redact("at 12:30:45 version 1.2.3 build 10.0.19045.1")).isEqualTo(
                "at 12:30:45 version 1.2.3 build 10.0.19045.1");
    }

    @Test
    void streamedPlaceholdersCutBetweenPiecesAreRestored() {
        Redactor redactor = new Redactor(true, List.of("WS007"), List.of());
        redactor.redact("WS007");
        Redactor.StreamRestorer stream = redactor.streamRestorer();

        String shown = stream.accept("on HO") + stream.accept("ST_") + stream.accept("1 there") + stream.flush();

        assertThat(shown).isEqualTo("on WS007 there");
    }

    @Test
    void aConversationKeepsItsPlaceholdersAndTheAnswerIsRestored() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.then(toolCalls("host-analysis", "{\"host\":\"HOST_1\"}"))
                    .then(stream("HOST_1: USER_1 failed 3 logons from IP_2 [E1]. ", "Its command line held a "
                            + "password (SECRET_1) [E1]."));
            ModelAssistant assistant = Tenant.assistant(Tenant.config(server.baseUrl(), "redact", "5s"), data);
            Tenant tenant = new Tenant();
            SessionContext session = new SessionContext(List.of(new EntityRef(EntityType.USER, "alice"),
                    new EntityRef(EntityType.HOST, "WS007")), List.of(), Optional.empty(), List.of("alerts-list"));
            String prompt = "what did that user do on ws007";
            List<String> partial = new ArrayList<>();

            ModelAssistant.Outcome outcome = assistant.answer(prompt, Tenant.embedded(prompt), session, tenant::run,
                    partial::add);

            assertThat(tenant.ran).containsExactly(SkillCall.of("host-analysis", Map.of("host", List.of("WS007"))));
            String plan = server.received().get(0).body();
            String compose = server.received().get(1).body();
            assertThat(plan).contains("USER_1 (user)", "HOST_1 (host)", "on HOST_1").doesNotContain("alice", "WS007",
                    "ws007");
            // IP_1 is the address in a tool's example, redacted while planning: one numbering for the conversation
            assertThat(compose).contains("HOST_1 had 3 failed logons by USER_1 from IP_2").doesNotContain("alice",
                    "WS007", "10.1.2.3", "Hunter2!");
            assertThat(outcome.prose().orElseThrow().markdown()).isEqualTo("WS007: alice failed 3 logons from 10.1.2.3"
                    + " [E1]. Its command line held a password (Hunter2!) [E1].");
            assertThat(String.join("", partial)).isEqualTo(outcome.prose().orElseThrow().markdown());
            String audit = Files.readString(ModelAuditLog.file(data, "acme"));
            assertThat(audit).doesNotContain("alice", "WS007", "10.1.2.3", "Hunter2!");
        }
    }
}
