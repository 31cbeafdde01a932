package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A tenant's owner manages its members and tokens over the API, and only its own tenant's. */
@DisplayName("Tenant members and tokens")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantAdminApiTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    ServerFixture.Browser owner;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data);
        owner = fixture.login("acme-owner");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void anOwnerAddsAMemberWhoLogsInWithTheOneTimePasswordAndMustChangeIt() {
        ServerFixture.Answer added = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/members/grace",
                "{\"role\": \"analyst\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        String password = added.json().get("one_time_password").asString();
        assertThat(password).hasSizeGreaterThanOrEqualTo(Users.MIN_PASSWORD);
        ServerFixture.Browser grace = fixture.login("grace", password);
        assertThat(fixture.sendAs(grace, "GET", "/api/v1/me", null).json().get("must_change_password").asBoolean())
                .isTrue();
        // changing an existing member's role returns no password
        ServerFixture.Answer changed = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/members/grace",
                "{\"role\": \"reader\"}");
        assertThat(changed.json().get("one_time_password").isNull()).isTrue();
        assertThat(changed.json().get("role").asString()).isEqualTo("reader");
        assertThat(AuditLog.records(data)).anySatisfy(r -> assertThat(r).contains("/members/{user}",
                "\"user\":\"grace\"", "\"created\":\"true\"").doesNotContain(password));
    }

    @Test
    void membersListOnlyThisTenantsRoles() {
        JsonNode members = fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/members", null).json().get("members");
        // mssp is analyst here and reader in globex: only its role here shows; globex's own users do not
        assertThat(members.toString()).contains("\"user\":\"mssp\",\"role\":\"analyst\"")
                .doesNotContain("globex-owner").doesNotContain("\"role\":\"reader\",\"password\":\"set\","
                        + "\"oidc_bound\":false},{\"user\":\"globex");
        ServerFixture.Answer removed = fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/members/mssp", null);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(Users.in(data).get("mssp").tenants()).containsOnlyKeys("globex");
        assertThat(fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/members/globex-owner", null).status())
                .isEqualTo(404);
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemoted() {
        ServerFixture.Browser globexOwner = fixture.login("globex-owner");
        ServerFixture.Answer demoted = fixture.sendAs(globexOwner, "PUT", "/api/v1/tenants/globex/members/globex-owner",
                "{\"role\": \"reader\"}");
        assertThat(demoted.status()).isEqualTo(403);
        assertThat(demoted.json().get("message").asString()).isEqualTo("'globex-owner' is the last owner of tenant"
                + " 'globex'");
        assertThat(fixture.sendAs(globexOwner, "DELETE", "/api/v1/tenants/globex/members/globex-owner", null)
                .status()).isEqualTo(403);
    }

    @Test
    void anOwnerCreatesAndRevokesTheTenantsTokensButNotAnotherTenants() {
        ServerFixture.Answer created = fixture.sendAs(owner, "POST", "/api/v1/tenants/acme/tokens",
                "{\"name\": \"shipper\", \"role\": \"ingest\", \"expires_days\": 30}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        assertThat(created.json().get("user").asString()).isEqualTo("acme-owner");
        assertThat(fixture.send("POST", "/api/v1/tenants/acme/ingest", token, "{\"EventID\": 1}\n").status())
                .isEqualTo(200);
        assertThat(fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/tokens", null).body()).contains(id)
                .doesNotContain(token).doesNotContain("globex-owner");
        ServerFixture.Answer globexOwner = fixture.sendAs(fixture.login("globex-owner"), "DELETE",
                "/api/v1/tenants/globex/tokens/" + id, null);
        assertThat(globexOwner.status()).isEqualTo(400);
        assertThat(fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/tokens/" + id, null).json().get("state")
                .asString()).isEqualTo("revoked");
        assertThat(fixture.send("POST", "/api/v1/tenants/acme/ingest", token, "{\"EventID\": 2}\n").status())
                .isEqualTo(401);
    }
}
