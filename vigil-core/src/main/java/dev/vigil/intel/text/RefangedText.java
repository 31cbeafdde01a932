package dev.vigil.intel.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with its defanging undone, which remembers where every character came from so that what is found in the
 * refanged text can be reported at its offsets in the original.
 *
 * <p>Each rewrite replaces a short run of the original with what it stands for. The rewrites are narrow on purpose:
 * a bracketed dot or at-sign only counts between characters that can belong to a name, so that prose keeps its
 * meaning; zero-width characters simply disappear.
 */
final class RefangedText {
    /** A run of the original, {@code [start, end)}, and what it stands for. */
    private record Rewrite(int start, int end, String replacement) {}

    /**
     * A rewrite rule. It runs only if the text, lower-cased, contains one of its needles: most texts contain no
     * defanging at all, and a plain search is far cheaper than trying a pattern at every position.
     */
    private record Rule(List<String> needles, Pattern pattern, Function<MatchResult, String> replacement) {}

    private static final String LABEL_CHAR = "[A-Za-z0-9_-]";
    private static final String ZERO_WIDTH = "\u200B\u200C\u200D\u2060\uFEFF\u00AD";
    private static final String FULL_STOPS = "\u3002\uFF0E\uFF61";

    private static final List<Rule> RULES = List.of(
            // Invisible characters that split a name for the eye of a filter but not for the reader.
            new Rule(characters(ZERO_WIDTH), Pattern.compile("[" + ZERO_WIDTH + "]"), match -> ""),
            // hxxp, hXXps, hxtp, htxp, hxxxp, h**p, h__p, fxp: a defanged scheme, when a colon follows.
            new Rule(List.of("xxp", "xtp", "txp", "**p", "__p", "fxp"),
                    Pattern.compile("(?i)(?<![a-z0-9])(?:h(?:xx|xxx|xt|tx|\\*\\*|__)p|(fxp))(s?)(?=\\[?:|\\(:\\))"),
                    match -> (match.group(1) != null ? "ftp" : "http") + match.group(2).toLowerCase(Locale.ROOT)),
            new Rule(List.of("[://]", ":\\/\\/"), Pattern.compile("\\[://\\]|:\\\\/\\\\/"), match -> "://"),
            new Rule(List.of("[:]", "(:)", "{:}"), Pattern.compile("\\[:\\]|\\(:\\)|\\{:\\}"), match -> ":"),
            new Rule(List.of("[/]"), Pattern.compile("\\[/\\]"), match -> "/"),
            // [.] (.) {.} [dot] (dot) {dot}, with spaces inside, or on both sides: evil [ . ] com.
            new Rule(openings(".", "dot"),
                    Pattern.compile("(?i)(?<=" + LABEL_CHAR + ")" + bracketed("\\.|dot") + "(?=[a-z0-9])"),
                    match -> "."),
            // [@] (@) {@} [at] (at) {at}: an at-sign, between a mailbox name and a domain.
            new Rule(openings("@", "at"),
                    Pattern.compile("(?i)(?<=[a-z0-9._%+-])" + bracketed("@|at") + "(?=[a-z0-9])"), match -> "@"),
            // evil\.com, as regular expressions in YARA and Sigma rules write it.
            new Rule(List.of("\\."), Pattern.compile("(?<=[A-Za-z0-9])\\\\\\.(?=[A-Za-z0-9])"), match -> "."),
            // The ideographic and full-width full stops, which IDNA maps to a dot: evil\u3002com.
            new Rule(characters(FULL_STOPS),
                    Pattern.compile("(?<=[A-Za-z0-9])[" + FULL_STOPS + "](?=[A-Za-z0-9])"), match -> "."));

    /** Each character as a needle of its own. */
    private static List<String> characters(String characters) {
        return characters.chars().mapToObj(Character::toString).toList();
    }

    /** The ways a bracketed symbol can open: "[.", "( .", "{dot" and so on. */
    private static List<String> openings(String... symbols) {
        List<String> openings = new ArrayList<>();
        for (char open : "[({".toCharArray()) {
            for (String symbol : symbols) {
                openings.add(open + symbol);
                openings.add(open + " " + symbol);
            }
        }
        return List.copyOf(openings);
    }

    /**
     * The symbol in brackets, parentheses or braces, with optional spaces inside. Spaces outside must be on both
     * sides ({@code evil [.] com}): one on a side only is the end of a sentence ({@code evil[.]com[.] Today}).
     */
    private static String bracketed(String symbol) {
        String inner = "[\\[({] ?(?:" + symbol + ") ?[\\])}]";
        return "(?: " + inner + " |" + inner + ")";
    }

    /**
     * A name spelled out with " dot " ({@code mail dot evil dot com}). Prose says "the dot com era" too, so this
     * counts only with three labels or more, or with an upper-case DOT, and only when the name ends in a known
     * top-level domain.
     */
    private static final Pattern SPELLED_DOTS = Pattern.compile(
            "(?i)(?<![a-z0-9_.-])[a-z0-9-]+(?: dot [a-z0-9-]+){1,126}(?![a-z0-9_-])");
    private static final Pattern SPELLED_DOT = Pattern.compile("(?i) dot ");

    private final String original;
    private final String text;
    private final int[] originalStarts;
    private final int[] originalEnds;

    private RefangedText(String original, String text, int[] originalStarts, int[] originalEnds) {
        this.original = original;
        this.text = text;
        this.originalStarts = originalStarts;
        this.originalEnds = originalEnds;
    }

    static RefangedText of(String original) {
        List<Rewrite> rewrites = new ArrayList<>();
        String folded = original.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.needles().stream().noneMatch(folded::contains)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(original);
            while (matcher.find()) {
                rewrites.add(new Rewrite(matcher.start(), matcher.end(), rule.replacement().apply(matcher)));
            }
        }
        if (folded.contains(" dot ")) {
            spelledDots(original, rewrites);
        }
        rewrites.sort(Comparator.comparingInt(Rewrite::start).thenComparing(Rewrite::end, Comparator.reverseOrder()));

        StringBuilder text = new StringBuilder(original.length());
        int[] starts = new int[original.length() + 1];
        int[] ends = new int[original.length() + 1];
        int position = 0;
        for (Rewrite rewrite : rewrites) {
            if (rewrite.start() < position) {
                continue; // overlaps an earlier rewrite, which wins
            }
            for (; position < rewrite.start(); position++) {
                starts[text.length()] = position;
                ends[text.length()] = position + 1;
                text.append(original.charAt(position));
            }
            for (int i = 0; i < rewrite.replacement().length(); i++) {
                starts[text.length()] = rewrite.start();
                ends[text.length()] = rewrite.end();
                text.append(rewrite.replacement().charAt(i));
            }
            position = rewrite.end();
        }
        for (; position < original.length(); position++) {
            starts[text.length()] = position;
            ends[text.length()] = position + 1;
            text.append(original.charAt(position));
        }
        int length = text.length();
        return new RefangedText(original, text.toString(), Arrays.copyOf(starts, length), Arrays.copyOf(ends, length));
    }

    private static void spelledDots(String original, List<Rewrite> rewrites) {
        Matcher name = SPELLED_DOTS.matcher(original);
        while (name.find()) {
            String[] labels = SPELLED_DOT.split(name.group());
            boolean shouted = name.group().contains(" DOT ");
            String topLevel = labels[labels.length - 1].toLowerCase(Locale.ROOT);
            if ((labels.length < 3 && !shouted) || !DomainNames.isTopLevel(topLevel)) {
                continue;
            }
            Matcher dot = SPELLED_DOT.matcher(name.group());
            while (dot.find()) {
                rewrites.add(new Rewrite(name.start() + dot.start(), name.start() + dot.end(), "."));
            }
        }
    }

    /** The refanged text, in which indicators are searched for. */
    String text() {
        return text;
    }

    /** The original offset of the refanged span's first character. */
    int originalStart(int start) {
        return start < originalStarts.length ? originalStarts[start] : original.length();
    }

    /** The original offset just past the refanged span, which ends before {@code end}. */
    int originalEnd(int end) {
        return end > 0 ? originalEnds[end - 1] : 0;
    }

    /** The original text of a span of the refanged text, exactly as written. */
    String original(int start, int end) {
        return original.substring(originalStart(start), originalEnd(end));
    }

    /** Whether the span was written differently: defanged, or with invisible characters inside. */
    boolean isRewritten(int start, int end) {
        return !original(start, end).equals(text.substring(start, end));
    }
}
