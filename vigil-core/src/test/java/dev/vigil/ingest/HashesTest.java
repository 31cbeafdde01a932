package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashesTest {
    private static final String MD5 = "D41D8CD98F00B204E9800998ECF8427E";
    private static final String SHA1 = "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709";
    private static final String SHA256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SHA1=" + SHA1 + ",MD5=" + MD5 + ",SHA256=" + SHA256 + ",IMPHASH=" + MD5 + " | " + SHA256,
        "MD5=" + MD5 + ",SHA1=" + SHA1 + "                                           | " + SHA1,
        "IMPHASH=" + SHA1 + ",MD5=" + MD5 + "                                        | " + MD5,
        "sha256=" + SHA256 + "                                                       | " + SHA256,
        "SHA256=" + SHA256 + "                                                       | " + SHA256,
        "SHA256=nothex,MD5=" + MD5 + "                                               | " + MD5,
        SHA256 + "                                                                   | " + SHA256,
        SHA1 + "                                                                     | " + SHA1,
        MD5 + "                                                                      | " + MD5,
    })
    void theStrongestDigestWinsInLowerCase(String text, String expected) {
        assertThat(Hashes.strongest(text.strip())).isEqualTo(expected.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "-", "abc", "IMPHASH=" + MD5, "SHA256=", "=" + SHA256, "zz41d8cd98f00b204e9800998ecf8427e",
        MD5 + "0"})
    void noDigestIsNoHash(String text) {
        assertThat(Hashes.strongest(text)).isNull();
    }
}
