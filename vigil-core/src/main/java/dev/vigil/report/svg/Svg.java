package dev.vigil.report.svg;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * Writes SVG 1.1 text for the charts: escaped text, fixed number formats and the few elements the charts use (rect,
 * path, line, text, g, title, desc), so that the output is the same bytes for the same chart on every machine and
 * draws the same inline in a browser and in Batik, which openhtmltopdf uses for PDF.
 */
final class Svg {
    static final String FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
    static final String INK = "#1a1a1a";
    static final String MUTED = "#595959";
    static final String GRID = "#d9d9d9";
    static final String NONE_FILL = "#f2f2f2";

    /**
     * The Okabe-Ito palette, which stays distinguishable under the common colour-vision deficiencies, ordered so that
     * the first colours have the most contrast against white (its yellow, which has little, is left out).
     */
    static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
            "#000000");

    /** Dash patterns that tell lines apart without colour. */
    static final List<String> DASHES = List.of("", "6 3", "2 2", "8 3 2 3", "1 3", "10 4");

    /**
     * A sequential single-hue scale (ColorBrewer Blues) from light to dark, each with the text colour that reads on
     * it.
     */
    static final List<String> HEAT = List.of("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c");
    static final List<String> HEAT_TEXT = List.of(INK, INK, INK, "#ffffff", "#ffffff");

    private final StringBuilder out = new StringBuilder(4096);

    private Svg() {}

    /** Starts a document of the given size; {@code label} is its accessible name and title. */
    static Svg open(double width, double height, String label, String description) {
        Svg svg = new Svg();
        svg.out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(num(width))
                .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append("\" role=\"img\" aria-label=\"").append(escape(label))
                .append("\" font-family=\"").append(FONT).append("\">\n");
        svg.out.append("<title>").append(escape(label)).append("</title>\n");
        if (!description.isEmpty()) {
            svg.out.append("<desc>").append(escape(description)).append("</desc>\n");
        }
        svg.rect(0, 0, width, height, "#ffffff", null);
        return svg;
    }

    String close() {
        out.append("</svg>\n");
        return out.toString();
    }

    Svg rect(double x, double y, double width, double height, String fill, String stroke) {
        out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(Math.max(0, width))).append("\" height=\"").append(num(Math.max(0, height)))
                .append("\" fill=\"").append(fill).append('"');
        if (stroke != null) {
            out.append(" stroke=\"").append(stroke).append("\" stroke-width=\"1\"");
        }
        out.append("/>\n");
        return this;
    }

    /** A rectangle with a tooltip: the {@code title} child that browsers and screen readers show. */
    Svg rect(double x, double y, double width, double height, String fill, String stroke, String tooltip) {
        out.append("<g>");
        out.append("<title>").append(escape(tooltip)).append("</title>");
        rect(x, y, width, height, fill, stroke);
        out.append("</g>\n");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width, String dash) {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(num(width)).append('"');
        if (dash != null && !dash.isEmpty()) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append("/>\n");
        return this;
    }

    /** A path; {@code fill} null draws only its stroke. */
    Svg path(String data, String fill, String stroke, double strokeWidth, String dash, String tooltip) {
        if (tooltip != null) {
            out.append("<g><title>").append(escape(tooltip)).append("</title>");
        }
        out.append("<path d=\"").append(data).append("\" fill=\"").append(fill == null ? "none" : fill).append('"');
        if (stroke != null) {
            out.append(" stroke=\"").append(stroke).append("\" stroke-width=\"").append(num(strokeWidth))
                    .append("\" stroke-linejoin=\"round\"");
        }
        if (dash != null && !dash.isEmpty()) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append("/>");
        if (tooltip != null) {
            out.append("</g>");
        }
        out.append('\n');
        return this;
    }

    /**
     * Text cut to {@code maxChars} characters; when cut, it ends in an ellipsis and its full text is its tooltip.
     *
     * @param anchor start, middle or end
     */
    Svg text(double x, double y, String text, double size, String anchor, String fill, boolean bold, int maxChars) {
        String clean = clean(text);
        String shown = fit(clean, maxChars);
        boolean cut = !shown.equals(clean);
        if (cut) {
            out.append("<g><title>").append(escape(clean)).append("</title>");
        }
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" font-size=\"")
                .append(num(size)).append("\" text-anchor=\"").append(anchor).append("\" fill=\"").append(fill)
                .append('"');
        if (bold) {
            out.append(" font-weight=\"bold\"");
        }
        out.append('>').append(escape(shown)).append("</text>");
        if (cut) {
            out.append("</g>");
        }
        out.append('\n');
        return this;
    }

    /** Text turned about its anchor point, for the labels of narrow categories. */
    Svg rotatedText(double x, double y, double degrees, String text, double size, String fill, int maxChars) {
        out.append("<g transform=\"translate(").append(num(x)).append(' ').append(num(y)).append(") rotate(")
                .append(num(degrees)).append(")\">");
        String clean = clean(text);
        String shown = fit(clean, maxChars);
        if (!shown.equals(clean)) {
            out.append("<title>").append(escape(clean)).append("</title>");
        }
        out.append("<text x=\"0\" y=\"0\" font-size=\"").append(num(size)).append("\" text-anchor=\"end\" fill=\"")
                .append(fill).append("\">").append(escape(shown)).append("</text></g>\n");
        return this;
    }

    Svg raw(String text) {
        out.append(text);
        return this;
    }

    // ----------------------------------------------------------------------------------------------- text helpers

    /**
     * The text with the characters XML 1.0 cannot hold (most control characters, lone surrogates, U+FFFE/U+FFFF)
     * dropped, and runs of whitespace made one space: chart text comes from data, which may hold anything.
     */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                space = !kept.isEmpty();
                continue;
            }
            boolean allowed = codePoint >= 0x20 && codePoint <= 0xD7FF || codePoint >= 0xE000 && codePoint <= 0xFFFD
                    || codePoint >= 0x10000 && codePoint <= 0x10FFFF;
            if (!allowed) {
                continue;
            }
            if (space) {
                kept.append(' ');
                space = false;
            }
            kept.appendCodePoint(codePoint);
        }
        return kept.toString();
    }

    /** Escapes text for an XML attribute or element: {@code & < > " '}. */
    static String escape(String text) {
        String clean = clean(text);
        StringBuilder escaped = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The text cut to at most {@code maxChars} code points, the last an ellipsis when cut. */
    static String fit(String text, int maxChars) {
        int limit = Math.max(1, maxChars);
        if (text.codePointCount(0, text.length()) <= limit) {
            return text;
        }
        int end = text.offsetByCodePoints(0, limit - 1);
        return text.substring(0, end).stripTrailing() + "…";
    }

    /** How many characters of a sans-serif face at {@code size} fit in {@code width}, conservatively. */
    static int charsFitting(double width, double size) {
        return Math.max(1, (int) Math.floor(width / (size * 0.6)));
    }

    // --------------------------------------------------------------------------------------------- number helpers

    /** A coordinate: at most one decimal, no trailing zero, never {@code -0}. */
    static String num(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        double rounded = Math.round(value * 10.0) / 10.0;
        if (rounded == 0) {
            return "0";
        }
        if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
            return Long.toString((long) rounded);
        }
        return String.format(Locale.ROOT, "%.1f", rounded);
    }

    /**
     * A value as people read it: whole numbers in full up to 9,999, then with a k, M, B or T suffix and one decimal
     * (12.3k, 4.5M); fractions with up to two decimals (0.25, 3.5). Fixed to {@link Locale#ROOT}, so a report reads
     * the same wherever it is made.
     */
    static String value(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        double magnitude = Math.abs(value);
        String[] suffixes = {"T", "B", "M", "k"};
        double[] scales = {1e12, 1e9, 1e6, 1e3};
        if (magnitude >= 1e4) {
            for (int i = 0; i < scales.length; i++) {
                if (magnitude >= scales[i] * 0.99995 || i == scales.length - 1) {
                    if (magnitude >= 1e15) {
                        return String.format(Locale.ROOT, "%.2e", value);
                    }
                    return trim(BigDecimal.valueOf(value / scales[i]).setScale(1, RoundingMode.HALF_UP)) + suffixes[i];
                }
            }
        }
        if (value == Math.rint(value)) {
            String whole = Long.toString((long) value);
            return whole.equals("-0") ? "0" : whole;
        }
        String decimals = trim(BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP));
        return decimals.equals("-0") ? "0" : decimals;
    }

    private static String trim(BigDecimal decimal) {
        String text = decimal.stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /** A share as a percentage with one decimal, e.g. {@code 33.3%}. */
    static String percent(double share) {
        return trim(BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP)) + "%";
    }
}
