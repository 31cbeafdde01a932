package dev.vigil.copilot.understand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Normalization and tokenization, as tables: a prompt and what it normalizes to; a prompt and its tokens, written
 * {@code KIND text}.
 */
class PromptTest {
    static Stream<Arguments> normalizations() {
        return Stream.of(
                Arguments.of("white space collapses", "  procs \t on   ws5  ", "procs on ws5"),
                Arguments.of("a line break survives once", "look at this:\r\n\r\n  powershell -enc AAA",
                        "look at this:\npowershell -enc AAA"),
                Arguments.of("smart quotes", "\u201Cmimikatz\u201D and \u2018lsass\u2019", "\"mimikatz\" and 'lsass'"),
                Arguments.of("en and em dashes", "powershell \u2013enc \u2014 done", "powershell -enc - done"),
                Arguments.of("full-width letters (NFKC)", "\uFF37\uFF33\uFF15", "WS5"),
                Arguments.of("ligature and ellipsis (NFKC)", "\uFB01les\u2026", "files..."),
                Arguments.of("no-break space", "top\u00A05", "top 5"),
                Arguments.of("zero-width space and soft hyphen", "ws\u200B5 power\u00ADshell", "ws5 powershell"),
                Arguments.of("composed accents", "re\u0301sume\u0301", "r\u00E9sum\u00E9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizations")
    void normalizes(String description, String original, String normalized) {
        Prompt prompt = Prompt.of(original);

        assertThat(prompt.text()).isEqualTo(normalized);
        assertThat(prompt.lowerCase()).hasSameSizeAs(prompt.text());
        assertThat(prompt.original()).isEqualTo(original);
    }

    @Test
    void mapsNormalizedSpansBackToTheOriginal() {
        Prompt prompt = Prompt.of("run  \u201C\uFF37\uFF33\uFF15\u201D  now");

        assertThat(prompt.text()).isEqualTo("run \"WS5\" now");
        assertThat(prompt.originalText(5, 8)).isEqualTo("\uFF37\uFF33\uFF15");
        assertThat(prompt.originalText(4, 9)).isEqualTo("\u201C\uFF37\uFF33\uFF15\u201D");
    }

    static Stream<Arguments> tokenizations() {
        return Stream.of(
                Arguments.of("plain words split on punctuation", "procs on ws5, touching lsass?",
                        List.of("WORD procs", "WORD on", "WORD ws5", "WORD touching", "WORD lsass")),
                Arguments.of("hyphenated and underscored names stay whole", "WS-0001 svc_backup don't",
                        List.of("WORD WS-0001", "WORD svc_backup", "WORD don't")),
                Arguments.of("numbers", "top 5 of 120", List.of("WORD top", "NUMBER 5", "WORD of", "NUMBER 120")),
                Arguments.of("Windows path", "who opened C:\\Windows\\System32\\lsass.exe?",
                        List.of("WORD who", "WORD opened", "PATH C:\\Windows\\System32\\lsass.exe")),
                Arguments.of("UNC path and environment path", "\\\\fs01\\share\\x.ps1 %APPDATA%\\evil.dll",
                        List.of("PATH \\\\fs01\\share\\x.ps1", "PATH %APPDATA%\\evil.dll")),
                Arguments.of("Unix path", "cat /etc/passwd and ~/.ssh/id_rsa",
                        List.of("WORD cat", "PATH /etc/passwd", "WORD and", "PATH ~/.ssh/id_rsa")),
                Arguments.of("registry key", "persistence under HKLM\\...\\Run",
                        List.of("WORD persistence", "WORD under", "REGISTRY_KEY HKLM\\...\\Run")),
                Arguments.of("full registry key", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.",
                        List.of("REGISTRY_KEY HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run")),
                Arguments.of("command in backticks", "is `powershell -nop -enc SQBFAFgA` bad",
                        List.of("WORD is", "QUOTED `powershell -nop -enc SQBFAFgA`", "WORD bad")),
                Arguments.of("quoted string", "rule \"Suspicious LSASS Access\" fired",
                        List.of("WORD rule", "QUOTED \"Suspicious LSASS Access\"", "WORD fired")),
                Arguments.of("an apostrophe is no quote, and a possessive is not part of the name", "what's jdoe's host",
                        List.of("WORD what", "WORD jdoe", "WORD host")),
                Arguments.of("fenced code block", "check this ```ps\nIEX $x\n``` please",
                        List.of("WORD check", "WORD this", "CODE ```ps\nIEX $x\n```", "WORD please")),
                Arguments.of("incident reference", "summarize #12.", List.of("WORD summarize", "REFERENCE #12")),
                Arguments.of("technique id, CVE, IP and CIDR", "T1003.001 CVE-2021-44228 10.0.0.5 10.0.0.0/8",
                        List.of("COMPOUND T1003.001", "WORD CVE-2021-44228", "COMPOUND 10.0.0.5",
                                "COMPOUND 10.0.0.0/8")),
                Arguments.of("URL, defanged URL and e-mail", "(hxxp://evil[.]com/a) https://x.io/b jdoe@corp.com.",
                        List.of("COMPOUND hxxp://evil[.]com/a", "COMPOUND https://x.io/b", "COMPOUND jdoe@corp.com")),
                Arguments.of("defanged address", "1.2.3[.]4 and evil(.)com",
                        List.of("COMPOUND 1.2.3[.]4", "WORD and", "COMPOUND evil(.)com")),
                Arguments.of("domain user, file name, clock time", "CORP\\jdoe ran lsass.exe at 14:00",
                        List.of("COMPOUND CORP\\jdoe", "WORD ran", "COMPOUND lsass.exe", "WORD at", "COMPOUND 14:00")),
                Arguments.of("IPv6", "fe80::1 and 2001:db8::7",
                        List.of("COMPOUND fe80::1", "WORD and", "COMPOUND 2001:db8::7")),
                Arguments.of("a slash between words splits them", "logons and/or logoffs",
                        List.of("WORD logons", "WORD and", "WORD or", "WORD logoffs")),
                Arguments.of("a colon after a word is punctuation", "note:lsass",
                        List.of("WORD note", "WORD lsass")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizations")
    void tokenizes(String description, String text, List<String> expected) {
        Prompt prompt = Prompt.of(text);

        assertThat(prompt.tokens()).extracting(token -> token.kind() + " " + token.text())
                .containsExactlyElementsOf(expected);
        assertThat(prompt.tokens()).allSatisfy(token ->
                assertThat(prompt.text().substring(token.start(), token.end())).isEqualTo(token.text()));
    }

    @Test
    void tokenContentDropsQuotesAndFences() {
        List<Token> tokens = Prompt.of("`cmd /c whoami` \"Exchange Server\" ```powershell\nGet-Process\n```").tokens();

        assertThat(tokens).extracting(Token::content)
                .containsExactly("cmd /c whoami", "Exchange Server", "Get-Process");
    }
}
