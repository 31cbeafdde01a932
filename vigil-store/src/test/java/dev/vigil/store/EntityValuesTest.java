package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The names each commit of events brought")
class EntityValuesTest {

    @Test
    void nameAProcessByItsFileNameAsTheDictionaryQueryDoes() {
        assertThat(EntityValues.processName("C:\\Windows\\System32\\cmd.exe")).isEqualTo("cmd.exe");
        assertThat(EntityValues.processName("/usr/sbin/sshd")).isEqualTo("sshd");
        assertThat(EntityValues.processName("powershell.exe")).isEqualTo("powershell.exe");
        assertThat(EntityValues.processName("C:\\Temp\\")).isEmpty();
    }

    @Test
    void gatherTheNamesOfEveryCommitSinceAVersion() {
        EntityValues.Journal journal = new EntityValues.Journal();
        journal.committed(new EntityValues(Set.of("WS001"), Set.of("alice"), Set.of()));
        long first = journal.commits();
        journal.committed(new EntityValues(Set.of("WS002"), Set.of(), Set.of("cmd.exe")));
        journal.committed(new EntityValues(Set.of("WS003"), Set.of("bob"), Set.of()));

        EntityValues since = journal.since(first).orElseThrow();
        assertThat(since.hosts()).containsExactlyInAnyOrder("WS002", "WS003");
        assertThat(since.users()).containsExactly("bob");
        assertThat(since.processes()).containsExactly("cmd.exe");
        assertThat(journal.since(0).orElseThrow().hosts()).hasSize(3);
        assertThat(journal.since(journal.commits()).orElseThrow().isEmpty()).isTrue();
    }

    @Test
    void sayItNoLongerKnowsOnceTheCommitsSinceOutgrewWhatItKeeps() {
        EntityValues.Journal journal = new EntityValues.Journal();
        for (int i = 0; i < EntityValues.Journal.KEPT + 1; i++) {
            journal.committed(new EntityValues(Set.of("host-" + i), Set.of(), Set.of()));
        }

        assertThat(journal.since(0)).as("the first commit's names were dropped").isEmpty();
        assertThat(journal.since(1).orElseThrow().hosts()).hasSize(EntityValues.Journal.KEPT);
    }
}
