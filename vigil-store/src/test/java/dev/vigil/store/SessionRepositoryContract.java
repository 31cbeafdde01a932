package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Clarification;
import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.session.Pin;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionExport.Format;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SessionRepository}, run against each store that keeps sessions (DuckDB, PostgreSQL): turns,
 * pins, sharing, duplicates, deletion, permissions, export and tenant isolation.
 */
abstract class SessionRepositoryContract {
    static final Principal ALICE = new Principal("alice", Role.ANALYST);
    static final Principal BOB = new Principal("bob", Role.READER);
    static final Principal OLGA = new Principal("olga", Role.OWNER);
    static final Instant T0 = Instant.parse("2024-05-02T09:00:00Z");

    final StepClock clock = new StepClock();

    /** The sessions of the tenant in the store under test, reading {@link #clock}. */
    abstract SessionRepository sessionsOf(dev.vigil.model.TenantId tenant);

    /** How many rows the store holds in the table, over every tenant. */
    abstract long storedRows(String table);

    SessionRepository sessions() {
        return sessionsOf(ACME);
    }

    /** A clock that moves one second each time it is read, so that every change has its own time. */
    static final class StepClock extends Clock {
        private Instant next = T0;

        @Override
        public Instant instant() {
            Instant now = next;
            next = next.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        /** The store reads instants only, which a zone does not change: the same stepping clock serves. */
        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** An answer with every part, as the incident summary skill would give it. */
    static Answer summary(String incident) {
        TimeRange day = new TimeRange(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-02T00:00:00Z"),
                "yesterday");
        Plan plan = new Plan(Plan.Route.SKILL, List.of(new SkillCall("incident-summary",
                Map.of("incident", List.of(incident)), Optional.of(day))), 0.9, "the prompt names incident "
                + incident, Optional.empty());
        return new Answer("Summarize incident " + incident, "Incident **" + incident + "** is a credential theft on"
                + " WS-042.", plan,
                List.of(new ExecutedQuery("kql", "SecurityAlert | where IncidentNumber == " + incident, 2, 9)),
                List.of(new Table("Alerts", List.of("rule", "host", "count", "score"), List.of(
                        List.of("LSASS access", "WS-042", 3L, 0.5), Arrays.asList("PsExec", null, 1L, 1.25)))),
                List.of(), List.of(new Evidence("LSASS was read on WS-042", List.of("alert:9f1c", "query:1"))),
                List.of("Show the timeline of incident " + incident),
                List.of(new StepLog("/incident-summary incident=" + incident, "ok", "2 alerts", 4000)),
                List.of(new EntityRef(EntityType.INCIDENT, incident)), 200, 4500);
    }

    static Answer question() {
        Clarification which = new Clarification("Which incident?", List.of(
                new Clarification.Option("#12", "Summarize incident 12")));
        return new Answer("Summarize the incident", "Which incident?", Plan.clarify(which, 0.4, "two open"),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 10, 20);
    }

    static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VigilException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessage(message);
    }

    @Test
    void startsAnEmptyPrivateSessionOwnedByItsCreator() {
        Session session = sessions().create(ALICE, "  Incident 12 triage ");
        assertThat(session.name()).isEqualTo("Incident 12 triage");
        assertThat(session.owner()).isEqualTo("alice");
        assertThat(session.shared()).isFalse();
        assertThat(session.created()).isEqualTo(T0).isEqualTo(session.updated());
        assertThat(session.turns()).isEmpty();
        assertThat(sessions().get(ALICE, session.id())).isEqualTo(session);

        assertFails(() -> sessions().create(ALICE, " "), ErrorCode.USAGE, "a session name is 1 to 200 characters, not 0");
        assertFails(() -> sessions().create(ALICE, "x".repeat(201)), ErrorCode.USAGE,
                "a session name is 1 to 200 characters, not 201");
    }

    @Test
    void numbersTurnsAndKeepsTheirWholeAnswers() {
        UUID id = sessions().create(ALICE, "Triage").id();
        Turn first = sessions().appendTurn(ALICE, id, "Summarize the incident", question());
        Turn second = sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));

        assertThat(first.number()).isEqualTo(1);
        assertThat(second).isEqualTo(new Turn(2, T0.plusSeconds(2), "Summarize incident 12", summary("12")));
        Session session = sessions().get(ALICE, id);
        assertThat(session.turns()).containsExactly(first, second);
        assertThat(session.updated()).isEqualTo(second.at());
        assertFails(() -> sessions().appendTurn(ALICE, id, " ", summary("12")), ErrorCode.USAGE,
                "a turn of session 'Triage' needs a prompt");
    }

    @Test
    void listsOwnAndSharedSessionsMostRecentlyChangedFirst() {
        UUID older = sessions().create(ALICE, "Older").id();
        UUID bobsPrivate = sessions().create(BOB, "Bob's notes").id();
        UUID bobsShared = sessions().create(BOB, "Phishing wave").id();
        sessions().share(BOB, bobsShared);
        UUID newer = sessions().create(ALICE, "Newer").id();
        sessions().appendTurn(ALICE, older, "Summarize incident 12", summary("12"));
        sessions().pin(ALICE, older, 1, "");

        assertThat(sessions().list(ALICE)).extracting(SessionSummary::id).containsExactly(older, newer, bobsShared);
        assertThat(sessions().list(ALICE).get(0)).isEqualTo(new SessionSummary(older, "Older", "alice", false, T0,
                T0.plusSeconds(6), 1, 1));
        assertThat(sessions().list(BOB)).extracting(SessionSummary::id).containsExactly(bobsShared, bobsPrivate);
        assertThat(sessions().list(OLGA)).extracting(SessionSummary::id).containsExactly(bobsShared);
    }

    @Test
    void hidesAPrivateSessionFromEveryoneButItsOwner() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        String notFound = "no session " + id + " in tenant 'acme' that you may read";

        for (Principal other : List.of(BOB, OLGA)) {
            assertFails(() -> sessions().get(other, id), ErrorCode.SESSION_NOT_FOUND, notFound);
            assertFails(() -> sessions().export(other, id, Format.JSON), ErrorCode.SESSION_NOT_FOUND, notFound);
            assertFails(() -> sessions().duplicate(other, id), ErrorCode.SESSION_NOT_FOUND, notFound);
            assertFails(() -> sessions().appendTurn(other, id, "Summarize incident 14", summary("14")),
                    ErrorCode.SESSION_NOT_FOUND, notFound);
            assertFails(() -> sessions().share(other, id), ErrorCode.SESSION_NOT_FOUND, notFound);
        }
        UUID unknown = UUID.fromString("00000000-0000-0000-0000-000000000001");
        assertFails(() -> sessions().get(ALICE, unknown), ErrorCode.SESSION_NOT_FOUND,
                "no session " + unknown + " in tenant 'acme' that you may read");
    }

    @Test
    void letsEveryoneReadASharedSessionButOnlyItsOwnerChangeIt() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        Session shared = sessions().share(ALICE, id);
        assertThat(shared.shared()).isTrue();

        assertThat(sessions().get(BOB, id)).isEqualTo(shared);
        assertThat(sessions().export(BOB, id, Format.MARKDOWN)).contains("Summarize incident 12");
        String denied = "bob (reader) may not %s session 'Triage' (" + id + "): it belongs to alice";
        assertFails(() -> sessions().appendTurn(BOB, id, "Summarize incident 14", summary("14")),
                ErrorCode.PERMISSION_DENIED, denied.formatted("add to"));
        assertFails(() -> sessions().rename(BOB, id, "Mine"), ErrorCode.PERMISSION_DENIED, denied.formatted("rename"));
        assertFails(() -> sessions().delete(BOB, id), ErrorCode.PERMISSION_DENIED, denied.formatted("delete"));
        assertFails(() -> sessions().pin(BOB, id, 1, "x"), ErrorCode.PERMISSION_DENIED,
                denied.formatted("pin turns of"));
        assertFails(() -> sessions().unpin(BOB, id, 1), ErrorCode.PERMISSION_DENIED,
                denied.formatted("unpin turns of"));
        assertFails(() -> sessions().unshare(BOB, id), ErrorCode.PERMISSION_DENIED, denied.formatted("unshare"));
        assertThatThrownBy(() -> sessions().rename(BOB, id, "Mine")).isInstanceOfSatisfying(VigilException.class,
                e -> assertThat(e.fix()).contains("duplicate the session"));

        assertThat(sessions().unshare(ALICE, id).shared()).isFalse();
        assertFails(() -> sessions().get(BOB, id), ErrorCode.SESSION_NOT_FOUND,
                "no session " + id + " in tenant 'acme' that you may read");
        assertThat(sessions().get(ALICE, id).turns()).hasSize(1);
    }

    @Test
    void renames() {
        UUID id = sessions().create(ALICE, "Triage").id();
        Session renamed = sessions().rename(ALICE, id, "Incident 12: credential theft");
        assertThat(renamed.name()).isEqualTo("Incident 12: credential theft");
        assertThat(renamed.updated()).isEqualTo(T0.plusSeconds(1));
        assertFails(() -> sessions().rename(ALICE, id, ""), ErrorCode.USAGE,
                "a session name is 1 to 200 characters, not 0");
    }

    @Test
    void duplicatesASessionWithItsTurnsAndPinsForTheCaller() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize the incident", question());
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        sessions().pin(ALICE, id, 2, "root cause");
        sessions().share(ALICE, id);
        Session original = sessions().get(ALICE, id);

        Session copy = sessions().duplicate(BOB, id);

        assertThat(copy.id()).isNotEqualTo(id);
        assertThat(copy.name()).isEqualTo("Copy of Triage");
        assertThat(copy.owner()).isEqualTo("bob");
        assertThat(copy.shared()).isFalse();
        assertThat(copy.turns()).isEqualTo(original.turns());
        assertThat(copy.pins()).containsExactly(new Pin(2, "root cause", original.pins().get(0).at(), "alice"));
        Turn third = sessions().appendTurn(BOB, copy.id(), "How do I contain incident 12?", summary("12"));
        assertThat(third.number()).isEqualTo(3);
        assertThat(sessions().get(ALICE, id)).isEqualTo(original);
        assertThat(sessions().duplicate(ALICE, id, "Second look").name()).isEqualTo("Second look");
    }

    @Test
    void deletesForItsOwnerOrATenantOwner() {
        UUID mine = sessions().create(ALICE, "Mine").id();
        sessions().appendTurn(ALICE, mine, "Summarize incident 12", summary("12"));
        sessions().pin(ALICE, mine, 1, "");
        UUID bobsPrivate = sessions().create(BOB, "Bob's").id();

        sessions().delete(ALICE, mine);
        assertFails(() -> sessions().get(ALICE, mine), ErrorCode.SESSION_NOT_FOUND,
                "no session " + mine + " in tenant 'acme' that you may read");
        assertThat(storedRows("vigil_session_turns")).isZero();
        assertThat(storedRows("vigil_session_pins")).isZero();
        assertFails(() -> sessions().delete(ALICE, mine), ErrorCode.SESSION_NOT_FOUND,
                "no session " + mine + " in tenant 'acme' that you may read");
        assertFails(() -> sessions().delete(ALICE, bobsPrivate), ErrorCode.SESSION_NOT_FOUND,
                "no session " + bobsPrivate + " in tenant 'acme' that you may read");

        sessions().delete(OLGA, bobsPrivate);
        assertThat(sessions().list(BOB)).isEmpty();
    }

    @Test
    void pinsTurnsWithANoteAndUnpinsThem() {
        UUID id = sessions().create(ALICE, "Triage").id();
        sessions().appendTurn(ALICE, id, "Summarize the incident", question());
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));

        Pin pin = sessions().pin(ALICE, id, 2, " LSASS read on WS-042 ");
        assertThat(pin).isEqualTo(new Pin(2, "LSASS read on WS-042", T0.plusSeconds(3), "alice"));
        sessions().pin(ALICE, id, 1, "first look");
        Pin replaced = sessions().pin(ALICE, id, 2, "root cause");
        assertThat(sessions().get(ALICE, id).pins()).extracting(Pin::turn, Pin::note)
                .containsExactly(tuple(1, "first look"),
                        tuple(2, "root cause"));
        assertThat(sessions().get(ALICE, id).pinOf(2)).contains(replaced);

        assertThat(sessions().unpin(ALICE, id, 1)).isTrue();
        assertThat(sessions().unpin(ALICE, id, 1)).isFalse();
        assertThat(sessions().get(ALICE, id).pins()).containsExactly(replaced);
        assertFails(() -> sessions().pin(ALICE, id, 3, "x"), ErrorCode.SESSION_NOT_FOUND,
                "session 'Triage' (" + id + ") has no turn 3");
    }

    @Test
    void exportsMarkdownWithThePromptsAndAnswersAndJsonThatReadsBack() {
        UUID id = sessions().create(ALICE, "Incident 12 triage").id();
        sessions().appendTurn(ALICE, id, "Summarize the incident", question());
        sessions().appendTurn(ALICE, id, "Summarize incident 12", summary("12"));
        sessions().pin(ALICE, id, 2, "root cause");

        String markdown = sessions().export(ALICE, id, Format.MARKDOWN);
        assertThat(markdown).startsWith("# Incident 12 triage\n")
                .contains("> Summarize the incident\n", "Which incident?", "- #12: `Summarize incident 12`")
                .contains("> Summarize incident 12\n", "Incident **12** is a credential theft on WS-042.")
                .contains("| rule | host | count | score |\n| --- | --- | --- | --- |\n"
                        + "| LSASS access | WS-042 | 3 | 0.5 |\n| PsExec |  | 1 | 1.25 |\n")
                .contains("```kql\nSecurityAlert | where IncidentNumber == 12\n```")
                .contains("- LSASS was read on WS-042: `alert:9f1c`, `query:1`")
                .contains("- Turn 2 (Summarize incident 12): root cause");

        String json = sessions().export(ALICE, id, Format.JSON);
        assertThat(SessionJson.read(json)).isEqualTo(sessions().get(ALICE, id));
    }

    @Test
    void keepsEachTenantsSessionsFromEveryOtherTenant() {
        UUID acmes = sessions().create(OLGA, "Acme triage").id();
        sessions().appendTurn(OLGA, acmes, "Summarize incident 12", summary("12"));
        sessions().share(OLGA, acmes);
        SessionRepository globex = sessionsOf(GLOBEX);
        UUID globexs = globex.create(OLGA, "Globex triage").id();
        String notInGlobex = "no session " + acmes + " in tenant 'globex' that you may read";

        assertThat(globex.tenant()).isEqualTo(GLOBEX);
        assertThat(globex.list(OLGA)).extracting(SessionSummary::id).containsExactly(globexs);
        assertFails(() -> globex.get(OLGA, acmes), ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.duplicate(OLGA, acmes), ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.appendTurn(OLGA, acmes, "Summarize incident 14", summary("14")),
                ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.rename(OLGA, acmes, "Taken"), ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.pin(OLGA, acmes, 1, "x"), ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.unpin(OLGA, acmes, 1), ErrorCode.SESSION_NOT_FOUND, notInGlobex);
        assertFails(() -> globex.delete(OLGA, acmes), ErrorCode.SESSION_NOT_FOUND, notInGlobex);

        assertThat(sessions().list(OLGA)).extracting(SessionSummary::id).containsExactly(acmes);
        assertThat(sessions().get(OLGA, acmes).name()).isEqualTo("Acme triage");
        assertThat(sessions().get(OLGA, acmes).turns()).hasSize(1);
        assertFails(() -> sessions().get(OLGA, globexs), ErrorCode.SESSION_NOT_FOUND,
                "no session " + globexs + " in tenant 'acme' that you may read");
    }
}
