package dev.vigil.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.incident.IncidentView.Sentence;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.model.EventId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analysis of fixed incidents ({@link IncidentFixtures}), word for word, with and without ATT&CK knowledge: the
 * summary and the guided-response cards, with the entities, tactics, impact and likely source they rest on.
 *
 * <p>The expected text lives in {@code src/test/resources/dev/vigil/incident/golden/<name>.txt}. On a mismatch the
 * actual text is written to {@code target/golden-actual/incident/<name>.txt} and the test says how to accept it;
 * {@code mvn -o test -pl vigil-core -Dtest=IncidentAnalyzerGoldenTest -Dvigil.golden.update=true} rewrites the golden
 * files. Read the diff before accepting: every statement must be true of the fixture its comment describes.
 */
@DisplayName("The analysis of an incident")
class IncidentAnalyzerGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/dev/vigil/incident/golden");
    static final Path ACTUAL = Path.of("target/golden-actual/incident");

    static Stream<Arguments> incidents() {
        return Stream.of(
                Arguments.of("intrusion", (Function<Optional<AttackKnowledge>, IncidentFacts>)
                        IncidentFixtures::intrusion),
                Arguments.of("web-exploit", (Function<Optional<AttackKnowledge>, IncidentFacts>)
                        IncidentFixtures::webExploit),
                Arguments.of("low-noise", (Function<Optional<AttackKnowledge>, IncidentFacts>)
                        IncidentFixtures::lowNoise));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incidents")
    void withoutAttackKnowledgeReadsAsTheGoldenFileSays(String name,
            Function<Optional<AttackKnowledge>, IncidentFacts> fixture) {
        IncidentFacts facts = fixture.apply(Optional.empty());
        check(name + "-without-attack", render(IncidentAnalyzer.analyze(facts), "without ATT&CK knowledge"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incidents")
    void withAttackKnowledgeReadsAsTheGoldenFileSays(String name,
            Function<Optional<AttackKnowledge>, IncidentFacts> fixture) {
        IncidentFacts facts = fixture.apply(Optional.of(IncidentFixtures.attack()));
        check(name + "-with-attack", render(IncidentAnalyzer.analyze(facts), "with MITRE's enterprise ATT&CK"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incidents")
    void theSameFactsGiveTheSameViewEveryTime(String name, Function<Optional<AttackKnowledge>, IncidentFacts> fixture) {
        for (Optional<AttackKnowledge> attack : List.of(Optional.<AttackKnowledge>empty(),
                Optional.of(IncidentFixtures.attack()))) {
            IncidentView first = IncidentAnalyzer.analyze(fixture.apply(attack));
            IncidentView second = IncidentAnalyzer.analyze(fixture.apply(attack));
            assertThat(second).isEqualTo(first);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incidents")
    void everyStatementHasEvidenceAndEveryReferenceNamesAKnownRecord(String name,
            Function<Optional<AttackKnowledge>, IncidentFacts> fixture) {
        for (Optional<AttackKnowledge> attack : List.of(Optional.<AttackKnowledge>empty(),
                Optional.of(IncidentFixtures.attack()))) {
            IncidentFacts facts = fixture.apply(attack);
            IncidentView view = IncidentAnalyzer.analyze(facts);
            List<Sentence> sentences = new ArrayList<>(view.summary());
            sentences.addAll(view.source().initialAccess());
            sentences.addAll(view.source().intelMatches());
            for (Sentence sentence : sentences) {
                if (!sentence.text().startsWith("Its ATT&CK tactics are not known here")) {
                    assertThat(sentence.evidence()).as("evidence of '%s'", sentence.text()).isNotEmpty();
                }
                assertThat(sentence.evidence()).as("evidence of '%s'", sentence.text())
                        .allSatisfy(ref -> assertKnown(ref, facts));
            }
            for (ResponseCard card : view.cards()) {
                assertThat(card.evidence()).as("evidence of card '%s'", card.title()).isNotEmpty()
                        .allSatisfy(ref -> assertKnown(ref, facts));
            }
            view.impact().factors().forEach(factor -> assertThat(factor.evidence()).as("factor %s", factor.name())
                    .isNotEmpty().allSatisfy(ref -> assertKnown(ref, facts)));
            view.tactics().forEach(tactic -> assertThat(tactic.evidence()).isNotEmpty()
                    .allSatisfy(ref -> assertKnown(ref, facts)));
            view.timeline().forEach(entry -> assertKnown(entry.evidence(), facts));
        }
    }

    @Test
    void withoutAttackKnowledgeTheSummarySaysSoAndNamesNoTacticOrActor() {
        IncidentView view = IncidentAnalyzer.analyze(IncidentFixtures.intrusion(Optional.empty()));

        assertThat(view.summary()).extracting(Sentence::text).anySatisfy(text -> assertThat(text)
                .startsWith("Its ATT&CK tactics are not known here"));
        assertThat(view.tactics()).isEmpty();
        assertThat(view.source().actors()).isEmpty();
    }

    @Test
    void relatedIncidentsAreProposedMostRelatedFirstWhateverTheMapsOrder() {
        IncidentView view = IncidentAnalyzer.analyze(IncidentFixtures.intrusion(Optional.empty()));

        assertThat(view.cards()).extracting(ResponseCard::title).filteredOn(t -> t.startsWith("Review related"))
                .containsExactly("Review related incident 4", "Review related incident 9");
    }

    @Test
    void oneTechniqueInSeveralTacticsIsNeitherAProgressionNorGroundsForATruePositive() {
        IncidentView view = IncidentAnalyzer.analyze(IncidentFixtures.lowNoise(Optional.of(IncidentFixtures.attack())));

        assertThat(view.tactics()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(view.summary()).extracting(Sentence::text).noneMatch(text -> text.contains("progressed"))
                .anyMatch(text -> text.startsWith("It reached Execution (T1053.005), Persistence (T1053.005) and"));
        assertThat(view.cards().getFirst().title()).isEqualTo("Classify as informational");
    }

    @Test
    void theProgressionIsToldInTheOrderTheTacticsWereReached() {
        IncidentView view = IncidentAnalyzer.analyze(IncidentFixtures.intrusion(Optional.of(
                IncidentFixtures.attack())));

        assertThat(view.summary()).extracting(Sentence::text).filteredOn(text -> text.startsWith("It progressed"))
                .singleElement().asString().containsSubsequence("Initial Access", "Execution", "Credential Access",
                        "Persistence", "Lateral Movement", "Command and Control");
    }

    // --- evidence -----------------------------------------------------------------------------------------------

    static void assertKnown(String ref, IncidentFacts facts) {
        int colon = ref.indexOf(':');
        assertThat(colon).as("a reference is kind:id, not '%s'", ref).isPositive();
        String kind = ref.substring(0, colon);
        String id = ref.substring(colon + 1);
        Set<String> known = new HashSet<>();
        switch (kind) {
            case "alert" -> facts.alerts().forEach(p -> known.add(p.alert().id().toString()));
            case "event" -> {
                facts.events().forEach(e -> known.add(e.id().toString()));
                facts.privilegedUsers().values().forEach(e -> known.add(e.toString()));
                facts.alerts().forEach(p -> p.alert().eventIds().stream().map(EventId::toString)
                        .forEach(known::add));
            }
            case "indicator" -> facts.indicators().stream().map(Indicator::key).forEach(known::add);
            case "incident" -> {
                known.add(Long.toString(facts.incident().number()));
                facts.related().keySet().forEach(n -> known.add(Long.toString(n)));
            }
            case "attack" -> {
                AttackKnowledge attack = facts.attack().orElseThrow(() -> new AssertionError(
                        "'" + ref + "' cites ATT&CK, which these facts do not have"));
                if (attack.technique(id).isPresent() || attack.group(id).isPresent()
                        || attack.mitigation(id).isPresent() || attack.tactic(id).isPresent()) {
                    known.add(id);
                }
            }
            default -> fail("unknown kind of evidence in '" + ref + "'");
        }
        assertThat(known).as("'%s' names a record of the facts", ref).contains(id);
    }

    // --- rendering ----------------------------------------------------------------------------------------------

    /** The view as stable text: one statement a line, its evidence on the next. */
    static String render(IncidentView view, String knowledge) {
        StringBuilder out = new StringBuilder();
        Incident incident = view.incident();
        out.append("# Incident ").append(incident.number()).append(": ").append(incident.title()).append(" (")
                .append(knowledge).append(")\n");
        out.append("\n## Summary\n");
        view.summary().forEach(s -> sentence(out, s));
        out.append("\n## Entities\n");
        view.entities().forEach(n -> out.append("- ").append(n.role()).append(' ').append(n.key()).append(": ")
                .append(n.why()).append(" (").append(n.alerts()).append(n.alerts() == 1 ? " alert" : " alerts")
                .append(n.common() ? ", common" : "").append(n.privileged() ? ", privileged" : "").append(")\n"));
        out.append("\n## Tactics\n");
        view.tactics().forEach(t -> out.append("- ").append(t.name()).append(": ").append(String.join(", ",
                t.techniques())).append("\n    evidence: ").append(String.join(", ", t.evidence())).append('\n'));
        out.append("\n## Impact\n- score ").append(view.impact().score()).append("; hosts ")
                .append(view.impact().hosts()).append("; accounts ").append(view.impact().users())
                .append("; mailboxes ").append(view.impact().mailboxes()).append("; privileged ")
                .append(view.impact().privileged()).append('\n');
        view.impact().factors().forEach(f -> out.append("- ").append(f.name()).append(" +").append(f.points())
                .append(": ").append(f.why()).append("\n    evidence: ").append(String.join(", ", f.evidence()))
                .append('\n'));
        out.append("\n## Likely source\n");
        view.source().initialAccess().forEach(s -> sentence(out, s));
        view.source().intelMatches().forEach(s -> sentence(out, s));
        out.append("- external addresses: ").append(view.source().externalAddresses()).append('\n');
        view.source().actors().forEach(a -> out.append("- hypothesis ").append(a.groupId()).append(' ')
                .append(a.name()).append(": ").append(a.overlap()).append(" of ").append(a.groupTechniques())
                .append(", score ").append(a.score()).append('\n'));
        out.append("\n## Guided response\n");
        for (ResponseCard card : view.cards()) {
            out.append("- ").append(card.category()).append(" | ").append(card.action() == null ? "advice"
                    : card.action()).append(" | ").append(card.title()).append(" | target ").append(card.target())
                    .append('\n');
            out.append("    reason: ").append(card.reason()).append('\n');
            if (!card.detail().isEmpty()) {
                card.detail().lines().forEach(line -> out.append("    detail: ").append(line).append('\n'));
            }
            out.append("    evidence: ").append(String.join(", ", card.evidence())).append('\n');
        }
        return out.toString();
    }

    private static void sentence(StringBuilder out, Sentence sentence) {
        out.append("- ").append(sentence.text()).append('\n');
        out.append("    evidence: ").append(sentence.evidence().isEmpty() ? "none"
                : String.join(", ", sentence.evidence())).append('\n');
    }

    static void check(String name, String actual) {
        Path golden = GOLDEN.resolve(name + ".txt");
        try {
            if (Boolean.getBoolean("vigil.golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : null;
            if (actual.equals(expected)) {
                return;
            }
            Files.createDirectories(ACTUAL);
            Path written = ACTUAL.resolve(name + ".txt");
            Files.writeString(written, actual, StandardCharsets.UTF_8);
            fail((expected == null ? "no golden file " + golden : "the analysis differs from " + golden)
                    + "; the actual text is in " + written.toAbsolutePath() + ". Compare with `diff " + golden + " "
                    + written + "`; if every statement is true of the fixture, accept it with `cp " + written + " "
                    + golden + "`, or rerun with -Dvigil.golden.update=true to rewrite every golden file.\n"
                    + actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
