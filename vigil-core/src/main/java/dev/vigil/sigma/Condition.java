package dev.vigil.sigma;

import java.util.List;

/** A parsed detection condition; see {@link ConditionParser} for the grammar. */
public sealed interface Condition {

    record And(List<Condition> operands) implements Condition {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(List<Condition> operands) implements Condition {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(Condition operand) implements Condition {}

    /** A search identifier by name. */
    record Ref(String name) implements Condition {}

    /**
     * {@code 1 of pattern}, {@code all of pattern}, {@code any of them}: over the search identifiers whose names match
     * the pattern ({@code *} wildcards), or over all identifiers not starting with {@code _} when the pattern is null.
     */
    record Quantified(boolean all, String pattern) implements Condition {
        public boolean them() {
            return pattern == null;
        }
    }
}
