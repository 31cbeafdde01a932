package dev.vigil.copilot.understand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.EntityType;
import dev.vigil.ingest.SharedData;
import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ATT&amp;CK names as the extractor finds them; against the real knowledge base when the shared data holds it. */
class KnowledgeNamesTest {
    private static Extractor withRealNames;

    private static Extractor withRealNames() {
        if (withRealNames == null) {
            AttackKnowledge knowledge = AttackBundle.read(SharedData.require("mitre-attack",
                    "https://github.com/mitre/cti").resolve("enterprise-attack.json"));
            withRealNames = new Extractor(Fixtures.LEXICON, ValueDictionary.empty(), KnowledgeNames.of(knowledge));
        }
        return withRealNames;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            signs of credential dumping on dc01          | TECHNIQUE T1003 <- credential dumping
            OS Credential Dumping: LSASS Memory          | TECHNIQUE T1003.001 <- OS Credential Dumping: LSASS Memory
            any lateral movement yesterday               | TACTIC TA0008 <- lateral movement
            is APT29 active                              | ACTOR G0016 <- APT29
            what do we know about Cozy Bear              | ACTOR G0016 <- Cozy Bear
            hunt for pass-the-hash                       | TECHNIQUE T1550.002 <- pass-the-hash
            """)
    void findsRealAttackNames(String prompt, String expected) {
        Extraction extraction = withRealNames().extract(prompt, Fixtures.NOW, ZoneOffset.UTC);

        assertThat(extraction.mentions()).extracting(Fixtures::describe).contains(expected);
    }

    @Test
    void aNameSharedWithinAKindNamesNeither() {
        KnowledgeNames names = KnowledgeNames.of(Map.of(EntityType.TECHNIQUE,
                Map.of("cloud accounts", "T1078.004", "Cloud  Accounts", "T1136.003", "phishing", "T1566")));

        assertThat(names.names(EntityType.TECHNIQUE)).containsOnlyKeys("phishing");
    }

    @Test
    void refusesOtherKindsAndBlankNames() {
        assertThatThrownBy(() -> KnowledgeNames.of(Map.of(EntityType.HOST, Map.of("ws5", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of HOST");
        assertThatThrownBy(() -> KnowledgeNames.of(Map.of(EntityType.ACTOR, Map.of(" ", "G0016"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
    }

    @Test
    void valueDictionariesRefuseTypedKindsAndDropDuplicates() {
        assertThatThrownBy(() -> ValueDictionary.of(Map.of(EntityType.IP, List.of("1.2.3.4"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recognized by their shape");

        ValueDictionary dictionary = ValueDictionary.of(Map.of(EntityType.HOST, List.of("WS5", "ws5", " ", "WS6 ")));

        assertThat(dictionary.values(EntityType.HOST)).containsExactly("WS5", "WS6");
        assertThat(dictionary.values(EntityType.USER)).isEmpty();
        assertThat(dictionary.size()).isEqualTo(2);
    }
}
