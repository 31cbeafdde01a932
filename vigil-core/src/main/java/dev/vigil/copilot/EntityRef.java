package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

/** An entity an answer talks about, by type and canonical value; sessions resolve "it" and "the second one" to these. */
public record EntityRef(EntityType type, String value) {
    public EntityRef {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
        return type.key() + ":" + value;
    }
}
