package dev.vigil.store;

/**
 * What storing a set of indicators did.
 *
 * @param added values the tenant did not have
 * @param updated values it had, whose provenance the import changed (another feed, a later sighting ...)
 * @param unchanged values it had, about which the import said nothing new
 */
public record IndicatorUpsert(int added, int updated, int unchanged) {
    /** The sum of two results, e.g. of two files. */
    public IndicatorUpsert plus(IndicatorUpsert other) {
        return new IndicatorUpsert(added + other.added, updated + other.updated, unchanged + other.unchanged);
    }
}
