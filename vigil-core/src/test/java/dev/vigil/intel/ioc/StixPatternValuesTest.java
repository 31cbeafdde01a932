package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.ioc.StixPatternValues.Reduction;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("STIX patterns reduced to the observable values they name, or refused with the reason")
class StixPatternValuesTest {

    private static List<String> values(String pattern) {
        Reduction reduction = StixPatternValues.reduce(StixPatternParser.parse(pattern));
        assertThat(reduction).as(pattern).isInstanceOf(Reduction.Values.class);
        return ((Reduction.Values) reduction).values().stream().map(v -> v.type().id() + ":" + v.value()).toList();
    }

    private static String reason(String pattern) {
        Reduction reduction = StixPatternValues.reduce(StixPatternParser.parse(pattern));
        assertThat(reduction).as(pattern).isInstanceOf(Reduction.Irreducible.class);
        return ((Reduction.Irreducible) reduction).reason();
    }

    private static List<String> notes(String pattern) {
        return ((Reduction.Values) StixPatternValues.reduce(StixPatternParser.parse(pattern))).notes();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [ipv4-addr:value = '198.51.100.1']                        | ipv4:198.51.100.1
            [ipv4-addr:value = '198.51.100.0/24']                     | cidr:198.51.100.0/24
            [ipv4-addr:value ISSUBSET '198.51.100.7/24']              | cidr:198.51.100.0/24
            [ipv4-addr:value = '10.0.0.1/32']                         | ipv4:10.0.0.1
            [ipv6-addr:value = '2001:DB8:0:0:0:0:0:1']                | ipv6:2001:db8::1
            [ipv6-addr:value = '2001:db8::/32']                       | cidr:2001:db8::/32
            [domain-name:value = 'Evil.Example.']                     | domain:evil.example
            [url:value = 'HTTP://Evil.Example:80/a/./b/../c/?#frag']  | url:http://evil.example/a/c
            [email-addr:value = 'Billing@Evil.Example']               | email:billing@evil.example
            [email-message:from_ref.value = 'x@evil.example']         | email:x@evil.example
            [network-traffic:dst_ref.value = '203.0.113.9']           | ipv4:203.0.113.9
            [file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']    | md5:d41d8cd98f00b204e9800998ecf8427e
            [file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'] | sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709
            [artifact:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] | sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
    void one_comparison_names_one_value(String pattern, String value) {
        assertThat(values(pattern)).containsExactly(value);
    }

    @Test
    void or_in_and_between_observations_names_every_value() {
        assertThat(values("[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1']"))
                .containsExactly("domain:a.example", "ipv4:192.0.2.1");
        assertThat(values("[domain-name:value = 'a.example'] OR [ipv4-addr:value = '192.0.2.1']"))
                .containsExactly("domain:a.example", "ipv4:192.0.2.1");
        assertThat(values("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]"))
                .containsExactly("ipv4:192.0.2.1", "ipv4:192.0.2.2");
    }

    @Test
    void an_or_operand_that_does_not_reduce_is_dropped_with_a_note() {
        String pattern = "[domain-name:value = 'domain autuo.xicp.net' OR ipv4-addr:value = '60.10.1.115']";
        assertThat(values(pattern)).containsExactly("ipv4:60.10.1.115");
        assertThat(notes(pattern)).containsExactly("dropped [domain-name:value = 'domain autuo.xicp.net']: 'domain"
                + " autuo.xicp.net' is not a domain name: ' ' is not allowed in a name");
    }

    @Test
    void and_on_one_object_reduces_to_the_condition_that_names_a_value() {
        String pattern = "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'a.exe']";
        assertThat(values(pattern)).containsExactly("md5:d41d8cd98f00b204e9800998ecf8427e");
        assertThat(notes(pattern)).containsExactly("not checked (the value identifies the object): [file:name ="
                + " 'a.exe']");
        assertThat(values("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:hashes.'SHA-1' ="
                + " 'da39a3ee5e6b4b0d3255bfef95601890afd80709']")).hasSize(2);
    }

    @Test
    void qualifiers_are_ignored_with_a_note() {
        String pattern = "[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES WITHIN 60 SECONDS";
        assertThat(values(pattern)).containsExactly("ipv4:192.0.2.1");
        assertThat(notes(pattern)).containsExactly(
                "qualifier REPEATS 5 TIMES ignored: a single sighting of a value is matched",
                "qualifier WITHIN 60 SECONDS ignored: a single sighting of a value is matched");
    }

    @Test
    void the_same_value_in_every_operand_of_and_or_followedby_reduces_to_it() {
        assertThat(values("[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.1']"))
                .containsExactly("ipv4:192.0.2.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [ipv4-addr:value = '192.0.2.1' AND domain-name:value = 'a.example']          | AND joins conditions on different objects (domain-name, ipv4-addr) that must be observed together; no single value stands for them
            [ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'a.example']        | AND between observations needs all of them to be seen ([ipv4-addr:value = '192.0.2.1'], [domain-name:value = 'a.example']); no single value stands for it
            [ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.2']   | FOLLOWEDBY needs a sequence of observations ([ipv4-addr:value = '192.0.2.1'], [ipv4-addr:value = '192.0.2.2']); no single value stands for it
            [ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']            | AND requires one ipv4-addr to have several values at once (ipv4 192.0.2.1, ipv4 192.0.2.2)
            [x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c'] | x509-certificate:issuer is not an observable Vigil matches; x509-certificate:serial_number is not an observable Vigil matches
            [file:name = 'CBricksDoc']                                                   | file:name is not an observable Vigil matches
            [email-message:subject MATCHES '^Invoice']                                   | email-message:subject is not an observable Vigil matches
            [domain-name:value MATCHES 'evil']                                           | MATCHES on domain-name:value is a regular expression; Vigil matches exact values
            [url:value LIKE 'http://evil.example/%']                                     | LIKE on url:value matches a wildcard pattern; Vigil matches exact values
            [ipv4-addr:value != '192.0.2.1']                                             | a negated comparison ([ipv4-addr:value != '192.0.2.1']) names what a value is not
            [ipv4-addr:value NOT = '192.0.2.1']                                          | a negated comparison ([ipv4-addr:value NOT = '192.0.2.1']) names what a value is not
            [ipv4-addr:value > '192.0.2.1']                                              | the ordering comparison > on ipv4-addr:value names no value
            [domain-name:value ISSUBSET 'example']                                       | ISSUBSET on domain-name:value is not a network comparison Vigil matches
            [EXISTS url:value]                                                           | EXISTS url:value names no value
            [ipv4-addr:value = '192.0.2.300']                                            | '192.0.2.300' is not an IP address
            [ipv4-addr:value = '2001:db8::1']                                            | '2001:db8::1' is not an IPv4 address, as ipv4-addr requires
            [ipv4-addr:value = 5]                                                        | ipv4-addr:value is compared with a int literal, not a string
            [file:hashes.MD5 = 'abc']                                                    | an MD5 digest has 32 hex digits, 'abc' has 3
            """)
    void patterns_that_need_more_than_one_value_or_name_none_are_refused_with_the_reason(String pattern,
            String reason) {
        assertThat(reason(pattern)).isEqualTo(reason);
    }
}
