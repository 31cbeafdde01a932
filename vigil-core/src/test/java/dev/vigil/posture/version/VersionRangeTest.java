package dev.vigil.posture.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Version ranges and CPE 2.3 names")
class VersionRangeTest {

    @ParameterizedTest(name = "{0} in [{1}, {2}) ({3}): {4}")
    @DisplayName("Log4Shell's Maven ranges (CVE-2021-44228): [2.0-beta9, 2.3.1), [2.4, 2.12.2), [2.13.0, 2.15.0)")
    @CsvSource({
            "2.0-beta8, 2.0-beta9, 2.3.1, false",
            "2.0-beta9, 2.0-beta9, 2.3.1, true",
            "2.0-rc2, 2.0-beta9, 2.3.1, true",
            "2.3, 2.0-beta9, 2.3.1, true",
            "2.3.1, 2.0-beta9, 2.3.1, false",
            "2.12.1, 2.4, 2.12.2, true",
            "2.12.2, 2.4, 2.12.2, false",
            "2.14.1, 2.13.0, 2.15.0, true",
            "2.15.0, 2.13.0, 2.15.0, false",
            "2.17.1, 2.13.0, 2.15.0, false"})
    void log4shell(String version, String introduced, String fixed, boolean affected) {
        assertThat(VersionRange.fixedIn(introduced, fixed).contains(version, Ecosystem.MAVEN)).isEqualTo(affected);
    }

    @Test
    @DisplayName("open and inclusive bounds; 0 and * mean no lower bound; the fixed version is the excluded end")
    void bounds() {
        VersionRange upTo = new VersionRange("0", true, "1.2.3", true);
        assertThat(upTo.start()).isNull();
        assertThat(upTo.contains("0.0.1", Ecosystem.SEMVER)).isTrue();
        assertThat(upTo.contains("1.2.3", Ecosystem.SEMVER)).isTrue();
        assertThat(upTo.contains("1.2.4", Ecosystem.SEMVER)).isFalse();
        assertThat(upTo.fixed()).isNull();
        VersionRange after = new VersionRange("1.0", false, null, false);
        assertThat(after.contains("1.0", Ecosystem.GENERIC)).isFalse();
        assertThat(after.contains("1.0.1", Ecosystem.GENERIC)).isTrue();
        assertThat(VersionRange.fixedIn("2.4", "2.12.2").fixed()).isEqualTo("2.12.2");
        assertThat(VersionRange.fixedIn("2.4", "2.12.2")).hasToString(">= 2.4, < 2.12.2");
        assertThat(VersionRange.exactly("1.0")).hasToString("= 1.0");
        assertThat(VersionRange.exactly("1.0").contains("1.0.0", Ecosystem.MAVEN)).isTrue();
    }

    @Test
    @DisplayName("CPE 2.3 formatted strings and 2.2 URIs parse to the same attributes; escapes are kept")
    void cpeParsing() {
        Cpe formatted = Cpe.parse("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*");
        Cpe uri = Cpe.parse("cpe:/a:apache:log4j:2.14.1");
        assertThat(formatted).isEqualTo(uri);
        assertThat(formatted.vendor()).isEqualTo("apache");
        assertThat(formatted.product()).isEqualTo("log4j");
        assertThat(formatted.version()).isEqualTo("2.14.1");
        Cpe escaped = Cpe.parse("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta\\:2:*:*:*:*:*:*");
        assertThat(escaped.update()).isEqualTo("beta:2");
        assertThat(escaped.toString()).isEqualTo("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta\\:2:*:*:*:*:*:*");
        assertThat(Cpe.parse("CPE:2.3:O:Paloaltonetworks:PAN-OS:10.2.8").product()).isEqualTo("pan-os");
    }

    @Test
    @DisplayName("CPE names that are not: the message says why")
    void cpeErrors() {
        assertThatThrownBy(() -> Cpe.parse("apache:log4j:2.14.1")).hasMessageContaining("not a CPE name")
                .hasMessageContaining("cpe:2.3:");
        assertThatThrownBy(() -> Cpe.parse("cpe:2.3:x:apache:log4j")).hasMessageContaining("needs a part");
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @DisplayName("CPE matching: ANY, NA, wildcards, versions")
    @CsvSource({
            "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, true",
            "cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, true",
            "cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, false",
            "cpe:2.3:a:openssl:openssl:1.0.1*:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, true",
            "cpe:2.3:a:openssl:openssl:1.0.?:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, false",
            "cpe:2.3:a:openssl:libressl:*:*:*:*:*:*:*:*, cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*, false",
            "cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*, cpe:2.3:o:paloaltonetworks:pan-os:10.2.8:-:*:*:*:*:*:*, true",
            "cpe:2.3:o:paloaltonetworks:pan-os:*:-:*:*:*:*:*:*, cpe:2.3:o:paloaltonetworks:pan-os:10.2.8:h3:*:*:*:*:*:*, false",
            "cpe:2.3:a:*:log4j:*:*:*:*:*:*:*:*, cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*, true"})
    void cpeMatching(String criteria, String installed, boolean expected) {
        assertThat(Cpe.parse(criteria).matches(Cpe.parse(installed), false)).isEqualTo(expected);
    }
}
