package dev.vigil.copilot.skills;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The words the intelligence and posture skills compose answers from: counts with their nouns, lists in prose, dates,
 * scores, and knowledge text trimmed to what a chat answer can hold.
 *
 * <p>Numbers are written without grouping separators and scores with one decimal, exactly as the facts and tables of
 * the same answer hold them, so that every figure of the prose can be found behind it.
 */
final class Phrasing {
    private Phrasing() {}

    /** {@code 1 alert}, {@code 3 alerts}. */
    static String count(long n, String singular) {
        return count(n, singular, singular.endsWith("s") || singular.endsWith("x") ? singular + "es"
                : singular.endsWith("y") && !singular.endsWith("ey") ? singular.substring(0, singular.length() - 1)
                        + "ies" : singular + "s");
    }

    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    static String and(List<String> items) {
        return switch (items.size()) {
            case 0 -> "";
            case 1 -> items.get(0);
            default -> String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
        };
    }

    /** The first {@code limit} items in prose, ending "and more" when there are others. */
    static String and(List<String> items, int limit) {
        if (items.size() <= limit) {
            return and(items);
        }
        return String.join(", ", items.subList(0, limit)) + " and more";
    }

    /** The day of an instant in UTC, {@code 2024-05-01}; empty for null. */
    static String day(Instant instant) {
        return instant == null ? "" : LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** The instant to the second, {@code 2024-05-01T12:00:00Z}; empty for null. */
    static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A date or empty for null. */
    static String day(LocalDate date) {
        return date == null ? "" : date.toString();
    }

    /** A score rounded to one decimal, the value the facts hold. */
    static double oneDecimal(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A score as the prose writes it, {@code 62.4}. */
    static String score(double value) {
        return String.format(Locale.ROOT, "%.1f", oneDecimal(value));
    }

    /** A probability such as EPSS with three decimals, {@code 0.943}. */
    static String probability(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * The first paragraph of a knowledge text, cut at the end of a sentence when longer than {@code limit}
     * characters. ATT&amp;CK descriptions run to several paragraphs; an answer quotes the one that defines the object.
     */
    static String firstParagraph(String text, int limit) {
        String stripped = text.strip();
        int blank = stripped.indexOf("\n\n");
        String paragraph = (blank < 0 ? stripped : stripped.substring(0, blank)).replaceAll("\\s+", " ").strip();
        if (paragraph.length() <= limit) {
            return paragraph;
        }
        int end = paragraph.lastIndexOf(". ", limit);
        return end > limit / 3 ? paragraph.substring(0, end + 1) : paragraph.substring(0, limit).strip() + "…";
    }

    /** The first sentence of a knowledge text. */
    static String firstSentence(String text) {
        String paragraph = firstParagraph(text, Integer.MAX_VALUE);
        int end = paragraph.indexOf(". ");
        return end < 0 ? paragraph : paragraph.substring(0, end + 1);
    }

    /** {@code text} with its first letter in upper case, to open a sentence. */
    static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
