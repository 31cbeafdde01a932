package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Indicator values: normal forms, recognition, refanging")
class IndicatorValuesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            HTTP://Evil.Example/                          | http://evil.example/
            http://evil.example                           | http://evil.example/
            https://evil.example:443/a                    | https://evil.example/a
            http://evil.example:8080/a                    | http://evil.example:8080/a
            ftp://evil.example:21/x                       | ftp://evil.example/x
            http://evil.example/Path/                     | http://evil.example/Path
            http://evil.example/a/./b/../c                | http://evil.example/a/c
            http://evil.example/%7Euser/%41%2f%2F?q=%7e   | http://evil.example/~user/A%2F%2F?q=~
            http://evil.example/a?                        | http://evil.example/a
            http://evil.example/a#fragment                | http://evil.example/a
            http://evil.example/a?x=1#fragment            | http://evil.example/a?x=1
            http://User@Evil.Example/                     | http://User@evil.example/
            http://[2001:DB8::1]:80/x                     | http://[2001:db8::1]/x
            http://203.0.113.7:8080                       | http://203.0.113.7:8080/
            evil.example/dropper.exe                      | http://evil.example/dropper.exe
            http://bücher.example/                        | http://xn--bcher-kva.example/
            http://evil.example\\a\\b                     | http://evil.example/a/b
            """)
    void urls_are_normalized(String url, String normal) {
        assertThat(IndicatorValues.normalizeUrl(url)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ipv4   | 010.000.000.001     | ipv4   | 10.0.0.1
            cidr   | 10.1.2.3/8          | cidr   | 10.0.0.0/8
            cidr   | 10.1.2.3/32         | ipv4   | 10.1.2.3
            cidr   | 10.1.2.3            | ipv4   | 10.1.2.3
            ipv6   | 2001:0DB8:0000:0000:0000:0000:0000:0001 | ipv6 | 2001:db8::1
            ipv6   | 2001:db8:0:1:0:0:0:1 | ipv6  | 2001:db8:0:1::1
            ipv6   | 2001:db8:0:0:1:0:0:1 | ipv6  | 2001:db8::1:0:0:1
            ipv6   | ::ffff:192.0.2.1    | ipv4   | 192.0.2.1
            ipv6   | [fe80::1%eth0]      | ipv6   | fe80::1
            cidr   | 2001:db8::1/32      | cidr   | 2001:db8::/32
            cidr   | 2001:db8::1/128     | ipv6   | 2001:db8::1
            domain | WWW.Evil.Example.   | domain | www.evil.example
            domain | *.evil.example      | domain | evil.example
            domain | bücher.example      | domain | xn--bcher-kva.example
            email  | mailto:Bob@Evil.Example | email | bob@evil.example
            email  | <bob@evil.example>  | email  | bob@evil.example
            md5    | D41D8CD98F00B204E9800998ECF8427E | md5 | d41d8cd98f00b204e9800998ecf8427e
            """)
    void values_have_one_normal_form_and_a_refined_type(String type, String text, String normalType,
            String normal) {
        IndicatorValues.Value value = IndicatorValues.canonical(IndicatorType.fromId(type), text);
        assertThat(value.type().id()).isEqualTo(normalType);
        assertThat(value.value()).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ipv4   | 192.0.2.256         | '192.0.2.256' is not an IP address
            cidr   | 10.0.0.0/33         | '10.0.0.0/33' has an invalid prefix length '33' (0 to 32)
            cidr   | 10.0.0.0/0          | '10.0.0.0/0' is a /0 network, which contains every address
            domain | localhost           | 'localhost' is not a domain name: it has a single label (a top-level domain or a host name without its domain)
            domain | evil..example       | 'evil..example' is not a domain name: it has an empty label
            domain | -evil.example       | '-evil.example' is not a domain name: a label starts or ends with '-'
            domain | 10.0.0.300          | '10.0.0.300' is not a domain name: its top-level label is a number
            domain | evil example.com    | 'evil example.com' is not a domain name: ' ' is not allowed in a name
            email  | bob.evil.example    | 'bob.evil.example' is not an e-mail address (local@domain)
            sha256 | abcd                | an SHA256 digest has 64 hex digits, 'abcd' has 4
            sha1   | zz39a3ee5e6b4b0d3255bfef95601890afd80709 | 'zz39a3ee5e6b4b0d3255bfef95601890afd80709' is not a hex digest
            url    | http://evil.example:99999/ | 'http://evil.example:99999/' is not a URL: invalid port '99999'
            url    | http:///path        | 'http:///path' is not a URL: it has no host
            url    | http://evil.example/a\u001eb | 'http://evil.example/a?b' holds a control character
            """)
    void values_that_are_not_of_their_type_are_refused_with_the_reason(String type, String text, String reason) {
        assertThatThrownBy(() -> IndicatorValues.canonical(IndicatorType.fromId(type), text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            203.0.113.7                                 | ipv4   | 203.0.113.7
            203.0.113.0/24                              | cidr   | 203.0.113.0/24
            2001:db8::7                                 | ipv6   | 2001:db8::7
            evil.example                                | domain | evil.example
            evil.example/login.php                      | url    | http://evil.example/login.php
            203.0.113.7/admin                           | url    | http://203.0.113.7/admin
            https://evil.example/a?b=c                  | url    | https://evil.example/a?b=c
            billing@evil.example                        | email  | billing@evil.example
            d41d8cd98f00b204e9800998ecf8427e            | md5    | d41d8cd98f00b204e9800998ecf8427e
            da39a3ee5e6b4b0d3255bfef95601890afd80709    | sha1   | da39a3ee5e6b4b0d3255bfef95601890afd80709
            """)
    void bare_values_are_recognized(String text, String type, String normal) {
        IndicatorValues.Value value = IndicatorValues.detect(text);
        assertThat(value).isNotNull();
        assertThat(value.type().id()).isEqualTo(type);
        assertThat(value.value()).isEqualTo(normal);
    }

    @Test
    void words_that_are_no_value_are_not_recognized_and_say_why() {
        assertThat(IndicatorValues.detect("hello")).isNull();
        assertThat(IndicatorValues.detect("two words")).isNull();
        assertThat(IndicatorValues.whyNot("d41d8cd98f00b204e9800998ecf8427")).isEqualTo("'d41d8cd98f00b204e9800998ecf8427'"
                + " looks like a digest but has 31 hex digits (MD5 has 32, SHA-1 40, SHA-256 64, SHA-512 128)");
        assertThat(IndicatorValues.whyNot("hello")).isEqualTo("'hello' is not an IP address, network, domain, URL,"
                + " e-mail address or file hash");
        assertThat(IndicatorValues.whyNot("evil_.exa mple")).contains("is not a domain name");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            hxxp://evil[.]example/a     | http://evil.example/a
            hXXps[://]evil(.)example    | https://evil.example
            fxp://files{.}evil[dot]example | ftp://files.evil.example
            bob[@]evil[.]example        | bob@evil.example
            bob[at]evil(dot)example     | bob@evil.example
            203[.]0[.]113[.]7           | 203.0.113.7
            fxpro.example               | fxpro.example
            """)
    void defanged_values_are_refanged(String defanged, String refanged) {
        assertThat(IndicatorValues.refang(defanged)).isEqualTo(refanged);
    }

    @Test
    void matching_keys_name_every_indicator_a_value_matches() {
        assertThat(IndicatorValues.matchingKeys(IndicatorValues.detect("a.b.evil.example")))
                .extracting(IndicatorValues.Value::value)
                .containsExactly("a.b.evil.example", "b.evil.example", "evil.example");
        assertThat(IndicatorValues.matchingKeys(IndicatorValues.detect("203.0.113.7")))
                .hasSize(32).contains(new IndicatorValues.Value(IndicatorType.CIDR, "203.0.113.0/24"),
                        new IndicatorValues.Value(IndicatorType.CIDR, "128.0.0.0/1"));
        assertThat(IndicatorValues.matchingKeys(IndicatorValues.detect("https://cdn.evil.example/x?y=1")))
                .extracting(v -> v.type().id() + ":" + v.value()).containsExactly(
                        "url:https://cdn.evil.example/x?y=1", "url:http://cdn.evil.example/x?y=1",
                        "url:https://cdn.evil.example/x", "url:http://cdn.evil.example/x", "domain:cdn.evil.example",
                        "domain:evil.example");
        assertThat(IndicatorValues.matchingKeys(IndicatorValues.detect("bob@mail.evil.example")))
                .extracting(v -> v.type().id() + ":" + v.value()).containsExactly("email:bob@mail.evil.example",
                        "domain:mail.evil.example", "domain:evil.example");
    }
}
