package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Input built to hurt: too long, too deep, not valid, a decompression bomb, and text that backtracking would choke on. */
class HostileInputTest {
    private static final int LIMIT = ScriptAnalyzer.Limits.defaults().maxInputChars();
    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    @Test
    void aScriptOverTheInputLimitIsRefusedNamingTheLimit() {
        String script = "a".repeat(LIMIT + 1);

        assertThatThrownBy(() -> analyzer.analyze(script))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.fix()).contains("maxInputChars");
                })
                .hasMessage("the script is 1048577 characters long, over the script analyzer's limit of 1048576 "
                        + "characters (1 MiB)");
    }

    @Test
    void theDefaultLimitsAreDocumented() {
        assertThat(ScriptAnalyzer.Limits.defaults())
                .isEqualTo(new ScriptAnalyzer.Limits(1 << 20, 10, 4 << 20, 1 << 20, 5_000));
    }

    @Test
    void nestingDeeperThanTheDepthLimitStopsThereAndSaysSo() {
        String script = "Write-Output 'bottom'";
        for (int level = 0; level < 5; level++) {
            script = "powershell -enc " + Obfuscate.encodedCommand(script);
        }

        ScriptAnalysis analysis = new ScriptAnalyzer(ScriptAnalyzer.Limits.defaults().withMaxDepth(3)).analyze(script);

        assertThat(analysis.layers()).hasSize(3).allMatch(layer -> layer.obfuscation() == Obfuscation.ENCODED_COMMAND);
        assertThat(analysis.decoded()).contains("powershell -enc ").doesNotContain("bottom");
        assertThat(analysis.notes()).containsExactly("stopped at the depth limit of 3 rounds: "
                + Obfuscation.ENCODED_COMMAND.description() + " remains, and may hide more");
        assertThat(analysis.verdict().risk()).isNotEqualTo(Verdict.Risk.BENIGN_LOOKING);
    }

    @Test
    void tenLevelsOfEncodingAreWithinTheDefaultDepth() {
        String script = "whoami";
        for (int level = 0; level < 10; level++) {
            script = "powershell -e " + Obfuscate.encodedCommand(script);
        }

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.decoded()).endsWith("\nwhoami");
        assertThat(analysis.notes()).isEmpty();
    }

    @Test
    void anEncodedCommandThatIsNotBase64IsLeftAsItIsWithANote() {
        String script = "powershell -nop -enc SQBFAFgAK";

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.layers()).isEmpty();
        assertThat(analysis.notes()).singleElement().asString()
                .startsWith("the -EncodedCommand argument SQBFAFgAK is not valid base64 (")
                .endsWith("); left as is");
        assertThat(analysis.steps()).singleElement().extracting(Step::behaviours).asList()
                .contains("encoded-command-left");
    }

    @Test
    void base64TextThatIsNotValidIsLeftAsItIsWithANote() {
        String script = "$x = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('SGVsbG8=-broken'))";

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.notes()).singleElement().asString().contains("is not valid base64");
    }

    @Test
    void aDecompressionBombIsCutAtTheDecompressionLimit() {
        String bomb = Obfuscate.gzipBase64("A".repeat(64 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(bomb.length()).isLessThan(LIMIT);
        String script = "$payload = (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream("
                + "(New-Object IO.MemoryStream(,[Convert]::FromBase64String('" + bomb + "'))),"
                + "[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";

        ScriptAnalysis analysis = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> analyzer.analyze(script));

        assertThat(analysis.decoded()).hasSize("$payload = ''".length() + (1 << 20));
        assertThat(analysis.notes()).containsExactly("a compressed payload decompresses to more than 1048576 bytes "
                + "(the decompression limit); only its first 1048576 bytes were kept");
    }

    @Test
    void aPayloadThatIsNotCompressedIsLeftAsItIsWithANote() {
        String script = "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object "
                + "IO.MemoryStream(,[Convert]::FromBase64String('" + Obfuscate.base64("not gzip at all",
                        java.nio.charset.StandardCharsets.UTF_8)
                + "'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.notes()).singleElement().asString().contains("is not valid gzip data");
    }

    @Test
    void aFormatStringThatWouldOutgrowTheTextLimitStops() {
        String format = "{0}".repeat(300_000);
        String script = "$x = '" + format + "' -f '" + "y".repeat(100) + "'";

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.notes()).singleElement().asString()
                .startsWith("stopped before undoing " + Obfuscation.FORMAT_STRING.description())
                .endsWith("over the limit of 4194304");
    }

    static Stream<Arguments> adversarialScripts() {
        int size = LIMIT - 64;
        return Stream.of(
                Arguments.of("quotes", (Supplier<String>) () -> "'".repeat(size)),
                Arguments.of("double quotes and backticks", (Supplier<String>) () -> "\"`".repeat(size / 2)),
                Arguments.of("an unterminated string", (Supplier<String>) () -> "\"" + "a`".repeat(size / 2 - 1)),
                Arguments.of("a long concatenation", (Supplier<String>) () -> "'a'+".repeat(size / 4) + "'a'"),
                Arguments.of("deep parentheses", (Supplier<String>) () -> "(".repeat(size / 2 - 2) + "'a'" + ")".repeat(size / 2 - 2)),
                Arguments.of("unbalanced parentheses", (Supplier<String>) () -> "('a'".repeat(size / 4)),
                Arguments.of("character codes", (Supplier<String>) () -> "[char]65+".repeat(size / 9)),
                Arguments.of("character arrays without a join", (Supplier<String>) () -> "[char[]](" + "65,".repeat(size / 3 - 4) + "65"),
                Arguments.of("encoded command flags", (Supplier<String>) () -> "powershell " + "-enc AAAAAAAA ".repeat(size / 16)),
                Arguments.of("one huge encoded command", (Supplier<String>) () -> "powershell -enc " + "A".repeat(size - 20)),
                Arguments.of("format items", (Supplier<String>) () -> "'{0}' -f ".repeat(size / 9) + "'a'"),
                Arguments.of("carets", (Supplier<String>) () -> "a^".repeat(size / 2)),
                Arguments.of("cmd variables", (Supplier<String>) () -> "set a=b&&" + "%a%%a:~1,2%".repeat(size / 12)),
                Arguments.of("variables", (Supplier<String>) () -> "$a='x';$a;".repeat(size / 10)),
                Arguments.of("many distinct variables", (Supplier<String>) () -> {
                    StringBuilder script = new StringBuilder();
                    for (int i = 0; script.length() < size - 40; i++) {
                        script.append("$v").append(i).append("='x';$v").append(i).append(";");
                    }
                    return script.toString();
                }),
                Arguments.of("invoke wrappers", (Supplier<String>) () -> "iex(".repeat(size / 4)),
                Arguments.of("compressed streams", (Supplier<String>) () -> "New-Object IO.Compression.GzipStream(".repeat(size / 40)),
                Arguments.of("registry and paths", (Supplier<String>) () -> "HKLM\\a\\C:\\b\\\\\\c".repeat(size / 16)),
                Arguments.of("statements", (Supplier<String>) () -> "whoami;".repeat(size / 7)),
                Arguments.of("random PowerShell punctuation", (Supplier<String>) () -> random(size, "'\"`()[]{}+-,;|&%^$.:=\\/ \nabcfjoinsplitreplace0123456789")));
    }

    private static String random(int size, String alphabet) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /**
     * Not a benchmark: a bound generous enough for a slow shared machine, which catastrophic backtracking or a
     * quadratic pass would still blow by orders of magnitude.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adversarialScripts")
    void aMebibyteOfAdversarialTextIsAnalyzedInReasonableTime(String name, Supplier<String> script) {
        String text = script.get();
        assertThat(text.length()).isLessThanOrEqualTo(LIMIT);

        ScriptAnalysis analysis = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> analyzer.analyze(text));

        assertThat(analysis.decoded().length()).isLessThanOrEqualTo(ScriptAnalyzer.Limits.defaults().maxDecodedChars());
    }
}
