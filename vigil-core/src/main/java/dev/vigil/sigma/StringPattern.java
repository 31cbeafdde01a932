package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Sigma string value compiled for matching: literal runs, {@code *} (any run), {@code ?} (one character) and, with
 * {@code windash}, a dash class ({@code - / – — ―}). Escapes follow the specification: {@code \*} and {@code \?}
 * are literal wildcards, {@code \\} before a wildcard is a literal backslash, any other backslash is itself.
 *
 * <p>Case-insensitive patterns hold lower-cased literals and are matched against lower-cased text, so matching does
 * no case folding of its own. The common shapes (equals, prefix, suffix, contains) match without the general
 * algorithm.
 */
final class StringPattern {

    /** The characters {@code windash} makes interchangeable. */
    static final String DASHES = "-/\u2013\u2014\u2015";

    sealed interface Token {}

    record Lit(String text) implements Token {}

    record AnyRun() implements Token {}

    record AnyChar() implements Token {}

    record Dash() implements Token {}

    private enum Shape { EQUALS, PREFIX, SUFFIX, CONTAINS, GENERAL }

    private final List<Token> tokens;
    private final Shape shape;
    private final String literal;
    /** Fixed-width runs between AnyRun tokens, for the general case. */
    private final List<List<Token>> segments;
    private final boolean anchoredStart;
    private final boolean anchoredEnd;

    private StringPattern(List<Token> tokens) {
        this.tokens = merge(tokens);
        this.anchoredStart = this.tokens.isEmpty() || !(this.tokens.getFirst() instanceof AnyRun);
        this.anchoredEnd = this.tokens.isEmpty() || !(this.tokens.getLast() instanceof AnyRun);
        List<Token> core = this.tokens.stream().filter(t -> !(t instanceof AnyRun)).toList();
        boolean onlyLiteral = core.size() <= 1 && core.stream().allMatch(t -> t instanceof Lit);
        int runs = (int) this.tokens.stream().filter(t -> t instanceof AnyRun).count();
        String lit = core.isEmpty() ? "" : core.getFirst() instanceof Lit l ? l.text() : null;
        if (onlyLiteral && runs == 0) {
            shape = Shape.EQUALS;
        } else if (onlyLiteral && runs == 1 && !anchoredEnd) {
            shape = Shape.PREFIX;
        } else if (onlyLiteral && runs == 1 && !anchoredStart) {
            shape = Shape.SUFFIX;
        } else if (onlyLiteral && runs == 2 && !anchoredStart && !anchoredEnd) {
            shape = Shape.CONTAINS;
        } else {
            shape = Shape.GENERAL;
        }
        this.literal = lit;
        this.segments = new ArrayList<>();
        List<Token> segment = new ArrayList<>();
        for (Token t : this.tokens) {
            if (t instanceof AnyRun) {
                segments.add(segment);
                segment = new ArrayList<>();
            } else {
                segment.add(t);
            }
        }
        segments.add(segment);
    }

    /**
     * @param text the value as written in the rule
     * @param wildcards whether {@code *}, {@code ?} and escapes have meaning (not after an encoding modifier)
     * @param windash whether dashes at the start of a word match any of {@link #DASHES}
     * @param cased whether to match case-sensitively
     */
    static StringPattern compile(String text, boolean wildcards, boolean windash, boolean cased) {
        List<Token> tokens = wildcards ? parse(text) : List.of(new Lit(text));
        if (!cased) {
            tokens = tokens.stream().map(t -> t instanceof Lit l ? new Lit(l.text().toLowerCase(Locale.ROOT)) : t)
                    .toList();
        }
        if (windash) {
            tokens = windash(tokens);
        }
        return new StringPattern(tokens);
    }

    /** The same pattern wrapped for {@code contains}, {@code startswith} or {@code endswith}. */
    StringPattern wrap(boolean leadingRun, boolean trailingRun) {
        List<Token> wrapped = new ArrayList<>();
        if (leadingRun) {
            wrapped.add(new AnyRun());
        }
        wrapped.addAll(tokens);
        if (trailingRun) {
            wrapped.add(new AnyRun());
        }
        return new StringPattern(wrapped);
    }

    static List<Token> parse(String text) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                // count the run of backslashes and look at what follows it
                int j = i;
                while (j < text.length() && text.charAt(j) == '\\') {
                    j++;
                }
                int run = j - i;
                boolean beforeWildcard = j < text.length() && (text.charAt(j) == '*' || text.charAt(j) == '?');
                if (beforeWildcard) {
                    // pairs are literal backslashes; an odd one escapes the wildcard
                    lit.append("\\".repeat(run / 2));
                    if (run % 2 == 1) {
                        lit.append(text.charAt(j));
                        i = j + 1;
                    } else {
                        i = j;
                    }
                } else {
                    // not before a wildcard: \\ and \ are both one backslash, \\\\ is two (spec: "three or four")
                    lit.append("\\".repeat(Math.max(1, (run + 1) / 2)));
                    i = j;
                }
            } else if (c == '*' || c == '?') {
                if (!lit.isEmpty()) {
                    tokens.add(new Lit(lit.toString()));
                    lit.setLength(0);
                }
                tokens.add(c == '*' ? new AnyRun() : new AnyChar());
                i++;
            } else {
                lit.append(c);
                i++;
            }
        }
        if (!lit.isEmpty() || tokens.isEmpty()) {
            tokens.add(new Lit(lit.toString()));
        }
        return tokens;
    }

    /** Replaces '-' and '/' at the start of a word (after a non-word character, before a word character). */
    private static List<Token> windash(List<Token> tokens) {
        List<Token> out = new ArrayList<>();
        for (int k = 0; k < tokens.size(); k++) {
            if (!(tokens.get(k) instanceof Lit l)) {
                out.add(tokens.get(k));
                continue;
            }
            String s = l.text();
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean dash = c == '-' || c == '/';
                // as pySigma's \B[-/]\b within each literal part: wildcards are not word characters
                boolean prevWord = i > 0 && isWord(s.charAt(i - 1));
                boolean nextWord = i + 1 < s.length() && isWord(s.charAt(i + 1));
                if (dash && !prevWord && nextWord) {
                    if (!run.isEmpty()) {
                        out.add(new Lit(run.toString()));
                        run.setLength(0);
                    }
                    out.add(new Dash());
                } else {
                    run.append(c);
                }
            }
            if (!run.isEmpty()) {
                out.add(new Lit(run.toString()));
            }
        }
        return out;
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static List<Token> merge(List<Token> tokens) {
        List<Token> out = new ArrayList<>();
        for (Token t : tokens) {
            Token last = out.isEmpty() ? null : out.getLast();
            if (t instanceof Lit l && last instanceof Lit p) {
                out.set(out.size() - 1, new Lit(p.text() + l.text()));
            } else if (t instanceof AnyRun && last instanceof AnyRun) {
                continue;
            } else if (!(t instanceof Lit l && l.text().isEmpty())) {
                out.add(t);
            }
        }
        return out;
    }

    /** @param text the field's text, lower-cased when the pattern is case-insensitive */
    boolean matches(String text) {
        return switch (shape) {
            case EQUALS -> text.equals(literal);
            case PREFIX -> text.startsWith(literal);
            case SUFFIX -> text.endsWith(literal);
            case CONTAINS -> text.contains(literal);
            case GENERAL -> general(text);
        };
    }

    private boolean general(String text) {
        int last = segments.size() - 1;
        if (last == 0) {
            return width(segments.getFirst()) == text.length() && matchAt(segments.getFirst(), text, 0);
        }
        List<Token> first = segments.getFirst();
        List<Token> end = segments.get(last);
        int pos = width(first);
        int endStart = text.length() - width(end);
        if (pos > endStart || !matchAt(first, text, 0) || !matchAt(end, text, endStart)) {
            return false;
        }
        for (int s = 1; s < last; s++) {
            List<Token> segment = segments.get(s);
            int w = width(segment);
            int found = -1;
            for (int i = pos; i + w <= endStart; i++) {
                if (matchAt(segment, text, i)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            pos = found + w;
        }
        return true;
    }

    private static int width(List<Token> segment) {
        int w = 0;
        for (Token t : segment) {
            w += t instanceof Lit l ? l.text().length() : 1;
        }
        return w;
    }

    private static boolean matchAt(List<Token> segment, String text, int at) {
        int i = at;
        for (Token t : segment) {
            switch (t) {
                case Lit l -> {
                    if (!text.startsWith(l.text(), i)) {
                        return false;
                    }
                    i += l.text().length();
                }
                case AnyChar ignored -> {
                    if (i >= text.length()) {
                        return false;
                    }
                    i++;
                }
                case Dash ignored -> {
                    if (i >= text.length() || DASHES.indexOf(text.charAt(i)) < 0) {
                        return false;
                    }
                    i++;
                }
                case AnyRun ignored -> throw new IllegalStateException("segments hold no runs");
            }
        }
        return true;
    }

    /** The longest literal run, which any matching text must contain; empty when there is none. */
    String requiredLiteral() {
        String best = "";
        for (Token t : tokens) {
            if (t instanceof Lit l && l.text().length() > best.length()) {
                best = l.text();
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return tokens.toString();
    }
}
