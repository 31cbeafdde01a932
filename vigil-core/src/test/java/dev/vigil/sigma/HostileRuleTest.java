package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule files written to hurt: each ends in a clear error or a bounded cost, never a hang or a crash. */
class HostileRuleTest {

    private static final String HEAD = """
            title: t
            logsource: {product: windows, category: process_creation}
            """;

    @Test
    void an_alias_bomb_is_refused() {
        StringBuilder yaml = new StringBuilder(HEAD + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                yaml.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("detection: {sel: {Image: x}, condition: sel}\n");
        assertThatThrownBy(() -> SigmaParser.parse(yaml.toString(), "bomb.yml"))
                .isInstanceOf(SigmaRuleException.class).hasMessageContaining("bomb.yml");
    }

    @Test
    void deep_nesting_is_refused_with_its_place() {
        String yaml = HEAD + "detection:\n  sel:\n    Image: " + "[".repeat(500) + "]".repeat(500)
                + "\n  condition: sel\n";
        assertThatThrownBy(() -> SigmaParser.parse(yaml, "deep.yml"))
                .isInstanceOf(SigmaRuleException.class).hasMessageContaining("deep.yml:");
    }

    @Test
    void an_oversized_file_is_refused_before_it_is_read() {
        String yaml = HEAD + "description: " + "x".repeat(SigmaParser.MAX_FILE_CHARS) + "\n";
        assertThatThrownBy(() -> SigmaParser.parse(yaml, "big.yml"))
                .isInstanceOf(SigmaRuleException.class).hasMessageContaining("big.yml:1:1").hasMessageContaining("split");
    }

    @Test
    void binary_garbage_is_refused_as_not_yaml() {
        String garbage = new String(new byte[] {0, 1, 2, (byte) 0xff, 0x1b, 0x7f, '{', ':'},
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SigmaParser.parse(garbage, "garbage.yml"))
                .isInstanceOf(SigmaRuleException.class).hasMessageContaining("garbage.yml");
    }

    @Test
    void a_broken_regular_expression_is_a_compile_failure_naming_its_place() {
        String yaml = HEAD + "detection:\n  sel:\n    CommandLine|re: 'a(b'\n  condition: sel\n";
        RuleSet rules = RuleSet.compile(SigmaParser.parse(yaml, "re.yml"), LogSourceMap.builtIn(), Placeholders.none());
        assertThat(rules.failures()).singleElement().satisfies(f ->
                assertThat(f.reason()).contains("line 5").contains("not valid"));
    }

    @Test
    void a_catastrophic_regular_expression_gives_up_within_its_budget() {
        String yaml = HEAD + "detection:\n  sel:\n    CommandLine|re: '^(a+)+$'\n  condition: sel\n";
        RuleSet rules = RuleSet.compile(SigmaParser.parse(yaml, "redos.yml"), LogSourceMap.builtIn(),
                Placeholders.none());
        RuleSet.Evaluator evaluator = rules.evaluator();
        EventView event = new EventView("SysmonEvent", Map.of("EventID", 1L,
                "Channel", "Microsoft-Windows-Sysmon/Operational", "CommandLine", "a".repeat(40) + "!"));
        long start = System.nanoTime();
        assertThat(evaluator.match(event)).isEmpty();
        // a bound, not a speed target: unbounded, this input takes longer than the age of the universe
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_condition_naming_a_missing_search_is_refused_with_what_exists() {
        String yaml = HEAD + "detection:\n  sel:\n    Image: x\n  condition: sel and filter\n";
        assertThatThrownBy(() -> SigmaParser.parse(yaml, "ref.yml"))
                .hasMessageContaining("ref.yml:").hasMessageContaining("'filter'").hasMessageContaining("sel");
    }

    @Test
    void many_windash_dashes_do_not_multiply_into_permutations() {
        String yaml = HEAD + "detection:\n  sel:\n    CommandLine|windash|contains: '" + " -a".repeat(200)
                + "'\n  condition: sel\n";
        RuleSet rules = RuleSet.compile(SigmaParser.parse(yaml, "dash.yml"), LogSourceMap.builtIn(),
                Placeholders.none());
        assertThat(rules.rules()).hasSize(1);
        assertThat(List.of(rules.failures())).allSatisfy(f -> assertThat(f).isEmpty());
    }
}
