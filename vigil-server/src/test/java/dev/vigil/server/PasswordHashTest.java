package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Argon2id password hashes in the PHC string format. */
class PasswordHashTest {
    @Test
    void aHashIsAnArgon2idPhcStringWithOwaspParametersAndAFreshSalt() {
        String first = PasswordHash.hash("correct horse battery".toCharArray());
        String second = PasswordHash.hash("correct horse battery".toCharArray());
        assertThat(first).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(first).isNotEqualTo(second);
        assertThat(PasswordHash.verify(first, "correct horse battery".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(second, "correct horse battery".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(first, "correct horse batterY".toCharArray())).isFalse();
    }

    @Test
    void theParametersAreReadFromTheStoredStringNotAssumed() {
        String stored = PasswordHash.hash("password".toCharArray());
        assertThat(PasswordHash.verify(stored.replace("m=19456", "m=1024"), "password".toCharArray())).isFalse();
        assertThat(PasswordHash.verify(stored.replace("t=2", "t=1"), "password".toCharArray())).isFalse();
    }

    @Test
    void aHashWithOtherParametersStillVerifies() {
        // a hash made with lower parameters before they were raised keeps working
        byte[] salt = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        org.bouncycastle.crypto.generators.Argon2BytesGenerator generator =
                new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id).withVersion(0x13).withMemoryAsKB(1024)
                .withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        generator.generateBytes("legacy".getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String stored = "$argon2id$v=19$m=1024,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
        assertThat(PasswordHash.verify(stored, "legacy".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(stored, "legacY".toCharArray())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"})
    void aMalformedOrForeignHashNeverVerifies(String stored) {
        assertThat(PasswordHash.verify(stored, "anything".toCharArray())).isFalse();
    }
}
