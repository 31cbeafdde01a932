package dev.vigil.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.incident.Incident.Classification;
import dev.vigil.incident.Incident.Status;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of an incident's life: who may change it, which changes make sense, what each records; MTTA and MTTR. */
@DisplayName("An incident's lifecycle")
class LifecycleTest {
    static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");
    static final Principal ALICE = new Principal("alice", Role.ANALYST);
    static final Principal BOB = new Principal("bob", Role.OWNER);
    static final Principal READER = new Principal("rita", Role.READER);

    static Incident fresh() {
        return new Incident(7, "Mimikatz use on ws-12", Status.NEW, "high", Classification.UNDETERMINED, "", "",
                List.of(), CREATED.minus(Duration.ofHours(1)), CREATED, CREATED, null, null, "", 3);
    }

    static Instant at(int minutes) {
        return CREATED.plus(Duration.ofMinutes(minutes));
    }

    static Incident apply(Incident incident, IncidentUpdate update, Principal who, int minutes) {
        return Lifecycle.apply(incident, update, who, at(minutes)).incident();
    }

    static void assertRefused(ThrowingCallable call, ErrorCode code, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VigilException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    @Test
    void aReaderCannotUpdateAndTheRefusalNamesTheRoleNeeded() {
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withComment("looks bad"), READER, at(1)),
                ErrorCode.PERMISSION_DENIED, "rita (reader)", "update incident 7", "analyst role");
    }

    @Test
    void analystsAndOwnersMayUpdate() {
        assertThat(apply(fresh(), IncidentUpdate.none().withComment("mine"), ALICE, 1)).isNotNull();
        assertThat(apply(fresh(), IncidentUpdate.none().withComment("mine"), BOB, 1)).isNotNull();
    }

    @Test
    void resolvingWithoutAClassificationIsRefusedWithTheFix() {
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED), ALICE, at(5)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "resolving incident 7 needs a classification",
                "--classification true-positive, false-positive or informational");
    }

    @Test
    void resolvingWithAClassificationMarksItResolvedAndAcknowledged() {
        Incident resolved = apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.TRUE_POSITIVE, "malware"), ALICE, 30);

        assertThat(resolved.status()).isEqualTo(Status.RESOLVED);
        assertThat(resolved.open()).isFalse();
        assertThat(resolved.classification()).isEqualTo(Classification.TRUE_POSITIVE);
        assertThat(resolved.determination()).isEqualTo("malware");
        assertThat(resolved.resolved()).isEqualTo(at(30));
        assertThat(resolved.acknowledged()).as("resolving is an analyst's action").isEqualTo(at(30));
    }

    @Test
    void aClassificationGivenEarlierIsEnoughToResolve() {
        Incident classified = apply(fresh(), IncidentUpdate.none()
                .withClassification(Classification.FALSE_POSITIVE, null), ALICE, 3);
        Incident resolved = apply(classified, IncidentUpdate.none().withStatus(Status.RESOLVED), ALICE, 9);

        assertThat(resolved.status()).isEqualTo(Status.RESOLVED);
        assertThat(resolved.classification()).isEqualTo(Classification.FALSE_POSITIVE);
    }

    @Test
    void theFirstMoveToActiveAcknowledgesAndLaterChangesKeepThatTime() {
        Incident active = apply(fresh(), IncidentUpdate.none().withStatus(Status.ACTIVE), ALICE, 10);
        assertThat(active.acknowledged()).isEqualTo(at(10));
        assertThat(active.resolved()).isNull();

        Incident owned = apply(active, IncidentUpdate.none().withOwner("bob"), ALICE, 20);
        Incident resolved = apply(owned, IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.INFORMATIONAL, ""), BOB, 40);
        Incident reopened = apply(resolved, IncidentUpdate.none().withStatus(Status.ACTIVE), BOB, 50);

        assertThat(List.of(owned, resolved, reopened)).extracting(Incident::acknowledged)
                .containsOnly(at(10));
    }

    @Test
    void assigningAnOwnerAcknowledgesButUnassigningDoesNot() {
        Incident owned = apply(fresh(), IncidentUpdate.none().withOwner(" alice "), ALICE, 4);
        assertThat(owned.owner()).isEqualTo("alice");
        assertThat(owned.acknowledged()).isEqualTo(at(4));
        assertThat(owned.status()).as("an owner does not change the status").isEqualTo(Status.NEW);

        Incident unassignedFirst = apply(fresh(), IncidentUpdate.none().withOwner("").withComment("nobody"),
                ALICE, 4);
        assertThat(unassignedFirst.acknowledged()).isNull();
    }

    @Test
    void reopeningClearsTheResolutionTime() {
        Incident resolved = apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.TRUE_POSITIVE, null), ALICE, 30);
        Lifecycle.Updated reopened = Lifecycle.apply(resolved, IncidentUpdate.none().withStatus(Status.ACTIVE),
                BOB, at(60));

        assertThat(reopened.incident().status()).isEqualTo(Status.ACTIVE);
        assertThat(reopened.incident().resolved()).isNull();
        assertThat(reopened.incident().open()).isTrue();
        assertThat(reopened.changes()).containsExactly(new IncidentChange(7, at(60), "bob", "status", "resolved",
                "active"));
    }

    @Test
    void anIncidentCannotGoBackToNew() {
        Incident active = apply(fresh(), IncidentUpdate.none().withStatus(Status.ACTIVE), ALICE, 10);

        assertRefused(() -> Lifecycle.apply(active, IncidentUpdate.none().withStatus(Status.NEW), ALICE, at(11)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "incident 7 is active and cannot become new again",
                "set it active");
    }

    @Test
    void severityIsOneOfTheKnownLevelsInAnyCase() {
        Lifecycle.Updated updated = Lifecycle.apply(fresh(), IncidentUpdate.none().withSeverity(" Critical "),
                ALICE, at(2));
        assertThat(updated.incident().severity()).isEqualTo("critical");
        assertThat(updated.changes()).containsExactly(new IncidentChange(7, at(2), "alice", "severity", "high",
                "critical"));

        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withSeverity("severe"), ALICE, at(2)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "unknown severity 'severe'",
                "informational, low, medium, high, critical");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-leading-dash", "has\nnewline", "semi;colon",
            "a-tag-that-is-far-too-long-to-be-a-tag-because-it-goes-on-and-on-and-on-and-on"})
    void tagsMustBeShortWordsStartingWithALetterOrDigit(String tag) {
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withTags(List.of(tag), List.of()), ALICE,
                at(1)), ErrorCode.INCIDENT_UPDATE_INVALID, "is not valid", "1 to 64 letters");
    }

    @Test
    void addedAndRemovedTagsAreRecordedOnceEach() {
        Lifecycle.Updated tagged = Lifecycle.apply(fresh(), IncidentUpdate.none()
                .withTags(List.of("phishing", "APT 29", "phishing"), List.of()), ALICE, at(1));
        assertThat(tagged.incident().tags()).containsExactly("phishing", "APT 29");
        assertThat(tagged.changes()).containsExactly(
                new IncidentChange(7, at(1), "alice", "tag", "", "phishing"),
                new IncidentChange(7, at(1), "alice", "tag", "", "APT 29"));

        Lifecycle.Updated untagged = Lifecycle.apply(tagged.incident(), IncidentUpdate.none()
                .withTags(List.of("ransomware"), List.of("phishing", "never-there")), BOB, at(2));
        assertThat(untagged.incident().tags()).containsExactly("APT 29", "ransomware");
        assertThat(untagged.changes()).containsExactly(
                new IncidentChange(7, at(2), "bob", "tag", "phishing", ""),
                new IncidentChange(7, at(2), "bob", "tag", "", "ransomware"));
    }

    @Test
    void atMostThirtyTwoTagsAreKept() {
        List<String> many = java.util.stream.IntStream.rangeClosed(1, 33).mapToObj(i -> "tag" + i).toList();

        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withTags(many, List.of()), ALICE, at(1)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "at most 32 tags");
    }

    @Test
    void aCommentIsRecordedAsAChangeFromNothingToItsText() {
        Lifecycle.Updated commented = Lifecycle.apply(fresh(), IncidentUpdate.none().withComment("  seen before  "),
                ALICE, at(3));

        assertThat(commented.changes()).containsExactly(new IncidentChange(7, at(3), "alice", "comment", "",
                "seen before"));
        assertThat(commented.incident()).usingRecursiveComparison().isEqualTo(fresh());
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withComment("   "), ALICE, at(3)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "a comment needs 1 to 8192 characters");
    }

    @Test
    void everyChangeRecordsWhoMadeItAndWhenFromWhatToWhat() {
        Lifecycle.Updated updated = Lifecycle.apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.TRUE_POSITIVE, "compromised account").withSeverity("medium")
                .withOwner("alice").withTags(List.of("bec"), List.of()).withComment("done"), BOB, at(45));

        assertThat(updated.changes()).containsExactly(
                new IncidentChange(7, at(45), "bob", "classification", "undetermined", "true-positive"),
                new IncidentChange(7, at(45), "bob", "determination", "", "compromised account"),
                new IncidentChange(7, at(45), "bob", "status", "new", "resolved"),
                new IncidentChange(7, at(45), "bob", "severity", "high", "medium"),
                new IncidentChange(7, at(45), "bob", "owner", "", "alice"),
                new IncidentChange(7, at(45), "bob", "tag", "", "bec"),
                new IncidentChange(7, at(45), "bob", "comment", "", "done"));
    }

    @Test
    void anUpdateThatChangesNothingIsRefused() {
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none(), ALICE, at(1)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "the update changes nothing", "name a status");
        assertRefused(() -> Lifecycle.apply(fresh(), IncidentUpdate.none().withStatus(Status.NEW).withSeverity("high"),
                ALICE, at(1)), ErrorCode.INCIDENT_UPDATE_INVALID, "incident 7 already has these values");
    }

    @Test
    void aDeterminationWithoutAClassificationIsRefused() {
        IncidentUpdate update = new IncidentUpdate(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of("malware"), java.util.Optional.empty(), List.of(),
                List.of(), java.util.Optional.empty());

        assertRefused(() -> Lifecycle.apply(fresh(), update, ALICE, at(1)), ErrorCode.INCIDENT_UPDATE_INVALID,
                "a determination needs a classification", "--classification");
    }

    @Test
    void settingTheClassificationBackToUndeterminedDropsTheDetermination() {
        Incident classified = apply(fresh(), IncidentUpdate.none()
                .withClassification(Classification.TRUE_POSITIVE, "malware"), ALICE, 1);
        Lifecycle.Updated undone = Lifecycle.apply(classified, IncidentUpdate.none()
                .withClassification(Classification.UNDETERMINED, null), ALICE, at(2));

        assertThat(undone.incident().determination()).isEmpty();
        assertThat(undone.changes()).extracting(IncidentChange::field).containsExactly("classification",
                "determination");
    }

    @Test
    void aResolvedIncidentKeepsAClassification() {
        Incident resolved = apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.TRUE_POSITIVE, null), ALICE, 30);

        assertRefused(() -> Lifecycle.apply(resolved, IncidentUpdate.none()
                        .withClassification(Classification.UNDETERMINED, null), ALICE, at(31)),
                ErrorCode.INCIDENT_UPDATE_INVALID, "needs a classification");
    }

    // --- MTTA and MTTR -------------------------------------------------------------------------------------

    @Test
    void mttaAndMttrAreMeansOverTheIncidentsThatGotThere() {
        Incident acknowledgedAfter10 = apply(fresh(), IncidentUpdate.none().withStatus(Status.ACTIVE), ALICE, 10);
        Incident acknowledgedAfter30AndResolvedAfter90 = apply(apply(fresh(), IncidentUpdate.none()
                .withOwner("alice"), ALICE, 30), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.FALSE_POSITIVE, null), ALICE, 90);
        Incident resolvedAfter30 = apply(fresh(), IncidentUpdate.none().withStatus(Status.RESOLVED)
                .withClassification(Classification.INFORMATIONAL, null), ALICE, 30);
        Incident untouched = fresh();

        IncidentMetrics metrics = IncidentMetrics.of(List.of(acknowledgedAfter10,
                acknowledgedAfter30AndResolvedAfter90, resolvedAfter30, untouched));

        assertThat(metrics.incidents()).isEqualTo(4);
        assertThat(metrics.open()).isEqualTo(2);
        assertThat(metrics.acknowledged()).isEqualTo(3);
        assertThat(metrics.resolved()).isEqualTo(2);
        assertThat(metrics.mtta()).contains(Duration.ofSeconds((10 + 30 + 30) * 60 / 3)); // 23 min 20 s
        assertThat(metrics.mttr()).contains(Duration.ofMinutes((90 + 30) / 2));
    }

    @Test
    void withoutAcknowledgedOrResolvedIncidentsThereIsNoMean() {
        IncidentMetrics metrics = IncidentMetrics.of(List.of(fresh()));
        assertThat(metrics.mtta()).isEmpty();
        assertThat(metrics.mttr()).isEmpty();
        assertThat(IncidentMetrics.of(List.of())).isEqualTo(new IncidentMetrics(0, 0, 0, 0,
                java.util.Optional.empty(), java.util.Optional.empty()));
    }
}
