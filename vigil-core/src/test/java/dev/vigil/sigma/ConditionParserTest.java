package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sigma.Condition.And;
import dev.vigil.sigma.Condition.Not;
import dev.vigil.sigma.Condition.Or;
import dev.vigil.sigma.Condition.Quantified;
import dev.vigil.sigma.Condition.Ref;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionParserTest {

    @Test
    void or_binds_looser_than_and_which_binds_looser_than_not() {
        assertThat(ConditionParser.parse("a or b and not c")).isEqualTo(
                new Or(List.of(new Ref("a"), new And(List.of(new Ref("b"), new Not(new Ref("c")))))));
    }

    @Test
    void parentheses_override_precedence() {
        assertThat(ConditionParser.parse("(a or b) and c")).isEqualTo(
                new And(List.of(new Or(List.of(new Ref("a"), new Ref("b"))), new Ref("c"))));
    }

    @Test
    void quantifiers_over_patterns_and_them() {
        assertThat(ConditionParser.parse("1 of selection_* and not all of filter*")).isEqualTo(new And(List.of(
                new Quantified(false, "selection_*"), new Not(new Quantified(true, "filter*")))));
        assertThat(ConditionParser.parse("any of them")).isEqualTo(new Quantified(false, null));
        assertThat(ConditionParser.parse("ALL OF THEM")).isEqualTo(new Quantified(true, null));
    }

    @Test
    void not_binds_to_the_quantifier_not_beyond() {
        assertThat(ConditionParser.parse("not 1 of filter* and sel")).isEqualTo(new And(List.of(
                new Not(new Quantified(false, "filter*")), new Ref("sel"))));
    }

    @Test
    void errors_name_the_column_and_what_was_expected() {
        assertThatThrownBy(() -> ConditionParser.parse("selection and"))
                .isInstanceOf(SigmaSyntaxException.class).hasMessageContaining("ends early")
                .extracting(e -> ((SigmaSyntaxException) e).column()).isEqualTo(14);
        assertThatThrownBy(() -> ConditionParser.parse("(a or b")).hasMessageContaining("')'");
        assertThatThrownBy(() -> ConditionParser.parse("a b")).hasMessageContaining("unexpected 'b'");
        assertThatThrownBy(() -> ConditionParser.parse("selection | count() > 5"))
                .hasMessageContaining("correlation rule");
        assertThatThrownBy(() -> ConditionParser.parse("2 of sel*")).hasMessageContaining("'1 of'");
        assertThatThrownBy(() -> ConditionParser.parse("sel*")).hasMessageContaining("needs a quantifier");
        assertThatThrownBy(() -> ConditionParser.parse("a & b")).hasMessageContaining("unexpected character '&'");
    }
}
