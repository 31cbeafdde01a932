package dev.vigil.intel.text;

import static java.util.Objects.requireNonNull;

/**
 * One thing found in a text: an indicator, a CVE id or an ATT&amp;CK technique.
 *
 * @param kind what it is
 * @param value its normalized form, the one to match and look up: refanged; domains, URL schemes and hosts, e-mail
 *     addresses and hashes lower-case; IP addresses canonical (IPv4 in plain decimal, IPv6 per RFC 5952, zone id
 *     dropped); CVE and technique ids upper-case ({@code CVE-2024-3400}, {@code T1003.001}); a technique named in
 *     words has its id as the value
 * @param original the text as written, defanging and all: exactly {@code text.substring(start, end)}
 * @param start where it starts in the text, as a {@code char} index
 * @param end where it ends, exclusive
 */
public record Found(Kind kind, String value, String original, int start, int end) {
    /** What was found. */
    public enum Kind {
        /** An IPv4 address, such as {@code 203.0.113.7}. */
        IPV4,
        /** An IPv6 address, such as {@code 2001:db8::7}. */
        IPV6,
        /** An IPv4 or IPv6 network in CIDR notation, such as {@code 198.51.100.0/24}. */
        CIDR,
        /** A domain name under a known top-level domain, such as {@code evil.example.com}. */
        DOMAIN,
        /** An http, https, ftp, ftps, sftp, ws or wss URL. */
        URL,
        /** An e-mail address. */
        EMAIL,
        /** A 32-digit hexadecimal hash. */
        MD5,
        /** A 40-digit hexadecimal hash. */
        SHA1,
        /** A 64-digit hexadecimal hash. */
        SHA256,
        /** A CVE id, such as {@code CVE-2021-44228}. */
        CVE,
        /** An ATT&amp;CK technique or sub-technique id, such as {@code T1003} or {@code T1003.001}. */
        ATTACK_TECHNIQUE
    }

    public Found {
        requireNonNull(kind, "kind is null");
        requireNonNull(value, "value is null");
        requireNonNull(original, "original is null");
        if (start < 0 || end <= start || original.length() != end - start) {
            throw new IllegalArgumentException("'" + original + "' cannot span [" + start + ", " + end
                    + "): the span must be non-empty, start at 0 or later and be as long as the original");
        }
    }
}
