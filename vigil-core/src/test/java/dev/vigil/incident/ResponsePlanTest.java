package dev.vigil.incident;

import static dev.vigil.incident.IncidentFixtures.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.incident.ResponseAction.Status;
import dev.vigil.incident.ResponseCard.Action;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Guided response's proposals and the decisions on them: who may approve, what may be retried, how they run. */
@DisplayName("An incident's response plan")
class ResponsePlanTest {
    static final Principal READER = new Principal("rita", Role.READER);
    static final Principal ANALYST = new Principal("alice", Role.ANALYST);
    static final Instant NOW = Instant.parse("2024-05-01T10:30:00Z");

    final IncidentFacts facts = IncidentFixtures.intrusion(Optional.empty());
    final IncidentView view = IncidentAnalyzer.analyze(facts);
    final List<ResponseAction> actions = ResponsePlan.actions(ACME, 1, view.cards(), Map.of());

    ResponseAction proposed(Action action) {
        return actions.stream().filter(a -> a.action() == action).findFirst().orElseThrow();
    }

    /** A responder that answers as told and remembers what it was asked. */
    static final class FakeResponder implements Responder {
        final List<ResponseAction> received = new ArrayList<>();
        final Outcome answer;

        FakeResponder(Outcome answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Outcome execute(String tenant, Incident incident, ResponseAction action) {
            received.add(action);
            return answer;
        }
    }

    @Test
    void everyContainmentAndRemediationCardWithAnActionIsProposed() {
        assertThat(actions).extracting(ResponseAction::action, ResponseAction::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Action.BLOCK_IP, "203.0.113.7"),
                org.assertj.core.groups.Tuple.tuple(Action.ISOLATE_HOST, "ws-12"),
                org.assertj.core.groups.Tuple.tuple(Action.DISABLE_USER, "j.doe"),
                org.assertj.core.groups.Tuple.tuple(Action.ISOLATE_HOST, "srv-db01"),
                org.assertj.core.groups.Tuple.tuple(Action.RESET_CREDENTIALS, "j.doe"));
        assertThat(actions).extracting(ResponseAction::status).containsOnly(Status.PROPOSED);
        assertThat(actions).allSatisfy(a -> assertThat(a.evidence()).isNotEmpty());
    }

    @Test
    void aReaderCannotApproveAnAction() {
        assertThatThrownBy(() -> ResponsePlan.approve(proposed(Action.ISOLATE_HOST), READER, NOW))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains("rita (reader) may not approve response actions")
                            .contains("analyst role");
                });
    }

    @Test
    void aReaderCannotRejectAnActionEither() {
        assertThatThrownBy(() -> ResponsePlan.reject(proposed(Action.ISOLATE_HOST), READER, NOW, "no"))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.PERMISSION_DENIED));
    }

    @Test
    void anAnalystApprovesAndTheDecisionNamesThemAndTheTime() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.ISOLATE_HOST), ANALYST, NOW);

        assertThat(approved.status()).isEqualTo(Status.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("alice");
        assertThat(approved.decidedAt()).isEqualTo(NOW);
        assertThat(approved.id()).isEqualTo(proposed(Action.ISOLATE_HOST).id());
    }

    @Test
    void aRejectedActionCannotBeApprovedAndSaysWhoRejectedIt() {
        ResponseAction rejected = ResponsePlan.reject(proposed(Action.DISABLE_USER), ANALYST, NOW,
                "  the CEO's account  ");
        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
        assertThat(rejected.outcome()).isEqualTo("the CEO's account");

        assertThatThrownBy(() -> ResponsePlan.approve(rejected, new Principal("bob", Role.OWNER), NOW))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_UPDATE_INVALID);
                    assertThat(e.getMessage()).contains("is rejected (by alice)")
                            .contains("only proposed or failed actions can be approved");
                });
    }

    @Test
    void anApprovedActionCannotBeRejectedOrApprovedAgain() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.BLOCK_IP), ANALYST, NOW);

        assertThatThrownBy(() -> ResponsePlan.reject(approved, ANALYST, NOW, "changed my mind"))
                .hasMessageContaining("only proposed actions can be rejected");
        assertThatThrownBy(() -> ResponsePlan.approve(approved, ANALYST, NOW))
                .hasMessageContaining("is approved (by alice)");
    }

    @Test
    void executionRecordsSuccessWithTheRespondersDetail() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.ISOLATE_HOST), ANALYST, NOW);
        FakeResponder responder = new FakeResponder(new Responder.Outcome(true, "HTTP 200 isolated"));

        ResponseAction done = ResponsePlan.execute(approved, view.incident(), ACME, responder, NOW.plusSeconds(1));

        assertThat(responder.received).containsExactly(approved);
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.outcome()).isEqualTo("fake: HTTP 200 isolated");
        assertThat(done.decidedBy()).as("the approver stays on record").isEqualTo("alice");
    }

    @Test
    void executionRecordsFailureAndAFailedActionCanBeApprovedAgain() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.ISOLATE_HOST), ANALYST, NOW);

        ResponseAction failed = ResponsePlan.execute(approved, view.incident(), ACME,
                new FakeResponder(new Responder.Outcome(false, "HTTP 500 EDR down")), NOW);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.outcome()).isEqualTo("fake: HTTP 500 EDR down");

        ResponseAction retried = ResponsePlan.approve(failed, new Principal("bob", Role.ANALYST), NOW.plusSeconds(60));
        assertThat(retried.status()).isEqualTo(Status.APPROVED);
        assertThat(retried.decidedBy()).isEqualTo("bob");
        assertThat(retried.outcome()).isEmpty();
    }

    @Test
    void aResponderThatThrowsBecomesAFailureNamingTheException() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.BLOCK_IP), ANALYST, NOW);
        Responder throwing = new Responder() {
            @Override
            public String name() {
                return "firewall";
            }

            @Override
            public Outcome execute(String tenant, Incident incident, ResponseAction action) {
                throw new IllegalStateException("no route to firewall");
            }
        };

        ResponseAction done = ResponsePlan.execute(approved, view.incident(), ACME, throwing, NOW);

        assertThat(done.status()).isEqualTo(Status.FAILED);
        assertThat(done.outcome()).isEqualTo("firewall: IllegalStateException: no route to firewall");
    }

    @Test
    void onlyApprovedActionsRun() {
        FakeResponder responder = new FakeResponder(new Responder.Outcome(true, "ok"));

        assertThatThrownBy(() -> ResponsePlan.execute(proposed(Action.BLOCK_IP), view.incident(), ACME, responder,
                NOW)).isInstanceOf(IllegalStateException.class);
        assertThat(responder.received).isEmpty();
    }

    @Test
    void actionIdsAreStableAcrossAnalysesAndDependOnTenantIncidentActionAndTarget() {
        List<ResponseAction> again = ResponsePlan.actions(ACME, 1, IncidentAnalyzer.analyze(
                IncidentFixtures.intrusion(Optional.empty())).cards(), Map.of());
        List<ResponseAction> withAttack = ResponsePlan.actions(ACME, 1, IncidentAnalyzer.analyze(
                IncidentFixtures.intrusion(Optional.of(IncidentFixtures.attack()))).cards(), Map.of());

        assertThat(again).extracting(ResponseAction::id).containsExactlyElementsOf(actions.stream()
                .map(ResponseAction::id).toList());
        assertThat(withAttack).extracting(ResponseAction::id).containsAll(actions.stream()
                .map(ResponseAction::id).toList());
        UUID id = proposed(Action.ISOLATE_HOST).id();
        assertThat(ResponseAction.idFor(ACME, 1, Action.ISOLATE_HOST, "ws-12")).isEqualTo(id);
        assertThat(ResponseAction.idFor(TenantId.of("globex"), 1, Action.ISOLATE_HOST, "ws-12")).isNotEqualTo(id);
        assertThat(ResponseAction.idFor(ACME, 2, Action.ISOLATE_HOST, "ws-12")).isNotEqualTo(id);
        assertThat(ResponseAction.idFor(ACME, 1, Action.ISOLATE_HOST, "srv-db01")).isNotEqualTo(id);
    }

    @Test
    void aRecordedDecisionIsLaidOverItsProposal() {
        ResponseAction approved = ResponsePlan.approve(proposed(Action.ISOLATE_HOST), ANALYST, NOW);

        List<ResponseAction> laid = ResponsePlan.actions(ACME, 1, view.cards(), Map.of(approved.id(), approved));

        assertThat(laid).hasSameSizeAs(actions).contains(approved);
        assertThat(laid).filteredOn(a -> a.status() == Status.APPROVED).containsExactly(approved);
    }

    @Test
    void anActionIsFoundByItsIdOrAShortPrefixInAnyCase() {
        ResponseAction wanted = proposed(Action.BLOCK_IP);

        assertThat(ResponsePlan.find(actions, 1, wanted.id().toString())).isEqualTo(wanted);
        assertThat(ResponsePlan.find(actions, 1, wanted.shortId())).isEqualTo(wanted);
        assertThat(ResponsePlan.find(actions, 1, " " + wanted.shortId().toUpperCase() + " ")).isEqualTo(wanted);
    }

    @Test
    void anUnknownOrTooShortIdIsNotFound() {
        assertThatThrownBy(() -> ResponsePlan.find(actions, 1, "ffffffff"))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACTION_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("incident 1 proposes no action 'ffffffff'");
                });
        String threeCharacters = actions.getFirst().id().toString().substring(0, 3);
        assertThatThrownBy(() -> ResponsePlan.find(actions, 1, threeCharacters))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.ACTION_NOT_FOUND));
    }

    @Test
    void anIdPrefixSharedByTwoActionsIsAmbiguous() {
        ResponseAction first = proposed(Action.BLOCK_IP);
        ResponseAction twin = new ResponseAction(UUID.fromString(first.shortId() + "-ffff-4fff-8fff-ffffffffffff"),
                1, Action.BLOCK_DOMAIN, "evil.example", "test", List.of("alert:x"), Status.PROPOSED, "", null, "");

        assertThatThrownBy(() -> ResponsePlan.find(List.of(first, twin), 1, first.shortId()))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACTION_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("'" + first.shortId()
                            + "' names 2 actions of incident 1; give more of the id");
                });
        assertThat(ResponsePlan.find(List.of(first, twin), 1, first.id().toString())).isEqualTo(first);
    }
}
