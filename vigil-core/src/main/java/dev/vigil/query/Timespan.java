package dev.vigil.query;

/**
 * A KQL timespan literal's value, in 100-nanosecond ticks as KQL counts them.
 *
 * @param text the literal as written, kept so that formatting gives it back unchanged
 */
record Timespan(long ticks, String text) {
    static final long TICKS_PER_MICROSECOND = 10;

    long microseconds() {
        return ticks / TICKS_PER_MICROSECOND;
    }
}
