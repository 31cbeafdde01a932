package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real attack command lines and script blocks from Windows event logs (sbousseaden/EVTX-ATTACK-SAMPLES, as JSON in
 * the shared data folder), read at test time and never copied into the repository: what the analyzer decodes from
 * them reads as PowerShell, and maps to the techniques the samples demonstrate.
 */
class EvtxAttackSamplesConformanceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STRING_ELEMENT = Pattern.compile("<string>([\\s\\S]*?)</string>");
    private static Path samples;
    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    @BeforeAll
    static void findSamples() {
        samples = SharedData.require("evtx-attack-samples-json", "https://github.com/sbousseaden/EVTX-ATTACK-SAMPLES");
    }

    /** The values of the named EventData fields in one sample file, each distinct value once. */
    private static List<String> fields(String file, String... names) {
        Set<String> values = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(samples.resolve(file))) {
            lines.filter(line -> !line.isBlank()).map(JSON::readTree).forEach(event -> {
                JsonNode data = event.path("Event").path("EventData");
                for (String name : names) {
                    if (data.path(name).isString()) {
                        values.add(data.path(name).asString());
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(values);
    }

    @Test
    void anEncodedCommandFromASysmonProcessEventDecodesToItsScript() {
        String commandLine = fields("Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.jsonl",
                "CommandLine").stream().filter(line -> line.contains(" -enc ")).findFirst().orElseThrow();

        ScriptAnalysis analysis = analyzer.analyze(commandLine);

        assertThat(analysis.language()).isEqualTo(ScriptLanguage.POWERSHELL);
        assertThat(analysis.layers()).first().extracting(Layer::obfuscation).isEqualTo(Obfuscation.ENCODED_COMMAND);
        assertThat(analysis.decoded()).contains("$ProgressPreference = \"SilentlyContinue\"",
                "[System.IO.File]::ReadAllBytes(", "-bxor", "|iex");
        assertThat(analysis.notes()).isEmpty();
        assertThat(analysis.techniqueIds()).contains("T1059.001", "T1027", "T1140");
        assertThat(analysis.steps()).extracting(Step::behaviours).anySatisfy(ids -> assertThat(ids).contains("invoke-expression"));
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.MALICIOUS);
    }

    @Test
    void aGzipScriptBlockFromPowerShellLoggingDecodesToAFakeCredentialPrompt() {
        String scriptBlock = fields("Credential Access/phish_windows_credentials_powershell_scriptblockLog_4104.jsonl",
                "ScriptBlockText").stream().filter(text -> text.contains("FromBase64String")).findFirst().orElseThrow();

        ScriptAnalysis analysis = analyzer.analyze(scriptBlock);

        assertThat(analysis.layers()).extracting(Layer::obfuscation)
                .containsExactly(Obfuscation.COMPRESSION, Obfuscation.INVOKE_WRAPPER);
        assertThat(analysis.decoded()).startsWith("function Invoke-LoginPrompt{")
                .contains("$Host.ui.PromptForCredential(\"Windows Security\"");
        assertThat(analysis.techniqueIds()).contains("T1059.001", "T1056.002", "T1027", "T1140");
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.MALICIOUS);
    }

    @Test
    void emotetsConcatenatedDropperRevealsItsDownloadSites() {
        String logged = fields("Other/emotet/exec_emotet_ps_800_invoke-item.jsonl", "Data").getFirst();
        Matcher first = STRING_ELEMENT.matcher(logged);
        assertThat(first.find()).isTrue();

        ScriptAnalysis analysis = analyzer.analyze(first.group(1));

        assertThat(analysis.decoded()).containsIgnoringCase("new-item $eNV:teMP\\WOrd\\2019\\")
                .containsIgnoringCase("new-object neT.WEbcLiENt")
                .contains("[Net.ServicePointManager]::SecURiTypROToCOL = 'tls12, tls11, tls'")
                .contains("$env:temp+'\\word\\2019\\Dyxxur4gx.exe'")
                .containsIgnoringCase(".downloadfile(");
        assertThat(analysis.layers()).extracting(Layer::obfuscation).contains(Obfuscation.BACKTICK_ESCAPES,
                Obfuscation.CONCATENATION, Obfuscation.FORMAT_STRING, Obfuscation.SPLIT_JOIN,
                Obfuscation.INVOKE_WRAPPER);
        assertThat(analysis.indicatorValues(Indicator.Type.URL)).contains(
                "http://quanticaelectronics.com/wp-admin/7ATr78/", "https://rebelcom.ch/picture_library/bbCtlS/");
        assertThat(analysis.techniqueIds()).contains("T1105", "T1027", "T1027.010", "T1059.001");
        assertThat(analysis.steps()).extracting(Step::behaviours)
                .anySatisfy(ids -> assertThat(ids).contains("webclient-download-file"));
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.MALICIOUS);
    }

    @Test
    void atomicRedTeamCommandLinesMapToTheTechniquesTheyTest() {
        List<String> commandLines = fields("AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.jsonl", "CommandLine");

        assertThat(techniquesOf(commandLines, "vssadmin.exe delete shadows")).contains("T1490");
        assertThat(techniquesOf(commandLines, "recoveryenabled no")).contains("T1490");
        assertThat(techniquesOf(commandLines, "reg save HKLM\\sam")).contains("T1003.002");
        assertThat(techniquesOf(commandLines, "procdump.exe -accepteula -ma lsass.exe")).contains("T1003.001");
        assertThat(techniquesOf(commandLines, "SCHTASKS /Create /SC ONCE")).contains("T1053.005");
        assertThat(techniquesOf(commandLines, "sc.exe create AtomicTestService")).contains("T1543.003");
        assertThat(techniquesOf(commandLines, "bitsadmin.exe  /transfer")).contains("T1105", "T1197");
        assertThat(techniquesOf(commandLines, "fltmc.exe unload SysmonDrv")).contains("T1562.001");
    }

    private List<String> techniquesOf(List<String> commandLines, String marker) {
        String commandLine = commandLines.stream().filter(line -> line.contains(marker)).findFirst().orElseThrow();
        return analyzer.analyze(commandLine).techniqueIds();
    }

    @Test
    void everyCommandLineAndScriptBlockInTheSamplesIsAnalyzedWithoutFailing() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(samples)) {
            files = walk.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList();
        }
        int analyzed = 0;
        for (Path file : files) {
            for (String text : fields(samples.relativize(file).toString(), "CommandLine", "ParentCommandLine",
                    "ScriptBlockText")) {
                ScriptAnalysis analysis = analyzer.analyze(text);
                if (text.chars().anyMatch(Character::isLetterOrDigit)) {
                    assertThat(analysis.steps()).as(text).isNotEmpty();
                }
                analyzed++;
            }
        }
        assertThat(analyzed).isGreaterThan(500);
    }
}
