package dev.vigil.sigma;

import java.math.BigDecimal;

/** One value of a detection item as written in the rule: text (with wildcards), a number, a boolean, or null. */
public sealed interface SigmaValue {

    /** Text as written, wildcards and escapes untouched; {@link SigmaString} gives it meaning. */
    record Text(String text) implements SigmaValue {}

    record Number(BigDecimal value) implements SigmaValue {}

    record Bool(boolean value) implements SigmaValue {}

    /** {@code null}: the field is absent or has no value. */
    record Null() implements SigmaValue {}

    /** The value as plain text, the way a number or boolean reads in an event. */
    default String asText() {
        return switch (this) {
            case Text t -> t.text();
            case Number n -> n.value().toPlainString();
            case Bool b -> Boolean.toString(b.value());
            case Null ignored -> "";
        };
    }
}
