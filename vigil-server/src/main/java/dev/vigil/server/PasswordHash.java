package dev.vigil.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, base64
 * without padding), computed by Bouncy Castle's {@link Argon2BytesGenerator}.
 *
 * <p>New hashes use OWASP's recommended minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane, a 16-byte random
 * salt and a 32-byte hash (about 30 ms here). A stored hash keeps its own parameters, so raising them later still
 * verifies old hashes. Comparison is constant-time.
 */
final class PasswordHash {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    /** Verified against when the user does not exist, so that the answer takes as long either way. */
    private static final String DUMMY = hash("not a password of anyone".toCharArray());

    private PasswordHash() {}

    /** A new Argon2id hash of the password, with a fresh salt. */
    static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /** Whether the password matches the stored PHC string; false for a malformed or null string. */
    static boolean verify(String stored, char[] password) {
        Matcher phc = stored == null ? null : PHC.matcher(stored);
        if (phc == null || !phc.matches()) {
            return false;
        }
        int memory = Integer.parseInt(phc.group(1));
        int iterations = Integer.parseInt(phc.group(2));
        int parallelism = Integer.parseInt(phc.group(3));
        if (memory < 8 * parallelism || memory > 4 * 1024 * 1024 || iterations < 1 || parallelism < 1) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(phc.group(4));
        byte[] expected = Base64.getDecoder().decode(phc.group(5));
        byte[] actual = argon2(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification and answers false: for a user name that does not exist. */
    static boolean verifyNobody(char[] password) {
        verify(DUMMY, password);
        return false;
    }

    private static byte[] argon2(char[] password, byte[] salt, int memory, int iterations, int parallelism,
            int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
        return out;
    }
}
