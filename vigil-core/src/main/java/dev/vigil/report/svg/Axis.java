package dev.vigil.report.svg;

import java.util.ArrayList;
import java.util.List;

/**
 * A value axis with round ticks (1, 2, 2.5 or 5 times a power of ten, Heckbert's "nice numbers"), always including
 * zero so bars start from a true baseline.
 *
 * @param min the axis' lowest value, a tick
 * @param max the axis' highest value, a tick, above {@code min}
 * @param step the distance between ticks
 */
record Axis(double min, double max, double step) {
    /** An axis covering the finite values and zero, with about {@code ticks} ticks. */
    static Axis covering(List<Double> values, int ticks) {
        double low = 0;
        double high = 0;
        for (double value : values) {
            if (Double.isFinite(value)) {
                low = Math.min(low, value);
                high = Math.max(high, value);
            }
        }
        if (high - low < 1e-12) {
            high = low + 1;
        }
        double step = nice((high - low) / Math.max(1, ticks - 1), true);
        // the epsilon keeps 0.3 / 0.05 = 6.000000000000001 from adding a tick
        double min = Math.floor(low / step + 1e-9) * step;
        double max = Math.ceil(high / step - 1e-9) * step;
        if (max - min < step) {
            max = min + step;
        }
        return new Axis(min, max, step);
    }

    /** A round number near {@code range}: the nearest (or, unless {@code round}, next larger) 1, 2, 2.5 or 5 x 10^n. */
    static double nice(double range, boolean round) {
        double exponent = Math.floor(Math.log10(range));
        double power = Math.pow(10, exponent);
        double fraction = range / power;
        double nice;
        if (round) {
            nice = fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10;
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        }
        return nice * power;
    }

    /** The tick values from {@code min} to {@code max}, computed from the step so no error accumulates. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long count = Math.round((max - min) / step);
        // 0.1 + 0.2: round to the step's precision so a tick is 0.3, not 0.30000000000000004
        int decimals = Math.max(0, 1 - (int) Math.floor(Math.log10(step)));
        for (long i = 0; i <= count && i <= 100; i++) {
            ticks.add(java.math.BigDecimal.valueOf(min + i * step)
                    .setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue());
        }
        return ticks;
    }

    /** Where {@code value} falls between {@code bottom} (at min) and {@code top} (at max), in drawing units. */
    double position(double value, double bottom, double top) {
        double clamped = Math.max(min, Math.min(max, value));
        return bottom + (clamped - min) / (max - min) * (top - bottom);
    }
}
