package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.OwnerOnlyFiles;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts connector secrets at rest with AES-256-GCM under a key kept in one file of the data directory
 * ({@value #KEY_FILE}), created on first use with owner-only permissions (0600). The associated data binds each
 * ciphertext to its tenant and connector, so a secret copied onto another connector does not decrypt. Losing the key
 * file loses the secrets (add the connectors again); whoever reads it can decrypt them, so protect and back it up like
 * the secrets themselves.
 */
public final class SecretBox {
    /** The key file's name inside the data directory. */
    public static final String KEY_FILE = "connectors.key";
    private static final String PREFIX = "aesgcm1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Path keyFile;

    private SecretBox(byte[] key, Path keyFile) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyFile = keyFile;
    }

    /** The box of this data directory, creating its key file (0600) when there is none yet. */
    public static SecretBox open(Path dataDirectory) {
        Path file = dataDirectory.resolve(KEY_FILE);
        try {
            Files.createDirectories(dataDirectory);
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                try {
                    create(file, Base64.getEncoder().encode(fresh));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                throw new VigilException(ErrorCode.CONNECTOR_INVALID, "the key file " + file
                        + " does not hold a 256-bit key", "Restore the key file from its backup, or remove it and add"
                        + " the connectors again with their secrets.", null);
            }
            return new SecretBox(key, file);
        } catch (IOException | IllegalArgumentException e) {
            throw new VigilException(ErrorCode.CONNECTOR_INVALID, "cannot read or create the key file " + file + ": "
                    + e.getMessage(), "Check the data directory's permissions; restore the key file from its backup.", e);
        }
    }

    private static void create(Path file, byte[] content) throws IOException {
        Files.createFile(file, OwnerOnlyFiles.attributes());
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The secret encrypted for this tenant's connector, as text for the configuration file. */
    public String seal(String secret, String tenant, String connector) {
        requireNonNull(secret, "secret is null");
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associated(tenant, connector));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new VigilException(ErrorCode.INTERNAL, "AES-GCM is not available: " + e, e);
        }
    }

    /** The secret that {@link #seal} encrypted for this tenant's connector. */
    public String open(String sealed, String tenant, String connector) {
        requireNonNull(sealed, "sealed is null");
        String fix = "The key file " + keyFile + " is not the one the secret was encrypted with: restore that key file"
                + " from its backup, or store the secret again with `vigil connectors add " + connector
                + " ... --client-secret-env VAR`.";
        if (!sealed.startsWith(PREFIX)) {
            throw new VigilException(ErrorCode.CONNECTOR_INVALID, "the secret of connector '" + connector
                    + "' is not in the encrypted form Vigil writes", fix, null);
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(associated(tenant, connector));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new VigilException(ErrorCode.CONNECTOR_INVALID, "the secret of connector '" + connector
                    + "' of tenant '" + tenant + "' cannot be decrypted with " + keyFile, fix, e);
        }
    }

    private static byte[] associated(String tenant, String connector) {
        return ("vigil-connector\n" + tenant + "\n" + connector).getBytes(StandardCharsets.UTF_8);
    }
}
