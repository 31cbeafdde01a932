package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

/**
 * A known-bad observable value (an address, network, domain, URL, file digest or e-mail address) with its
 * provenance. The value is in its type's normal form, so {@code (type, value)} identifies an indicator across feeds.
 *
 * @param value the normal form of the value; {@link #of} makes it from any accepted spelling
 */
public record Indicator(IndicatorType type, String value, Provenance provenance) {

    public Indicator {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        requireNonNull(provenance, "provenance is null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an indicator's value is empty");
        }
    }

    /**
     * The indicator of a value as a feed spells it, normalized for its type.
     *
     * @throws IllegalArgumentException saying why the text is not a value of that type
     */
    public static Indicator of(IndicatorType type, String text, Provenance provenance) {
        return new Indicator(type, IndicatorValues.normalize(type, text), provenance);
    }

    /** {@code type:value}, e.g. {@code ipv4:203.0.113.7}: the identity of the indicator, and of its alerts' rule. */
    public String key() {
        return type.id() + ":" + value;
    }

    /** This indicator with what another listing of the same value says merged into its provenance. */
    public Indicator merge(Indicator other) {
        if (other.type != type || !other.value.equals(value)) {
            throw new IllegalArgumentException("cannot merge " + other.key() + " into " + key());
        }
        return new Indicator(type, value, provenance.merge(other.provenance));
    }
}
