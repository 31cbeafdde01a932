package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The behaviour table in behaviours.yaml is complete and consistent: it is data that grows, so it is checked. */
class BehavioursTest {
    private static final Behaviours TABLE = Behaviours.BUILT_IN;
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(?:\\.\\d{3})?");

    @Test
    void behaviourIdsAreUniqueAndKebabCase() {
        Set<String> seen = new HashSet<>();
        assertThat(TABLE.behaviours()).allSatisfy(behaviour -> {
            assertThat(behaviour.id()).matches(ID);
            assertThat(seen.add(behaviour.id())).as("duplicate behaviour id %s", behaviour.id()).isTrue();
        });
    }

    @Test
    void everyTechniqueIdIsWellFormedAndNamed() {
        assertThat(TABLE.techniqueNames()).allSatisfy((id, name) -> {
            assertThat(id).matches(TECHNIQUE);
            assertThat(name).isNotBlank();
        });
        assertThat(TABLE.behaviours()).allSatisfy(behaviour ->
                assertThat(TABLE.techniqueNames().keySet()).containsAll(behaviour.techniques()));
    }

    @Test
    void everyObfuscationHasItsTechniques() {
        assertThat(TABLE.obfuscationTechniques()).containsOnlyKeys(Obfuscation.values());
    }

    @Test
    void everySummaryIsOneSentenceWithoutAFinalStop() {
        assertThat(TABLE.behaviours()).allSatisfy(behaviour -> {
            assertThat(behaviour.summary()).doesNotEndWith(".").doesNotContain("\n");
            assertThat(behaviour.summary()).as(behaviour.id()).isNotBlank();
        });
    }

    @Test
    void theBriefsTechniquesAreAllCovered() {
        Set<String> used = new HashSet<>();
        TABLE.behaviours().forEach(behaviour -> used.addAll(behaviour.techniques()));
        TABLE.obfuscationTechniques().values().forEach(used::addAll);

        assertThat(used).contains("T1059.001", "T1059.003", "T1027", "T1140", "T1105", "T1547.001", "T1053.005",
                "T1543.003", "T1546.003", "T1003.001", "T1003.002", "T1562.001", "T1070.001", "T1490", "T1021.006",
                "T1021.002", "T1047", "T1218.005", "T1218.010", "T1218.011", "T1087", "T1082", "T1016", "T1033",
                "T1041", "T1048", "T1564.003", "T1095");
    }
}
