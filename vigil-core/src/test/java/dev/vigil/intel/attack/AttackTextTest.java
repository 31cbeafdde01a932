package dev.vigil.intel.attack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttackTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [APT29](https://attack.mitre.org/groups/G0016) used [Mimikatz](https://attack.mitre.org/software/S0002).(Citation: Mandiant APT29) | APT29 used Mimikatz.
            Dump with <code>procdump -ma lsass.exe</code>.(Citation: Microsoft (2017) LSA)(Citation: Other) | Dump with procdump -ma lsass.exe.
            Run <code>cmd /c <command></code> | Run cmd /c <command>
            Keeps [brackets] and (parentheses) | Keeps [brackets] and (parentheses)
            ``                                 | ``
            """)
    void plainTextDropsCitationsLinkTargetsAndTags(String markdown, String plain) {
        assertThat(AttackKnowledge.plainText(markdown == null ? "" : markdown)).isEqualTo(plain == null ? "" : plain);
    }

    @Test
    void plainTextKeepsParagraphs() {
        assertThat(AttackText.plain("First.(Citation: A)\n\nSecond.")).isEqualTo("First.\n\nSecond.");
    }

    @Test
    void tokensFoldCaseAccentsPunctuationAndPlurals() {
        assertThat(AttackText.tokens("Dump Credentials from LSASS.exe's memory; Café-processes T1003.001"))
                .containsExactly("dump", "credential", "lsass", "exe", "memory", "cafe", "processe", "t1003", "001");
        assertThat(AttackText.tokens("the analysis of its status")).containsExactly("analysis", "status");
    }

    @Test
    void keysFoldCaseWidthAndSpaces() {
        assertThat(AttackText.key("  Cozy\u00a0 Bear ")).isEqualTo("cozy bear");
        assertThat(AttackText.key("ＡＰＴ２９")).isEqualTo("apt29");
    }
}
