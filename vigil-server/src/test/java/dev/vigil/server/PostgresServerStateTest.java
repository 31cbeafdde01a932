package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.store.PostgresState;
import dev.vigil.store.PostgresTesting;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server's state in PostgreSQL: the contract, per-tenant audit chains, and two nodes sharing one database. */
@DisplayName("Server state in PostgreSQL")
class PostgresServerStateTest extends ServerStateContract {
    PostgresTesting.TestDatabase test;
    PostgresState database;

    @BeforeEach
    void open() {
        test = PostgresTesting.freshState();
        database = test.state();
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Override
    UserRepository userRepository() {
        return new PostgresUsers(database);
    }

    @Override
    TokenRepository tokenRepository() {
        return new PostgresTokens(database);
    }

    @Override
    PostgresAuditTrail audit() {
        return new PostgresAuditTrail(database);
    }

    @Override
    void tamper(TenantId tenant, long seq, String find, String replace) {
        database.transaction("tampering", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE vigil_audit SET record = replace(record, ?, ?) WHERE tenant = ? AND seq = ?")) {
                statement.setString(1, find);
                statement.setString(2, replace);
                statement.setString(3, tenant.value());
                statement.setLong(4, seq);
                assertThat(statement.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void keepsOneAuditChainPerTenantAndNamesTheTenantWhoseChainBroke() {
        audit().append(request(ACME, 0, "alice", "/api/v1/ask", 200));
        audit().append(request(GLOBEX, 1, "gina", "/api/v1/ask", 200));
        audit().append(request(ACME, 2, "bob", "/api/v1/ask", 200));
        audit().append(request(GLOBEX, 3, "gus", "/api/v1/hunt", 403));

        assertThat(audit().records(ACME)).extracting(r -> AuditLog.field(r, "seq") + " " + AuditLog.field(r, "actor"))
                .containsExactly("1 alice", "2 bob");
        assertThat(audit().records(GLOBEX)).extracting(r -> AuditLog.field(r, "seq") + " " + AuditLog.field(r,
                "actor")).containsExactly("1 gina", "2 gus");
        assertThat(AuditLog.field(audit().records(GLOBEX).get(0), "prev")).isEqualTo(AuditLog.GENESIS);

        tamper(GLOBEX, 2, "\"actor\":\"gus\"", "\"actor\":\"someone-else\"");

        assertThat(audit().verify(ACME).intact()).isTrue();
        assertThat(audit().verify(GLOBEX).brokenAt()).isEqualTo(2);
        assertThat(audit().verify().reason()).startsWith("tenant 'globex', record 2: the record's content does not"
                + " match its hash");
    }

    @Test
    void aDeletedAuditRecordBreaksItsTenantsChain() {
        for (int i = 0; i < 3; i++) {
            audit().append(request(ACME, i, "alice", "/api/v1/ask", 200));
        }
        database.transaction("deleting", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM vigil_audit WHERE tenant = 'acme' AND seq = 2")) {
                statement.executeUpdate();
            }
            return null;
        });

        assertThat(audit().verify(ACME).brokenAt()).isEqualTo(2);
        assertThat(audit().verify(ACME).reason()).contains("does not link to the one before it");
    }

    @Test
    void twoNodesAppendingToOneTenantsTrailKeepOneUnbrokenChain() throws Exception {
        try (PostgresState otherNode = test.anotherNode();
                ExecutorService threads = Executors.newFixedThreadPool(6)) {
            List<AuditTrail> nodes = List.of(audit(), new PostgresAuditTrail(otherNode));
            List<Callable<Void>> appends = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                AuditTrail node = nodes.get(i % 2);
                TenantId tenant = i % 4 == 0 ? GLOBEX : ACME;
                int second = i;
                appends.add(() -> {
                    node.append(request(tenant, second, "node-" + (second % 2), "/api/v1/ask", 200));
                    return null;
                });
            }
            for (Future<Void> append : threads.invokeAll(appends)) {
                append.get();
            }
        }
        assertThat(audit().verify().intact()).isTrue();
        assertThat(audit().records(ACME)).hasSize(30);
        assertThat(audit().records(GLOBEX)).hasSize(10);
    }

    @Test
    void anotherNodeSeesAUserAndATokenRevokedAtItsNextLookup() {
        users().add("alice", null, false, Map.of(ACME, Role.ANALYST), T0);
        ApiTokens.Created token = tokens().create(ACME, Role.ANALYST, "laptop", "alice", null, T0);
        try (PostgresState otherNode = test.anotherNode()) {
            ApiTokens there = ApiTokens.on(new PostgresTokens(otherNode));
            assertThat(there.find(token.token()).orElseThrow().activeAt(T0)).isTrue();
            assertThat(Users.on(new PostgresUsers(otherNode)).allows(token.record())).isTrue();

            tokens().revoke(token.record().id(), T0.plusSeconds(5));
            users().revoke("alice", ACME);

            assertThat(there.find(token.token()).orElseThrow().activeAt(T0.plusSeconds(6))).isFalse();
            assertThat(Users.on(new PostgresUsers(otherNode)).allows(token.record())).isFalse();
        }
    }
}
