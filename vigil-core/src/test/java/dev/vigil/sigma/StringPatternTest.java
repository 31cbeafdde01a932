package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringPatternTest {

    private static boolean matches(String pattern, String text) {
        return StringPattern.compile(pattern, true, false, false).matches(text.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void plain_values_match_whole_and_case_insensitively() {
        assertThat(matches("cmd.exe", "CMD.EXE")).isTrue();
        assertThat(matches("cmd.exe", "xcmd.exe")).isFalse();
    }

    @Test
    void star_and_question_mark_are_wildcards() {
        assertThat(matches("*\\cmd.exe", "C:\\Windows\\cmd.exe")).isTrue();
        assertThat(matches("prog?.exe", "progA.exe")).isTrue();
        assertThat(matches("prog?.exe", "prog.exe")).isFalse();
        assertThat(matches("a*b*c", "aXXbYYc")).isTrue();
        assertThat(matches("a*b*c", "aXXcYYb")).isFalse();
        assertThat(matches("*a*a*", "banana")).isTrue();
        assertThat(matches("ab*ba", "aba")).isFalse(); // the ends may not overlap
    }

    @Test
    void escapes_follow_the_specification() {
        assertThat(StringPattern.parse("\\*")).containsExactly(new StringPattern.Lit("*"));
        assertThat(StringPattern.parse("\\\\*")).containsExactly(new StringPattern.Lit("\\"), new StringPattern.AnyRun());
        assertThat(StringPattern.parse("\\\\\\*")).containsExactly(new StringPattern.Lit("\\*"));
        assertThat(StringPattern.parse("C:\\Windows")).containsExactly(new StringPattern.Lit("C:\\Windows"));
        assertThat(StringPattern.parse("C:\\\\Windows")).containsExactly(new StringPattern.Lit("C:\\Windows"));
        assertThat(StringPattern.parse("\\\\\\\\server")).containsExactly(new StringPattern.Lit("\\\\server"));
        assertThat(matches("what\\?", "what?")).isTrue();
        assertThat(matches("what\\?", "whatX")).isFalse();
    }

    @Test
    void windash_makes_dashes_at_word_starts_interchangeable() {
        StringPattern p = StringPattern.compile(" -enc ", true, true, false).wrap(true, true);
        assertThat(p.matches("powershell /enc abc")).isTrue();
        assertThat(p.matches("powershell \u2013enc abc")).isTrue();
        assertThat(p.matches("powershell -enc abc")).isTrue();
        assertThat(p.matches("powershell +enc abc")).isFalse();
        // a dash inside a word is not a flag
        StringPattern inner = StringPattern.compile("a-b", true, true, false);
        assertThat(inner.matches("a/b")).isFalse();
    }

    @Test
    void the_required_literal_is_the_longest_run() {
        assertThat(StringPattern.compile("*/Temp/*.ps1", true, false, false).requiredLiteral()).isEqualTo("/temp/");
        // a backslash before a star escapes it: the star is part of the literal
        assertThat(StringPattern.compile("*\\Temp\\*", true, false, false).requiredLiteral()).isEqualTo("\\temp*");
    }
}
