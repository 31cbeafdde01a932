package dev.vigil.report.svg;

import java.util.List;

/**
 * Shades values on the five-step light-to-dark {@link Svg#HEAT} scale between the lowest and highest value, with a
 * legend. When {@code zeroIsNone}, zero and below get the neutral "none" fill, as an uncovered technique does.
 *
 * @param low the value the lightest step starts at
 * @param high the highest value
 */
record Shading(double low, double high, boolean zeroIsNone) {
    static final int STEPS = 5;

    static Shading over(List<Double> values, boolean zeroIsNone) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            if (Double.isFinite(value) && (!zeroIsNone || value > 0)) {
                low = Math.min(low, value);
                high = Math.max(high, value);
            }
        }
        if (low > high) {
            return new Shading(0, 0, zeroIsNone);
        }
        if (zeroIsNone || low > 0) {
            low = Math.min(low, 0); // counts shade from zero, so 1 of 2 looks half, not empty
        }
        return new Shading(low, high, zeroIsNone);
    }

    /** The step, 0 (lightest) to 4, or -1 for no shade (missing, or zero and below when zero means none). */
    int step(double value) {
        if (!Double.isFinite(value) || zeroIsNone && value <= 0) {
            return -1;
        }
        if (high <= low) {
            return value > 0 ? STEPS - 1 : 0; // all values equal: positive ones read as full, zeros as empty
        }
        double share = (value - low) / (high - low);
        return Math.max(0, Math.min(STEPS - 1, (int) Math.ceil(share * STEPS) - 1));
    }

    /** The step's value range as text, e.g. {@code 3 – 4}. */
    String range(int step) {
        double width = (high - low) / STEPS;
        double from = low + step * width;
        double to = low + (step + 1) * width;
        return Svg.value(from) + " – " + Svg.value(to);
    }

    /**
     * The step's range as the counts it holds when the values are whole numbers ({@code 3}, {@code 4 – 6}), so a
     * legend of alert counts does not read {@code 0.8 – 1.6}; empty when no whole number falls in the step. Null when
     * the values are not all whole numbers or span too many to list.
     */
    private List<String> wholeRanges(List<Double> values) {
        boolean whole = values.stream().filter(Double::isFinite).allMatch(v -> v == Math.rint(v));
        if (!whole || high - low > 100_000) {
            return null;
        }
        long[] first = new long[STEPS];
        long[] last = new long[STEPS];
        java.util.Arrays.fill(first, Long.MAX_VALUE);
        java.util.Arrays.fill(last, Long.MIN_VALUE);
        for (long v = (long) Math.ceil(low); v <= (long) high; v++) {
            int step = step(v);
            if (step >= 0) {
                first[step] = Math.min(first[step], v);
                last[step] = Math.max(last[step], v);
            }
        }
        List<String> ranges = new java.util.ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            ranges.add(first[step] == Long.MAX_VALUE ? "" : first[step] == last[step] ? Long.toString(first[step])
                    : first[step] + " – " + last[step]);
        }
        return ranges;
    }

    /** A row of swatches with their ranges (and the "none" swatch), left to right from {@code x}. */
    void legend(Svg svg, double x, double y) {
        legend(svg, x, y, List.of());
    }

    /**
     * A row of swatches with their ranges (and the "none" swatch), left to right from {@code x}; whole-number values
     * get whole-number ranges and only the steps some value can take.
     */
    void legend(Svg svg, double x, double y, List<Double> values) {
        double at = x;
        if (zeroIsNone) {
            svg.rect(at, y - 10, 14, 12, Svg.NONE_FILL, Svg.GRID);
            svg.text(at + 19, y, "none", 10, "start", Svg.INK, false, 8);
            at += 64;
        }
        if (high <= low && high == 0 && zeroIsNone) {
            return;
        }
        if (high <= low) {
            svg.rect(at, y - 10, 14, 12, Svg.HEAT.get(high > 0 ? STEPS - 1 : 0), null);
            svg.text(at + 19, y, Svg.value(high), 10, "start", Svg.INK, false, 12);
            return;
        }
        List<String> whole = values.isEmpty() ? null : wholeRanges(values);
        for (int step = 0; step < STEPS; step++) {
            String range = whole == null ? range(step) : whole.get(step);
            if (range.isEmpty()) {
                continue;
            }
            svg.rect(at, y - 10, 14, 12, Svg.HEAT.get(step), null);
            svg.text(at + 19, y, range, 10, "start", Svg.INK, false, 22);
            at += 19 + range.length() * 6.0 + 14;
        }
    }
}
