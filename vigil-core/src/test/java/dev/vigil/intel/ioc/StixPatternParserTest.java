package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.intel.ioc.StixPattern.Comparison;
import dev.vigil.intel.ioc.StixPattern.Compound;
import dev.vigil.intel.ioc.StixPattern.Literal;
import dev.vigil.intel.ioc.StixPattern.ObjectPath;
import dev.vigil.intel.ioc.StixPattern.Observation;
import dev.vigil.intel.ioc.StixPattern.Operator;
import dev.vigil.intel.ioc.StixPattern.Qualified;
import dev.vigil.intel.ioc.StixPattern.Qualifier;
import dev.vigil.intel.ioc.StixPattern.Step;
import dev.vigil.intel.ioc.StixPattern.TestOperator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("STIX 2.1 patterns: grammar, precedence, round trip and errors")
class StixPatternParserTest {

    private static Observation equals(String type, String property, String value) {
        return new Observation(new Comparison.Test(new ObjectPath(type, List.of(new Step.Property(property))), false,
                TestOperator.EQ, new Literal.Text(value)));
    }

    @Test
    void a_simple_comparison() {
        assertThat(StixPatternParser.parse("[ipv4-addr:value = '198.51.100.1']"))
                .isEqualTo(equals("ipv4-addr", "value", "198.51.100.1"));
    }

    @Test
    void quoted_path_components_and_list_indexes() {
        StixPattern pattern = StixPatternParser.parse(
                "[file:hashes.'SHA-256' = 'aa' AND email-message:to_refs[*].value = 'b@example.com']");
        Comparison.Junction junction = (Comparison.Junction) ((Observation) pattern).comparison();
        Comparison.Test hash = (Comparison.Test) junction.operands().get(0);
        Comparison.Test to = (Comparison.Test) junction.operands().get(1);
        assertThat(hash.path().steps()).containsExactly(new Step.Property("hashes"), new Step.Property("SHA-256"));
        assertThat(to.path().propertyPath()).isEqualTo("to_refs[*].value");
    }

    @Test
    void followedby_binds_loosest_then_or_then_and() {
        StixPattern a = equals("ipv4-addr", "value", "1.1.1.1");
        StixPattern b = equals("ipv4-addr", "value", "2.2.2.2");
        StixPattern c = equals("ipv4-addr", "value", "3.3.3.3");
        StixPattern d = equals("ipv4-addr", "value", "4.4.4.4");
        assertThat(StixPatternParser.parse("[ipv4-addr:value = '1.1.1.1'] FOLLOWEDBY [ipv4-addr:value = '2.2.2.2']"
                + " OR [ipv4-addr:value = '3.3.3.3'] AND [ipv4-addr:value = '4.4.4.4']"))
                .isEqualTo(new Compound(Operator.FOLLOWEDBY, List.of(a,
                        new Compound(Operator.OR, List.of(b, new Compound(Operator.AND, List.of(c, d)))))));
    }

    @Test
    void chains_of_one_operator_are_flattened_whatever_the_parentheses() {
        assertThat(StixPatternParser.parse("([a:value = '1'] OR [a:value = '2']) OR [a:value = '3']"))
                .isEqualTo(StixPatternParser.parse("[a:value = '1'] OR [a:value = '2'] OR [a:value = '3']"));
        assertThat(StixPatternParser.parse("[a:value = '1' OR (a:value = '2' OR a:value = '3')]"))
                .isEqualTo(StixPatternParser.parse("[a:value = '1' OR a:value = '2' OR a:value = '3']"));
    }

    @Test
    void qualifiers_bind_to_the_expression_before_them() {
        StixPattern pattern = StixPatternParser.parse("([a:value = '1'] AND [a:value = '2']) WITHIN 300 SECONDS"
                + " REPEATS 2 TIMES");
        Qualified repeats = (Qualified) pattern;
        assertThat(repeats.qualifier()).isEqualTo(new Qualifier.Repeats(BigInteger.TWO));
        Qualified within = (Qualified) repeats.pattern();
        assertThat(within.qualifier()).isEqualTo(new Qualifier.Within(new BigDecimal("300")));
        assertThat(within.pattern()).isInstanceOf(Compound.class);
    }

    @Test
    void literals_of_every_kind() {
        Comparison.Junction junction = (Comparison.Junction) ((Observation) StixPatternParser.parse(
                "[x:a = 1 AND x:b = -2.5 AND x:c = true AND x:d = h'0aff' AND x:e = b'AAEC'"
                        + " AND x:f > t'2016-01-01T00:00:00Z' AND x:g IN ('p', 'q') AND x:h NOT LIKE 'a%'"
                        + " AND EXISTS x:i]")).comparison();
        assertThat(junction.operands()).hasSize(9);
        assertThat(((Comparison.Test) junction.operands().get(0)).value()).isEqualTo(new Literal.Int(BigInteger.ONE));
        assertThat(((Comparison.Test) junction.operands().get(1)).value())
                .isEqualTo(new Literal.Real(new BigDecimal("-2.5")));
        assertThat(((Comparison.Test) junction.operands().get(6)).value()).isEqualTo(new Literal.Set(List.of(
                new Literal.Text("p"), new Literal.Text("q"))));
        assertThat(((Comparison.Test) junction.operands().get(7)).negated()).isTrue();
        assertThat(junction.operands().get(8)).isInstanceOf(Comparison.Exists.class);
    }

    @Test
    void strings_escape_quotes_and_backslashes_only() {
        Comparison.Test test = (Comparison.Test) ((Observation) StixPatternParser.parse(
                "[file:name = 'it\\'s a\\\\b']")).comparison();
        assertThat(test.value()).isEqualTo(new Literal.Text("it's a\\b"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32']",
            "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
            "[url:value = 'http://x.test/' OR (file:hashes.'SHA-256' = 'ab' AND file:size > 10)]",
            "[a:value = '1'] FOLLOWEDBY ([a:value = '2'] OR [a:value = '3']) WITHIN 5.5 SECONDS",
            "([a:value = '1'] FOLLOWEDBY [a:value = '2']) START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
            "[file:name MATCHES '^Final Report.+\\\\.exe$' AND file:size NOT <= 5 AND x:y ISSUBSET '10.0.0.0/8']",
            "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar' AND x-custom:prop[0].sub = 'it\\'s']"})
    void format_then_parse_gives_the_same_tree(String pattern) {
        StixPattern tree = StixPatternParser.parse(pattern);
        String formatted = StixPatternParser.format(tree);
        assertThat(StixPatternParser.parse(formatted)).as(formatted).isEqualTo(tree);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [ipv4-addr:value = '1.2.3.4'                | column 29: expected ']' or AND, OR but found the end of the pattern
            ipv4-addr:value = '1.2.3.4'                 | column 1: expected '[' or '(' to start an observation expression but found 'ipv4-addr'
            [ipv4-addr:value = '1.2.3.4'] and [a:b = 1] | column 31: expected the end of the pattern or an operator (AND, OR, FOLLOWEDBY) but found 'and'
            [ipv4-addr:value == '1.2.3.4']              | column 19: expected a literal after = but found '='
            [ipv4-addr value = '1.2.3.4']               | column 12: expected ':' after the object type 'ipv4-addr' but found 'value'
            [file:hashes.SHA-256 = 'aa']                | column 14: expected a property name after '.' (quote names with '-': 'SHA-256') but found 'SHA-256'
            [a:b = 'unclosed]                           | column 8: the string starting here is not closed with '
            [a:b = 'bad \\n escape']                    | column 13: a string may only escape \\' and \\\\, not '\\n'
            [a:b = 1] WITHIN 0 SECONDS                  | column 18: expected a positive number of seconds after WITHIN but found '0'
            [a:b = 1] REPEATS 2                         | column 20: expected TIMES but found the end of the pattern
            [a:b IN 'x']                                | column 9: expected '(' to start the set after IN but found 'x'
            [a:b = t'yesterday']                        | column 8: a timestamp must be RFC 3339 in UTC, e.g. t'2024-01-01T00:00:00Z', not t'yesterday'
            [a:b = 1] & [a:c = 2]                       | column 11: unexpected character '&'
            """)
    void errors_name_the_column_the_token_and_what_was_expected(String pattern, String message) {
        assertThatThrownBy(() -> StixPatternParser.parse(pattern)).isInstanceOf(StixPatternException.class)
                .hasMessage(message);
    }
}
