package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An indicator of compromise found in the deobfuscated script.
 *
 * @param type what it is
 * @param value its normalized form: refanged ({@code hxxp} and {@code [.]} undone), domains, URL hosts, e-mail
 *     addresses and hashes lower-case, registry keys with their hive written short ({@code HKLM\...})
 * @param statement the first statement it was found in, shortened to about 300 characters
 */
public record Indicator(Type type, String value, String statement) {
    public Indicator {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        requireNonNull(statement, "statement is null");
    }

    /** The kinds of indicator the analyzer reports. */
    public enum Type {
        URL,
        IPV4,
        IPV6,
        /** A domain name: a URL's host, a UNC path's server, or a name under a known top-level domain. */
        DOMAIN,
        EMAIL,
        /** A Windows file path: drive-letter, UNC ({@code \\server\share\...}) or starting with an environment variable. */
        FILE_PATH,
        REGISTRY_KEY,
        MD5,
        SHA1,
        SHA256;

        /** The lower-case name shown to users and in JSON, such as {@code file-path}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
