package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One token of a normalized prompt. Tokens never overlap and come in the order of the text; white space and lone
 * punctuation between them belong to no token.
 *
 * @param text the token as it stands in the normalized prompt, quotes and backticks included
 * @param start offset of {@code text} in the normalized prompt
 * @param end offset just past {@code text}
 * @param kind what shape it has
 */
public record Token(String text, int start, int end, Kind kind) {
    /** The shapes the tokenizer keeps whole. */
    public enum Kind {
        /** Letters and digits, possibly joined by inner hyphens, underscores or apostrophes: {@code WS-0001}. */
        WORD,
        /** Decimal digits only. */
        NUMBER,
        /**
         * A run with inner dots, colons, at-signs, backslashes or brackets: an address, a domain, a URL, an e-mail
         * address, a file name ({@code lsass.exe}), an ATT&amp;CK id ({@code T1003.001}), {@code CORP\jdoe}, a clock
         * time.
         */
        COMPOUND,
        /** A Windows path ({@code C:\Windows\System32\lsass.exe}, {@code \\server\share}) or a Unix path. */
        PATH,
        /** A registry key or value path: {@code HKLM\Software\Microsoft\Windows\CurrentVersion\Run}. */
        REGISTRY_KEY,
        /** A string in double or single quotes, or a command in backticks, quotes included. */
        QUOTED,
        /** A fenced code block, fences included. */
        CODE,
        /** A number after a hash sign: {@code #12}. */
        REFERENCE
    }

    public Token {
        requireNonNull(text, "text is null");
        requireNonNull(kind, "kind is null");
        if (start < 0 || end - start != text.length()) {
            throw new IllegalArgumentException("'" + text + "' cannot span " + start + ".." + end);
        }
    }

    /** The text in lower case, for matching. */
    public String lowerCase() {
        return text.toLowerCase(Locale.ROOT);
    }

    /** The text without its quotes, backticks or fences; the text itself for other kinds. */
    public String content() {
        return switch (kind) {
            case QUOTED -> text.substring(1, text.length() - 1);
            case CODE -> Tokenizer.fencedContent(text);
            case WORD, NUMBER, COMPOUND, PATH, REGISTRY_KEY, REFERENCE -> text;
        };
    }
}
