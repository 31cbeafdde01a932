package dev.vigil.ingest;

import java.math.BigDecimal;

/**
 * Turns decimal text into a double only when the double holds it exactly (to its shortest representation), so that
 * no value is truncated: {@code 0.25}, {@code 1.10} and {@code 3e5} become doubles; {@code 1.123456789012345678},
 * {@code 1e400} and {@code NaN} stay text.
 */
final class Decimals {
    private Decimals() {}

    /** The double for the text if it represents the same number, else the text itself. */
    static Object exactOrText(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text;
        }
        return exact(text, value) ? (Object) value : text;
    }

    static boolean exact(String text, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return false;
        }
        try {
            return new BigDecimal(text.strip()).compareTo(BigDecimal.valueOf(value)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
