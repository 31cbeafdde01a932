package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The syntax tree of a STIX 2.1 pattern (STIX 2.1 section 9): observation expressions joined by {@code AND},
 * {@code OR} and {@code FOLLOWEDBY}, each a bracketed comparison expression, possibly qualified. Chains of one
 * operator are flattened into one node, so that {@code [a] OR [b] OR [c]} and {@code ([a] OR [b]) OR [c]} are the same
 * tree. {@link StixPatternParser#format} writes a tree back as pattern text that parses to the same tree.
 */
public sealed interface StixPattern {

    /** {@code [comparison]}: one observation. */
    record Observation(Comparison comparison) implements StixPattern {
        public Observation {
            requireNonNull(comparison, "comparison is null");
        }
    }

    /** Observations joined by one operator; at least two operands, none itself joined by the same operator. */
    record Compound(Operator operator, List<StixPattern> operands) implements StixPattern {
        public Compound {
            requireNonNull(operator, "operator is null");
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("a compound pattern needs two operands");
            }
        }
    }

    /** An observation expression with a qualifier ({@code WITHIN}, {@code REPEATS}, {@code START ... STOP}). */
    record Qualified(StixPattern pattern, Qualifier qualifier) implements StixPattern {
        public Qualified {
            requireNonNull(pattern, "pattern is null");
            requireNonNull(qualifier, "qualifier is null");
        }
    }

    /** The operators between observation expressions, loosest first. */
    enum Operator {
        FOLLOWEDBY,
        OR,
        AND
    }

    /** A qualifier of an observation expression. */
    sealed interface Qualifier {
        /** {@code WITHIN n SECONDS}. */
        record Within(BigDecimal seconds) implements Qualifier {
            public Within {
                requireNonNull(seconds, "seconds is null");
            }
        }

        /** {@code REPEATS n TIMES}. */
        record Repeats(BigInteger times) implements Qualifier {
            public Repeats {
                requireNonNull(times, "times is null");
            }
        }

        /** {@code START t'...' STOP t'...'}, the timestamps as written. */
        record StartStop(String start, String stop) implements Qualifier {
            public StartStop {
                requireNonNull(start, "start is null");
                requireNonNull(stop, "stop is null");
            }
        }
    }

    /** What one observation expression requires of the observed objects. */
    sealed interface Comparison {
        /** {@code path [NOT] operator literal}. */
        record Test(ObjectPath path, boolean negated, TestOperator operator, Literal value) implements Comparison {
            public Test {
                requireNonNull(path, "path is null");
                requireNonNull(operator, "operator is null");
                requireNonNull(value, "value is null");
            }
        }

        /** {@code EXISTS path}. */
        record Exists(ObjectPath path) implements Comparison {
            public Exists {
                requireNonNull(path, "path is null");
            }
        }

        /** Comparisons joined by {@code AND} ({@code and}) or {@code OR}; flattened like {@link Compound}. */
        record Junction(boolean and, List<Comparison> operands) implements Comparison {
            public Junction {
                operands = List.copyOf(operands);
                if (operands.size() < 2) {
                    throw new IllegalArgumentException("a junction needs two operands");
                }
            }
        }
    }

    /** The operators of a comparison, with their pattern text. */
    enum TestOperator {
        EQ("="),
        NEQ("!="),
        GT(">"),
        LT("<"),
        GE(">="),
        LE("<="),
        IN("IN"),
        LIKE("LIKE"),
        MATCHES("MATCHES"),
        ISSUBSET("ISSUBSET"),
        ISSUPERSET("ISSUPERSET");

        private final String text;

        TestOperator(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * {@code object-type:property.property[index]...}: the property of an object an observation compares.
     *
     * @param steps the properties and list indexes after the object type, at least one, the first a property
     */
    record ObjectPath(String objectType, List<Step> steps) {
        public ObjectPath {
            requireNonNull(objectType, "objectType is null");
            steps = List.copyOf(steps);
            if (steps.isEmpty() || !(steps.get(0) instanceof Step.Property)) {
                throw new IllegalArgumentException("an object path starts with a property");
            }
        }

        /** The path after the object type as written without quotes, e.g. {@code hashes.SHA-256}. */
        public String propertyPath() {
            StringBuilder out = new StringBuilder();
            for (Step step : steps) {
                switch (step) {
                    case Step.Property property -> out.append(out.isEmpty() ? "" : ".").append(property.name());
                    case Step.Index index -> out.append('[').append(index.index() == null ? "*" : index.index())
                            .append(']');
                }
            }
            return out.toString();
        }
    }

    /** One step of an object path. */
    sealed interface Step {
        record Property(String name) implements Step {
            public Property {
                requireNonNull(name, "name is null");
            }
        }

        /** A list index, or null for {@code [*]} (any element). */
        record Index(BigInteger index) implements Step {}
    }

    /** A literal of a comparison. */
    sealed interface Literal {
        record Text(String value) implements Literal {
            public Text {
                requireNonNull(value, "value is null");
            }
        }

        record Int(BigInteger value) implements Literal {
            public Int {
                requireNonNull(value, "value is null");
            }
        }

        record Real(BigDecimal value) implements Literal {
            public Real {
                requireNonNull(value, "value is null");
            }
        }

        record Bool(boolean value) implements Literal {}

        /** {@code h'0a1b'}, the hex digits as written. */
        record Hex(String digits) implements Literal {
            public Hex {
                requireNonNull(digits, "digits is null");
            }
        }

        /** {@code b'...'}, the base64 text as written. */
        record Binary(String base64) implements Literal {
            public Binary {
                requireNonNull(base64, "base64 is null");
            }
        }

        /** {@code t'2024-01-01T00:00:00Z'}, the timestamp as written. */
        record Timestamp(String value) implements Literal {
            public Timestamp {
                requireNonNull(value, "value is null");
            }
        }

        /** {@code ('a', 'b')}, the right-hand side of {@code IN}. */
        record Set(List<Literal> elements) implements Literal {
            public Set {
                elements = List.copyOf(elements);
            }
        }
    }
}
