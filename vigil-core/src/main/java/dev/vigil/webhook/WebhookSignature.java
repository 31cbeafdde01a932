package dev.vigil.webhook;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Vigil signs what it POSTs to a webhook (approved response actions, scheduled reports), so the receiver can tell
 * it came from Vigil and was not replayed: the scheme GitHub and Stripe webhooks use.
 *
 * <ul>
 *   <li>{@value #TIMESTAMP_HEADER}: seconds since the epoch when it was sent;
 *   <li>{@value #SIGNATURE_HEADER}: {@code sha256=} and the hex HMAC-SHA256, keyed with the shared secret, of the
 *       timestamp, a dot and the body's bytes.
 * </ul>
 *
 * A receiver recomputes the HMAC over the raw body it got, compares in constant time ({@link #verify}), and rejects
 * timestamps more than a few minutes old.
 */
public final class WebhookSignature {
    public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    /** The shortest secret accepted: shorter ones can be guessed. */
    public static final int MIN_SECRET_LENGTH = 16;

    private WebhookSignature() {}

    /** The {@value #SIGNATURE_HEADER} value for a body sent at {@code timestamp} (epoch seconds, as text). */
    public static String header(byte[] secret, String timestamp, byte[] body) {
        return "sha256=" + hmac(secret, timestamp, body);
    }

    /** Whether {@code header} is the signature of {@code body} at {@code timestamp}, compared in constant time. */
    public static boolean verify(byte[] secret, String timestamp, byte[] body, String header) {
        if (header == null || timestamp == null) {
            return false;
        }
        return MessageDigest.isEqual(header(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }

    /** The hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret}. */
    public static String hmac(byte[] secret, String timestamp, byte[] body) {
        requireNonNull(secret, "secret is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(body, "body is null");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
