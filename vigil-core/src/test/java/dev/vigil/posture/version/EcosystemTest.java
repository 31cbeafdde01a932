package dev.vigil.posture.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version order per ecosystem, one row per fact: {@code left, relation, right} where the relation is {@code <},
 * {@code =} or {@code >}. Each row is also checked the other way round, so a table is a specification of the order.
 */
@DisplayName("Version order per ecosystem")
class EcosystemTest {

    private static void check(Ecosystem ecosystem, String left, String relation, String right) {
        int expected = switch (relation) {
            case "<" -> -1;
            case "=" -> 0;
            case ">" -> 1;
            default -> throw new IllegalArgumentException(relation);
        };
        assertThat(Integer.signum(ecosystem.compare(left, right)))
                .as("%s: %s %s %s", ecosystem, left, relation, right).isEqualTo(expected);
        assertThat(Integer.signum(ecosystem.compare(right, left)))
                .as("%s: %s %s %s (reversed)", ecosystem, right, relation, left).isEqualTo(-expected);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("semver 2.0.0")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0.0 < 2.0.0
            2.0.0 < 2.1.0
            2.1.0 < 2.1.1
            1.9.0 < 1.10.0
            1.0.0-alpha < 1.0.0
            1.0.0-alpha < 1.0.0-alpha.1
            1.0.0-alpha.1 < 1.0.0-alpha.beta
            1.0.0-alpha.beta < 1.0.0-beta
            1.0.0-beta < 1.0.0-beta.2
            1.0.0-beta.2 < 1.0.0-beta.11
            1.0.0-beta.11 < 1.0.0-rc.1
            1.0.0-rc.1 < 1.0.0
            1.0.0+build.1 = 1.0.0
            1.0.0+20130313144700 = 1.0.0+exp.sha.5114f85
            1.0.0-rc.1+build.1 < 1.0.0
            v1.2.3 = 1.2.3
            1.2.3 < 1.2.4-0
            99999999999999999999.0.0 > 9999999999999999999.0.0
            """)
    void semver(String left, String relation, String right) {
        check(Ecosystem.SEMVER, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("npm (node-semver, loose prefixes)")
    @CsvSource(delimiter = ' ', textBlock = """
            =4.17.20 < 4.17.21
            v4.17.21 = 4.17.21
            7.0.0-next.1 < 7.0.0
            1.2.3-alpha.10 > 1.2.3-alpha.9
            1.2.3-alpha.10 < 1.2.3-alpha.a
            """)
    void npm(String left, String relation, String right) {
        check(Ecosystem.NPM, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("Maven ComparableVersion: qualifiers, padding, aliases")
    @CsvSource(delimiter = ' ', textBlock = """
            1 = 1.0
            1 = 1.0.0
            1.0 = 1-ga
            1.0 = 1.0-final
            1.0 = 1.0-release
            1.0 = 1.0.0-GA
            1-alpha-1 < 1-beta-1
            1-beta-1 < 1-milestone-1
            1-milestone-1 < 1-rc-1
            1-rc-1 = 1-cr-1
            1-rc-1 < 1-SNAPSHOT
            1-SNAPSHOT < 1
            1 < 1-sp-1
            1-sp < 1-foo
            1.0-alpha1 = 1.0-a1
            1.0-beta2 = 1.0-b2
            1.0-m3 = 1.0-milestone3
            1.0a1 = 1.0-alpha-1
            2.0-beta9 < 2.0
            2.0-beta9 < 2.0-rc1
            2.14.1 < 2.15.0
            2.12.1 < 2.12.2
            2.3 < 2.3.1
            1.9 < 1.10
            1.0.1 > 1.0-sp
            1-1 < 1.1
            1.0.0.1 > 1.0
            2.0.1 > 2.0-rc1
            1.0-SNAPSHOT < 1.0-sp
            3.0.0.RELEASE = 3.0.0
            """)
    void maven(String left, String relation, String right) {
        check(Ecosystem.MAVEN, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("PyPI, PEP 440: epochs, pre, post, dev, local, normalization")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0.dev456 < 1.0a1
            1.0a1 < 1.0a2.dev456
            1.0a2.dev456 < 1.0a12.dev456
            1.0a12.dev456 < 1.0a12
            1.0a12 < 1.0b1.dev456
            1.0b1.dev456 < 1.0b2
            1.0b2 < 1.0b2.post345.dev456
            1.0b2.post345.dev456 < 1.0b2.post345
            1.0b2.post345 < 1.0rc1.dev456
            1.0rc1.dev456 < 1.0rc1
            1.0rc1 < 1.0
            1.0 < 1.0+abc.5
            1.0+abc.5 < 1.0+abc.7
            1.0+abc.7 < 1.0+5
            1.0+5 < 1.0.post456.dev34
            1.0.post456.dev34 < 1.0.post456
            1.0.post456 < 1.1.dev1
            1.0 = 1.0.0
            1.0alpha1 = 1.0a1
            1.0c1 = 1.0rc1
            1.0-1 = 1.0.post1
            1.0.preview2 = 1.0rc2
            1!1.0 > 2.0
            1!0.1 > 2024.1
            v2.31.0 = 2.31.0
            4.2.0 > 3.2.25
            """)
    void pypi(String left, String relation, String right) {
        check(Ecosystem.PYPI, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("Debian (dpkg): epochs, tildes, revisions")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0~rc1 < 1.0
            1.0~~ < 1.0~~a
            1.0~~a < 1.0~
            1.0~ < 1.0
            1.0 < 1.0a
            1:1.0 > 2.0
            0:1.0 = 1.0
            1.0-1 < 1.0-2
            1.0-1 = 1.0-01
            1.1.1n-0+deb11u3 < 1.1.1n-0+deb11u4
            1.1.1n-0+deb11u5 < 1.1.1w-0+deb11u1
            3.0.11-1~deb12u2 < 3.0.11-1
            2.36-9+deb12u4 > 2.36-9+deb12u3
            1.0+dfsg-1 > 1.0-1
            10 > 9
            1.2.3 = 1.2.3-0
            """)
    void debian(String left, String relation, String right) {
        check(Ecosystem.DEBIAN, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("RPM (rpmvercmp): epochs, releases, tilde and caret")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0 < 1.0.1
            1.0~rc1 < 1.0
            1.0~rc1 < 1.0~rc2
            1.0 < 1.0^git1
            1.0^git1 < 1.0.1
            1.0^git1 < 1.0^git2
            1:1.0 > 2.0
            0:1.0 = 1.0
            1.0a < 1.0.1
            1.0 < 1.0a
            2.0.1 = 2.0.1
            1.0010 = 1.10
            1.05 = 1.5
            1.0-1.el8 < 1.0-2.el8
            3.0.7-24.el9 < 3.0.7-25.el9
            1.1.1k-9.el8_7 < 1.1.1k-12.el8_9
            1.0 = 1.0-5.el9
            a < 1
            """)
    void rpm(String left, String relation, String right) {
        check(Ecosystem.RPM, left, relation, right);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @DisplayName("generic vendor versions (CPE, appliances)")
    @CsvSource(delimiter = ' ', textBlock = """
            1.0.1 < 1.0.1g
            1.0.1f < 1.0.1g
            1.0.2 > 1.0.1g
            10.2.9 < 10.2.9-h1
            10.2.9-h1 < 10.2.10
            13.1-49.13 < 13.1-49.15
            13.1-49.15 < 14.1-4.42
            1.0-beta < 1.0
            1.0.0-rc1 < 1.0.0
            1.0 = 1.0.0
            2.4.49 < 2.4.50
            9.0 < 10.0
            """)
    void generic(String left, String relation, String right) {
        check(Ecosystem.GENERIC, left, relation, right);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("ecosystems by package-URL type, OSV ecosystem and CVE versionType")
    @CsvSource({"maven, MAVEN", "Maven, MAVEN", "npm, NPM", "PyPI, PYPI", "python, PYPI", "Debian:12, DEBIAN",
            "Ubuntu:22.04:LTS, DEBIAN", "deb, DEBIAN", "Red Hat, RPM", "AlmaLinux:9, RPM", "rpm, RPM",
            "golang, SEMVER", "crates.io, SEMVER", "semver, SEMVER", "custom, GENERIC", "git, GENERIC"})
    void ecosystemNames(String name, Ecosystem expected) {
        assertThat(Ecosystem.of(name)).isEqualTo(expected);
    }
}
