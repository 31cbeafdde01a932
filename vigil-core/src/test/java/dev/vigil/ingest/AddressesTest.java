package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "' 10.0.0.1 ', 10.0.0.1",
        "10.0.0.1:443, 10.0.0.1",
        "::ffff:10.0.0.1, 10.0.0.1",
        "::, ::",
        "::1, ::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8:0:0:0:0:0:1",
        "2001:db8::1, 2001:db8::1",
        "[2001:db8::1], 2001:db8::1",
        "[2001:db8::1]:8443, 2001:db8::1",
        "fe80::1%12, fe80::1",
        "::ffff:c0a8:1, ::ffff:c0a8:1",
        "64:ff9b::192.0.2.33, 64:ff9b::192.0.2.33",
    })
    void ipLiteralsAreAcceptedInCanonicalText(String text, String expected) {
        assertThat(Addresses.normalizeIp(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "-", "localhost", "WS01.corp.local", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3",
        "01234.1.1.1", "1.2.3.4:", "2001:db8::1::2", "2001:db8:0:0:0:0:0:0:1", "12345::1", "gggg::1", "[::1",
        ":::", "1.2.3.-4", "1,2,3,4"})
    void anythingElseIsNotAnAddress(String text) {
        assertThat(Addresses.normalizeIp(text)).isNull();
    }
}
