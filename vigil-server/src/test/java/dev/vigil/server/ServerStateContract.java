package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract of the server's shared state, run against each place that keeps it (the data directory's files,
 * PostgreSQL): users and their memberships, API tokens, and the hash-chained audit trail.
 */
abstract class ServerStateContract {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Instant T0 = Instant.parse("2024-05-02T09:00:00Z");
    static final char[] PASSWORD = "correct horse battery".toCharArray();

    abstract UserRepository userRepository();

    abstract TokenRepository tokenRepository();

    abstract AuditTrail audit();

    /** Replaces text in the stored record whose {@code seq} is given, as someone editing the store would. */
    abstract void tamper(TenantId tenant, long seq, String find, String replace);

    Users users() {
        return Users.on(userRepository());
    }

    ApiTokens tokens() {
        return ApiTokens.on(tokenRepository());
    }

    static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code,
            String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VigilException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessage(message);
    }

    // --- users --------------------------------------------------------------------------------------------------

    @Test
    void keepsUsersInTheOrderAddedAndFindsThemInAnyCase() {
        users().add("Zoe@Example.com", PASSWORD, true, Map.of(ACME, Role.ANALYST), T0);
        users().add("adam", null, false, Map.of(ACME, Role.READER, GLOBEX, Role.OWNER), T0.plusSeconds(1));

        assertThat(users().list()).extracting(User::name).containsExactly("zoe@example.com", "adam");
        User zoe = users().get(" ZOE@example.com ");
        assertThat(zoe.mustChangePassword()).isTrue();
        assertThat(zoe.created()).isEqualTo(T0);
        assertThat(zoe.passwordChanged()).isEqualTo(T0);
        assertThat(zoe.tenants()).isEqualTo(Map.of("acme", Role.ANALYST));
        User adam = users().get("adam");
        assertThat(adam.passwordHash()).isNull();
        assertThat(adam.roleIn(GLOBEX)).contains(Role.OWNER);
        assertThat(adam.roleIn(TenantId.of("initech"))).isEmpty();
        assertThat(users().find("nobody")).isEmpty();
        assertFails(() -> users().add("ADAM", null, false, Map.of(), T0), ErrorCode.USER_EXISTS,
                "a user named 'adam' exists already");
    }

    @Test
    void grantsRevokesAndRemovesMemberships() {
        users().add("alice", PASSWORD, false, Map.of(ACME, Role.READER), T0);

        assertThat(users().grant("alice", ACME, Role.OWNER).tenants()).isEqualTo(Map.of("acme", Role.OWNER));
        assertThat(users().grant("alice", GLOBEX, Role.ANALYST).tenants())
                .isEqualTo(Map.of("acme", Role.OWNER, "globex", Role.ANALYST));
        assertThat(users().revoke("alice", ACME).tenants()).isEqualTo(Map.of("globex", Role.ANALYST));
        assertThat(users().get("alice").tenants()).isEqualTo(Map.of("globex", Role.ANALYST));
        assertFails(() -> users().revoke("alice", ACME), ErrorCode.USAGE,
                "user 'alice' is not a member of tenant 'acme'");

        users().remove("alice");
        assertThat(users().find("alice")).isEmpty();
        assertFails(() -> users().grant("alice", ACME, Role.READER), ErrorCode.USER_NOT_FOUND,
                "no user is named 'alice'");
        users().add("alice", null, false, Map.of(), T0);
        assertThat(users().get("alice").tenants()).isEmpty();
    }

    @Test
    void authenticatesByPasswordAndKeepsAOneTimePasswordUntilChanged() {
        users().add("alice", PASSWORD, true, Map.of(ACME, Role.ANALYST), T0);

        assertThat(users().authenticate("alice", PASSWORD)).map(User::name).contains("alice");
        assertThat(users().authenticate("alice", "wrong password!".toCharArray())).isEmpty();
        assertThat(users().authenticate("bob", PASSWORD)).isEmpty();

        User changed = users().setPassword("alice", "a new long passphrase".toCharArray(), false, T0.plusSeconds(60));
        assertThat(changed.mustChangePassword()).isFalse();
        assertThat(users().get("alice").passwordChanged()).isEqualTo(T0.plusSeconds(60));
        assertThat(users().authenticate("alice", PASSWORD)).isEmpty();
        assertThat(users().authenticate("alice", "a new long passphrase".toCharArray())).isPresent();
        assertThat(users().bindOidcSubject("alice", "https://idp#42").oidcSubject()).isEqualTo("https://idp#42");
        assertThat(users().get("alice").oidcSubject()).isEqualTo("https://idp#42");
    }

    @Test
    void createsTheFirstOwnerOnlyWhileNoUserExists() {
        String password = users().createFirstOwner(List.of(ACME, GLOBEX), T0).orElseThrow();

        assertThat(users().get(Users.FIRST_OWNER).tenants()).isEqualTo(Map.of("acme", Role.OWNER,
                "globex", Role.OWNER));
        assertThat(users().authenticate(Users.FIRST_OWNER, password.toCharArray())).isPresent();
        assertThat(users().createFirstOwner(List.of(ACME), T0)).isEmpty();
    }

    @Test
    void concurrentChangesToOneUserAreEachKept() throws Exception {
        users().add("alice", null, false, Map.of(), T0);
        List<Callable<User>> grants = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TenantId tenant = TenantId.of("tenant-" + i);
            grants.add(() -> users().grant("alice", tenant, Role.READER));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (Future<User> grant : threads.invokeAll(grants)) {
                grant.get();
            }
        }
        assertThat(users().get("alice").tenants()).hasSize(12);
    }

    // --- API tokens ---------------------------------------------------------------------------------------------

    @Test
    void findsATokenByItsSecretAndKeepsOnlyItsHash() {
        ApiTokens.Created created = tokens().create(ACME, Role.ANALYST, "soar", Duration.ofDays(30), T0);
        ApiTokens.Created other = tokens().create(GLOBEX, Role.INGEST, "shipper", null, T0.plusSeconds(1));

        assertThat(tokens().find(created.token())).contains(created.record());
        assertThat(tokens().find(created.token()).orElseThrow().tenant()).isEqualTo("acme");
        assertThat(tokens().find(other.token()).orElseThrow().tenant()).isEqualTo("globex");
        assertThat(tokens().find(ApiTokens.PREFIX + "not-a-token")).isEmpty();
        assertThat(tokens().find(null)).isEmpty();
        assertThat(tokens().list()).containsExactly(created.record(), other.record());
        assertThat(tokens().list().get(0).sha256()).isEqualTo(ApiTokens.sha256(created.token()))
                .doesNotContain(created.token());
        assertThat(tokens().list().get(0).expires()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(tokens().list().get(1).expires()).isNull();
    }

    @Test
    void revokesATokenOnceAndRefusesAnUnknownId() {
        ApiTokens.Created created = tokens().create(ACME, Role.READER, "dashboard", null, T0);

        ApiToken revoked = tokens().revoke(created.record().id(), T0.plusSeconds(10));
        assertThat(revoked.revoked()).isEqualTo(T0.plusSeconds(10));
        assertThat(tokens().revoke(created.record().id(), T0.plusSeconds(20)).revoked())
                .isEqualTo(T0.plusSeconds(10));
        assertThat(tokens().find(created.token()).orElseThrow().state(T0.plusSeconds(30))).isEqualTo("revoked");
        assertFails(() -> tokens().revoke("000000000000", T0), ErrorCode.USAGE, "no token has the id '000000000000'");
    }

    @Test
    void aUsersTokenWorksOnlyWhileTheUserHoldsItsRoleInItsTenant() {
        users().add("alice", null, false, Map.of(ACME, Role.ANALYST), T0);
        ApiToken token = tokens().create(ACME, Role.ANALYST, "alice's laptop", "alice", null, T0).record();

        assertThat(users().allows(token)).isTrue();
        users().grant("alice", ACME, Role.READER);
        assertThat(users().allows(token)).isFalse();
        users().grant("alice", ACME, Role.OWNER);
        assertThat(users().allows(token)).isTrue();
        users().remove("alice");
        assertThat(users().allows(token)).isFalse();
    }

    // --- audit --------------------------------------------------------------------------------------------------

    static AuditLog.Entry request(TenantId tenant, int second, String actor, String route, int status) {
        return new AuditLog.Entry(T0.plusSeconds(second), "POST", route, route, tenant.value(), "ab12", actor,
                "analyst", status, status < 400 ? "" : "PERMISSION_DENIED", Map.of("prompt", "hosts of incident 12"));
    }

    @Test
    void chainsAuditRecordsThatVerify() {
        audit().append(request(ACME, 0, "alice", "/api/v1/ask", 200));
        audit().append(request(GLOBEX, 1, "gina", "/api/v1/hunt", 200));
        audit().append(request(ACME, 2, "bob", "/api/v1/incidents/{number}", 403));

        AuditLog.Verification verification = audit().verify();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.records()).isEqualTo(3);
        List<String> records = audit().records();
        assertThat(records).extracting(r -> AuditLog.field(r, "actor")).containsExactly("alice", "gina", "bob");
        assertThat(AuditLog.field(records.get(0), "detail")).isEqualTo("{\"prompt\":\"hosts of incident 12\"}");
        assertThat(AuditLog.field(records.get(0), "prev")).isEqualTo(AuditLog.GENESIS);
        assertThat(AuditLog.field(records.get(2), "code")).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void anEditedAuditRecordBreaksTheChain() {
        audit().append(request(ACME, 0, "alice", "/api/v1/ask", 200));
        audit().append(request(ACME, 1, "bob", "/api/v1/ask", 403));
        audit().append(request(ACME, 2, "carol", "/api/v1/ask", 200));

        tamper(ACME, 2, "\"status\":403", "\"status\":200");

        AuditLog.Verification verification = audit().verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.brokenAt()).isEqualTo(2);
        assertThat(verification.reason()).contains("the record's content does not match its hash");
        assertThat(audit().where()).isNotBlank();
    }
}
