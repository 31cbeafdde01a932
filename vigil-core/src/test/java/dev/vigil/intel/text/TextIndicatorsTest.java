package dev.vigil.intel.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Indicator extraction from text, as a table: each row is a text and everything expected from it, written
 * {@code KIND value}, followed by {@code <- original} when the text wrote it differently. A row without expectations
 * is a look-alike that must not match.
 */
class TextIndicatorsTest {
    /** A small hand-made stand-in for {@code AttackKnowledge.techniqueNames()}, with its qualified names too. */
    private static final TechniqueNames NAMES = TechniqueNames.of(Map.ofEntries(
            Map.entry("os credential dumping", "T1003"),
            Map.entry("lsass memory", "T1003.001"),
            Map.entry("os credential dumping: lsass memory", "T1003.001"),
            Map.entry("phishing", "T1566"),
            Map.entry("spearphishing attachment", "T1566.001"),
            Map.entry("phishing: spearphishing attachment", "T1566.001"),
            Map.entry("masquerading", "T1036"),
            Map.entry("pass the hash", "T1550.002"),
            Map.entry("drive-by compromise", "T1189"),
            Map.entry("at", "T1053.002"),
            Map.entry("malware", "T1587.001"),
            Map.entry("powershell", "T1059.001")));

    static Stream<Arguments> indicators() {
        return Stream.of(
                // Defanged URLs and schemes
                row("hxxp and [.]", "hxxp://evil[.]com/gate.php",
                        "URL http://evil.com/gate.php <- hxxp://evil[.]com/gate.php", "DOMAIN evil.com <- evil[.]com"),
                row("hXXps, sentence end", "Payload: hXXps://login-portal[.]top/auth?id=7.",
                        "URL https://login-portal.top/auth?id=7 <- hXXps://login-portal[.]top/auth?id=7",
                        "DOMAIN login-portal.top <- login-portal[.]top"),
                row("hxxps[:]//", "hxxps[:]//cdn[.]update-check[.]xyz/a.js",
                        "URL https://cdn.update-check.xyz/a.js <- hxxps[:]//cdn[.]update-check[.]xyz/a.js",
                        "DOMAIN cdn.update-check.xyz <- cdn[.]update-check[.]xyz"),
                row("hxxp[://] with an IP and a port", "hxxp[://]198.51.100[.]23:8080/stage2",
                        "URL http://198.51.100.23:8080/stage2 <- hxxp[://]198.51.100[.]23:8080/stage2",
                        "IPV4 198.51.100.23 <- 198.51.100[.]23"),
                row("fxp", "fxp://files.example-cdn[.]net/drop.bin",
                        "URL ftp://files.example-cdn.net/drop.bin <- fxp://files.example-cdn[.]net/drop.bin",
                        "DOMAIN files.example-cdn.net <- files.example-cdn[.]net"),
                row("hxtp", "hxtp://evil.com/x", "URL http://evil.com/x <- hxtp://evil.com/x", "DOMAIN evil.com"),
                row("h**ps", "h**ps://evil.com/x",
                        "URL https://evil.com/x <- h**ps://evil.com/x", "DOMAIN evil.com"),
                row("JSON-escaped slashes", "\"url\": \"http:\\/\\/evil.com\"",
                        "URL http://evil.com <- http:\\/\\/evil.com", "DOMAIN evil.com"),
                row("upper-case scheme and host", "HTTPS://EVIL.COM/Login",
                        "URL https://evil.com/Login <- HTTPS://EVIL.COM/Login", "DOMAIN evil.com <- EVIL.COM"),

                // Defanged dots
                row("(.)", "evil(.)com", "DOMAIN evil.com <- evil(.)com"),
                row("{.}", "evil{.}com", "DOMAIN evil.com <- evil{.}com"),
                row("[dot]", "evil[dot]com", "DOMAIN evil.com <- evil[dot]com"),
                row("(DOT), upper-case", "EVIL(DOT)COM", "DOMAIN evil.com <- EVIL(DOT)COM"),
                row("[.] with spaces", "evil [ . ] com", "DOMAIN evil.com <- evil [ . ] com"),
                row("[.] before a sentence break is no dot", "Visit evil[.]com[.] Today",
                        "DOMAIN evil.com <- evil[.]com"),
                row("regex-escaped dot", "dns_query|re: 'evil\\.com'", "DOMAIN evil.com <- evil\\.com"),
                row("ideographic full stop", "evil\u3002com", "DOMAIN evil.com <- evil\u3002com"),
                row("full-width full stop", "evil\uFF0Ecom", "DOMAIN evil.com <- evil\uFF0Ecom"),
                row("zero-width space inside", "ex\u200Bample.com", "DOMAIN example.com <- ex\u200Bample.com"),
                row("soft hyphen inside", "ex\u00ADample.com", "DOMAIN example.com <- ex\u00ADample.com"),
                row("spelled dots, three labels", "mail dot evil dot com",
                        "DOMAIN mail.evil.com <- mail dot evil dot com"),
                row("spelled DOT, upper-case", "evil DOT com", "DOMAIN evil.com <- evil DOT com"),
                row("defanged and plain forms are one domain", "example[.]com, also written example.com",
                        "DOMAIN example.com <- example[.]com"),
                row("defanged IPv4", "1[.]2[.]3[.]4", "IPV4 1.2.3.4 <- 1[.]2[.]3[.]4"),
                row("defanged IPv6", "2001:db8[:]:7", "IPV6 2001:db8::7 <- 2001:db8[:]:7"),

                // E-mail addresses
                row("[at]", "john[at]evil[.]com",
                        "EMAIL john@evil.com <- john[at]evil[.]com", "DOMAIN evil.com <- evil[.]com"),
                row("(@)", "jane(@)bad(.)org", "EMAIL jane@bad.org <- jane(@)bad(.)org", "DOMAIN bad.org <- bad(.)org"),
                row("[at] and [dot] with spaces", "ops [at] example [dot] org",
                        "EMAIL ops@example.org <- ops [at] example [dot] org",
                        "DOMAIN example.org <- example [dot] org"),
                row("mixed case, country code", "Billing.Team+q3@Example.co.uk",
                        "EMAIL billing.team+q3@example.co.uk <- Billing.Team+q3@Example.co.uk",
                        "DOMAIN example.co.uk <- Example.co.uk"),
                row("mailbox at a file-extension TLD", "from: it@payroll.zip",
                        "EMAIL it@payroll.zip", "DOMAIN payroll.zip"),

                // IPv4 and CIDR
                row("address with a port", "beacon to 10.0.0.1:443", "IPV4 10.0.0.1"),
                row("sentence end", "It called 203.0.113.7.", "IPV4 203.0.113.7"),
                row("zero-padded parts are decimal", "src=192.168.001.010", "IPV4 192.168.1.10 <- 192.168.001.010"),
                row("a range", "10.0.0.1-10.0.0.9", "IPV4 10.0.0.1", "IPV4 10.0.0.9"),
                row("CIDR", "block 10.0.0.0/8 and 172.16.0.0/12,", "CIDR 10.0.0.0/8", "CIDR 172.16.0.0/12"),
                row("prefix out of range leaves the address", "1.2.3.4/33", "IPV4 1.2.3.4"),
                row("defanged version-looking address", "version 1[.]2[.]3[.]4", "IPV4 1.2.3.4 <- 1[.]2[.]3[.]4"),

                // IPv6
                row("compressed", "C2 at 2001:db8::1.", "IPV6 2001:db8::1"),
                row("full form is canonicalized", "2001:0DB8:0000:0000:0000:0000:0000:0001",
                        "IPV6 2001:db8::1 <- 2001:0DB8:0000:0000:0000:0000:0000:0001"),
                row("zone id", "fe80::1%eth0", "IPV6 fe80::1 <- fe80::1%eth0"),
                row("bracketed with a port", "[2001:db8::2]:443", "IPV6 2001:db8::2"),
                row("IPv4-mapped", "::ffff:192.0.2.1", "IPV6 ::ffff:192.0.2.1"),
                row("IPv6 CIDR", "2001:db8::/32", "CIDR 2001:db8::/32"),
                row("loopback", "bound to ::1", "IPV6 ::1"),

                // URLs: where they end
                row("in parentheses", "(see https://x.io/a)", "URL https://x.io/a", "DOMAIN x.io"),
                row("in angle brackets", "<https://x.io/a>", "URL https://x.io/a", "DOMAIN x.io"),
                row("in quotes", "\"https://x.io/a\"", "URL https://x.io/a", "DOMAIN x.io"),
                row("bold Markdown", "**https://x.io/a**", "URL https://x.io/a", "DOMAIN x.io"),
                row("Markdown link, balanced parentheses", "[the report](https://example.com/report_(final).pdf)",
                        "URL https://example.com/report_(final).pdf", "DOMAIN example.com"),
                row("Markdown link with a defanged target", "[evil[.]com](hxxp://evil[.]com/login)",
                        "DOMAIN evil.com <- evil[.]com", "URL http://evil.com/login <- hxxp://evil[.]com/login"),
                row("query and fragment, trailing comma", "https://evil.com/p?q=1&r=2#top, then",
                        "URL https://evil.com/p?q=1&r=2#top", "DOMAIN evil.com"),
                row("ends at the first non-ASCII character", "https://evil.com/a\u3002\u7136\u540E",
                        "URL https://evil.com/a", "DOMAIN evil.com"),
                row("user info is part of the URL, not an e-mail", "http://user:pass@evil.com:8080/a",
                        "URL http://user:pass@evil.com:8080/a", "DOMAIN evil.com"),
                row("IPv6 host", "http://[2001:db8::5]:8443/x",
                        "URL http://[2001:db8::5]:8443/x", "IPV6 2001:db8::5"),
                row("a file-extension TLD as a URL host", "http://update.zip/x", "URL http://update.zip/x",
                        "DOMAIN update.zip"),
                row("a hash in a URL", "https://www.virustotal.com/gui/file/"
                                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/detection",
                        "URL https://www.virustotal.com/gui/file/"
                                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/detection",
                        "DOMAIN www.virustotal.com",
                        "SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                row("a technique id in an ATT&CK URL", "https://attack.mitre.org/techniques/T1003/001/",
                        "URL https://attack.mitre.org/techniques/T1003/001/", "DOMAIN attack.mitre.org",
                        "ATTACK_TECHNIQUE T1003.001 <- T1003/001"),

                // Domains
                row("sentence end", "Blocked evil.com.", "DOMAIN evil.com"),
                row("possessive", "evil.com's resolver", "DOMAIN evil.com"),
                row("file-extension TLD, defanged", "update[.]zip", "DOMAIN update.zip <- update[.]zip"),
                row("file-extension TLD with www", "www.evil.zip", "DOMAIN www.evil.zip"),
                row("Tor hidden service", "leak site abcdefghij234567.onion", "DOMAIN abcdefghij234567.onion"),
                row("punycode", "xn--80ak6aa92e.com", "DOMAIN xn--80ak6aa92e.com"),
                row("punycode top-level domain", "xn--e1afmkfd.xn--p1ai", "DOMAIN xn--e1afmkfd.xn--p1ai"),
                row("after a dash", "list:-evil.com", "DOMAIN evil.com"),
                row("inside CJK text", "\u8BBF\u95EEevil.com\u83B7\u53D6", "DOMAIN evil.com"),
                row("a path without a scheme gives the host", "evil.com/gate.php", "DOMAIN evil.com"),

                // Hashes
                row("MD5, upper-case", "MD5: D41D8CD98F00B204E9800998ECF8427E", "MD5 d41d8cd98f00b204e9800998ecf8427e "
                        + "<- D41D8CD98F00B204E9800998ECF8427E"),
                row("SHA1", "sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709",
                        "SHA1 da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                row("SHA256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                row("a hash as a file name", "d41d8cd98f00b204e9800998ecf8427e.exe",
                        "MD5 d41d8cd98f00b204e9800998ecf8427e"),

                // CVE ids
                row("lower-case CVE", "cve-2021-44228", "CVE CVE-2021-44228 <- cve-2021-44228"),
                row("en dashes from a word processor", "CVE\u20132023\u20134966",
                        "CVE CVE-2023-4966 <- CVE\u20132023\u20134966"),
                row("four digits with a leading zero", "CVE-2014-0160 (Heartbleed)", "CVE CVE-2014-0160"),
                row("in a file name", "CVE-2021-44228_poc.py", "CVE CVE-2021-44228"),

                // ATT&CK technique ids
                row("technique and sub-technique", "T1003, T1003.001.", "ATTACK_TECHNIQUE T1003",
                        "ATTACK_TECHNIQUE T1003.001"),
                row("slash form", "T1059/001", "ATTACK_TECHNIQUE T1059.001 <- T1059/001"),
                row("ICS technique", "T0817 (Drive-by Compromise)", "ATTACK_TECHNIQUE T0817"),

                // Look-alikes that must not match
                row("file names are not domains", "file.exe, script.ps1, system32.dll, invoice.pdf.lnk"),
                row("file extensions that are also TLDs", "update.zip, README.md, setup.py, install.sh, id_rsa.pub"),
                row("field names that end in a TLD", "process.name, user.id, threat.technique.id, user.email"),
                row("version numbers", "version 1.2.3, v2.0.1, Python 3.11.4"),
                row("a version that looks like an address", "version 1.2.3.4, build: 10.0.0.1"),
                row("a User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/120.0.0.0 Safari/537.36"),
                row("abbreviations", "e.g. this, i.e. that, at 9 a.m. in the U.S."),
                row("a run-on sentence", "seen on the system.No further activity"),
                row("a .NET namespace", "Microsoft.Windows and System.Security"),
                row("the dot com era", "the dot com era"),
                row("technologies spelled like domains", "ASP.NET Core and System.IO"),
                row("names in Unicode, not punycode", "\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444"),
                row("spaces around a plain dot", "evil . com, evil .com, evil. com"),
                row("a homograph is not cut into another domain", "\u0430pple.com"),
                row("five dotted numbers", "1.2.3.4.5"),
                row("an SNMP OID", "OID 1.3.6.1.4.1.311"),
                row("an octet above 255", "999.1.1.1"),
                row("the octal trick", "0177.0.0.1"),
                row("times and dates", "at 12:30:45 on 2024-01-15, meet at 10:30: bring 15.01.2024"),
                row("MAC and EUI-64 addresses", "00:1a:2b:3c:4d:5e and 00:1a:2b:ff:fe:3c:4d:5e"),
                row("C++ and Ruby scopes", "std::vector, a::b, Net::HTTP"),
                row("a hex literal", "0xd41d8cd98f00b204e9800998ecf8427e"),
                row("hex one digit too long", "d41d8cd98f00b204e9800998ecf8427e0"),
                row("48 hex digits", "d41d8cd98f00b204e9800998ecf8427ed41d8cd98f00b204"),
                row("a SHA-512 is not reported", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                        + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
                row("32 decimal digits", "12345678901234567890123456789012"),
                row("32 letters", "deadbeefdeadbeefdeadbeefdeadbeef"),
                row("a hash-shaped subdomain is part of the domain", "d41d8cd98f00b204e9800998ecf8427e.evil[.]com",
                        "DOMAIN d41d8cd98f00b204e9800998ecf8427e.evil.com <- d41d8cd98f00b204e9800998ecf8427e.evil[.]com"),
                row("malformed CVE ids", "CVE-2021-123, CVE-21-44228, CVE-2021-012345, CWE-79"),
                row("malformed technique ids", "T1003.1, AT1003, T10031, TA0001, t1003, T-1000"),
                row("URLs without a real host", "http://localhost:8080/ and http://intranet/x and https://"),
                row("addresses without a TLD", "john@evil and admin@localhost"),
                row("bracketed prose is not a defang", "see note (at) the end and [dot] points"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indicators")
    void extractsIndicatorsFromText(String text, List<String> expected) {
        Extraction extraction = TextIndicators.extract(text);
        assertThat(render(extraction)).as(text).containsExactlyElementsOf(expected);
        assertOriginalsAreTheTextAsWritten(text, extraction);
    }

    static Stream<Arguments> techniqueNames() {
        return Stream.of(
                row("a technique name", "They used OS Credential Dumping.",
                        "ATTACK_TECHNIQUE T1003 <- OS Credential Dumping"),
                row("a sub-technique name", "LSASS Memory was read", "ATTACK_TECHNIQUE T1003.001 <- LSASS Memory"),
                row("the qualified name is the longest", "OS Credential Dumping: LSASS Memory",
                        "ATTACK_TECHNIQUE T1003.001 <- OS Credential Dumping: LSASS Memory"),
                row("a longer name wins over a name inside it", "Spearphishing Attachment",
                        "ATTACK_TECHNIQUE T1566.001 <- Spearphishing Attachment"),
                row("a whole word only", "Spearphishing is not phishing", "ATTACK_TECHNIQUE T1566 <- phishing"),
                row("no part of a hyphenated word", "anti-phishing training, phishing-resistant keys"),
                row("any case", "PHISHING", "ATTACK_TECHNIQUE T1566 <- PHISHING"),
                row("hyphens for spaces", "pass-the-hash", "ATTACK_TECHNIQUE T1550.002 <- pass-the-hash"),
                row("spaces for a hyphen", "drive by compromise", "ATTACK_TECHNIQUE T1189 <- drive by compromise"),
                row("a name across a line break", "OS Credential\n    Dumping",
                        "ATTACK_TECHNIQUE T1003 <- OS Credential\n    Dumping"),
                row("name and id are one technique", "Masquerading (T1036)", "ATTACK_TECHNIQUE T1036 <- Masquerading"),
                row("a file name", "powershell.exe -enc", "ATTACK_TECHNIQUE T1059.001 <- powershell"),
                row("too short to be a name", "Meet at noon"),
                row("too generic to be a name", "The malware persisted"),
                row("not inside a URL", "https://example.com/phishing", "URL https://example.com/phishing",
                        "DOMAIN example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("techniqueNames")
    void findsTechniquesByName(String text, List<String> expected) {
        Extraction extraction = TextIndicators.extract(text, NAMES);
        assertThat(render(extraction)).as(text).containsExactlyElementsOf(expected);
        assertOriginalsAreTheTextAsWritten(text, extraction);
    }

    @Test
    void withoutNamesOnlyIdsAreFound() {
        Extraction extraction = TextIndicators.extract("OS Credential Dumping (T1003)", TechniqueNames.none());
        assertThat(render(extraction)).containsExactly("ATTACK_TECHNIQUE T1003");
    }

    private static final String ADVISORY = """
            FLASH ADVISORY VGL-2025-014: "Paper Lantern" intrusion set exploits edge VPNs

            Summary
            Since 2025-03-02 the Paper Lantern operators have exploited CVE-2025-0282 and cve-2024-3400 on
            internet-facing gateways (versions 22.7.2 and 10.2.9 are affected). After access they ran OS Credential
            Dumping: LSASS Memory (T1003.001) and moved laterally with pass-the-hash.

            Infrastructure
            Initial payloads came from hxxps://cdn-updates[.]top/dl/agent.ps1 and hxxp://185.220.101[.]47:8443/stage2.
            Beacons resolve sync.paper-lantern[.]xyz, which also answered at 2001:db8:4f::17. Block 203.0.113.0/24;
            10.20.30.40 is the victim's own proxy. Phishing mail came from hr-notice[at]lantern-mail[.]com.

            Files
            agent.ps1   SHA256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            loader.dll  MD5    5d41402abc4b2a76b9719d911017c592
            The loader poses as version.dll (Masquerading, T1036.005); it was built at 12:30:45 UTC.

            References: https://nvd.nist.gov/vuln/detail/CVE-2025-0282 and
            [ATT&CK](https://attack.mitre.org/techniques/T1550/002/).
            """;

    @Test
    void extractsEverythingFromAnAdvisory() {
        Extraction extraction = TextIndicators.extract(ADVISORY, NAMES);

        assertThat(render(extraction)).containsExactly(
                "CVE CVE-2025-0282",
                "CVE CVE-2024-3400 <- cve-2024-3400",
                "ATTACK_TECHNIQUE T1003.001 <- OS Credential\nDumping: LSASS Memory",
                "ATTACK_TECHNIQUE T1550.002 <- pass-the-hash",
                "URL https://cdn-updates.top/dl/agent.ps1 <- hxxps://cdn-updates[.]top/dl/agent.ps1",
                "DOMAIN cdn-updates.top <- cdn-updates[.]top",
                "URL http://185.220.101.47:8443/stage2 <- hxxp://185.220.101[.]47:8443/stage2",
                "IPV4 185.220.101.47 <- 185.220.101[.]47",
                "DOMAIN sync.paper-lantern.xyz <- sync.paper-lantern[.]xyz",
                "IPV6 2001:db8:4f::17",
                "CIDR 203.0.113.0/24",
                "IPV4 10.20.30.40",
                "ATTACK_TECHNIQUE T1566 <- Phishing",
                "EMAIL hr-notice@lantern-mail.com <- hr-notice[at]lantern-mail[.]com",
                "DOMAIN lantern-mail.com <- lantern-mail[.]com",
                "SHA256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "MD5 5d41402abc4b2a76b9719d911017c592",
                "ATTACK_TECHNIQUE T1036 <- Masquerading",
                "ATTACK_TECHNIQUE T1036.005",
                "URL https://nvd.nist.gov/vuln/detail/CVE-2025-0282",
                "DOMAIN nvd.nist.gov",
                "URL https://attack.mitre.org/techniques/T1550/002/",
                "DOMAIN attack.mitre.org");
        assertOriginalsAreTheTextAsWritten(ADVISORY, extraction);
        Found email = extraction.of(Found.Kind.EMAIL).getFirst();
        assertThat(email.start()).isEqualTo(ADVISORY.indexOf("hr-notice"));
        assertThat(extraction.values(Found.Kind.CVE)).containsExactly("CVE-2025-0282", "CVE-2024-3400");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTexts")
    void hostileTextsFindNothingWithoutOverflowingTheStack(String text) {
        assertThat(TextIndicators.extract(text, NAMES).isEmpty()).isTrue();
    }

    static Stream<Named<String>> hostileTexts() {
        int n = 100_000;
        return Stream.of(
                Named.of("a name of 100,000 labels", "a.".repeat(n)),
                Named.of("100,000 dotted numbers", "1.".repeat(n)),
                Named.of("a run of colons", ":".repeat(2 * n)),
                Named.of("100,000 colon groups", "1:".repeat(n)),
                Named.of("100,000 at-signs", "x@".repeat(n)),
                Named.of("100,000 defanged labels", "a[.]".repeat(n)),
                Named.of("100,000 spelled dots", " dot a".repeat(n)),
                Named.of("a URL of closing parentheses", "http://" + ")".repeat(n)),
                Named.of("a URL host of 200,000 letters", "http://" + "a".repeat(2 * n)),
                Named.of("200,000 hex digits", "f".repeat(2 * n)));
    }

    @Test
    void emptyAndBlankTextsHoldNothing() {
        assertThat(TextIndicators.extract("").isEmpty()).isTrue();
        assertThat(TextIndicators.extract(" \n\t ").isEmpty()).isTrue();
    }

    @Test
    void techniqueNamesAreLowerCasedAndChecked() {
        TechniqueNames names = TechniqueNames.of(Map.of("  OS  Credential Dumping ", "T1003"));
        assertThat(names.names()).containsExactly("os credential dumping");
        assertThat(names.idOf("os credential dumping")).contains("T1003");
        assertThat(names.idOf("OS Credential Dumping")).contains("T1003");
        assertThat(names.idOf("credential dumping")).isEmpty();
        assertThat(TechniqueNames.none().names()).isEmpty();

        assertThatThrownBy(() -> TechniqueNames.of(Map.of("phishing", "1566")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("technique name 'phishing' maps to '1566', which is not a technique id; "
                        + "use the form T1003 or T1003.001");
        assertThatThrownBy(() -> TechniqueNames.of(Map.of(" ", "T1566")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a technique name is blank (it maps to T1566); leave it out of the map");
        assertThatThrownBy(() -> TechniqueNames.of(Map.of("Phishing", "T1566", "phishing", "T1598")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("technique name 'phishing' maps to both");
    }

    private static Arguments row(String name, String text, String... expected) {
        return Arguments.of(Named.of(name, text), List.of(expected));
    }

    /** Each found thing as {@code KIND value}, and {@code <- original} when it was written differently. */
    private static List<String> render(Extraction extraction) {
        List<String> lines = new ArrayList<>();
        for (Found found : extraction.all()) {
            lines.add(found.kind() + " " + found.value()
                    + (found.original().equals(found.value()) ? "" : " <- " + found.original()));
        }
        return lines;
    }

    private static void assertOriginalsAreTheTextAsWritten(String text, Extraction extraction) {
        for (Found found : extraction.all()) {
            assertThat(text.substring(found.start(), found.end())).as(found.toString()).isEqualTo(found.original());
        }
    }
}
