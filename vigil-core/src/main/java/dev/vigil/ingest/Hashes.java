package dev.vigil.ingest;

import java.util.Locale;

/** Picks the strongest file hash out of the forms logs use. */
final class Hashes {
    private Hashes() {}

    /**
     * From Sysmon's {@code SHA1=..,MD5=..,SHA256=..,IMPHASH=..} the SHA256, else SHA1, else MD5; a bare hex digest of
     * 32, 40 or 64 characters as it is. Lower-case hex; null if there is no hash.
     */
    static String strongest(String text) {
        if (text.indexOf('=') < 0) {
            return isDigest(text) ? text.toLowerCase(Locale.ROOT) : null;
        }
        String sha256 = null;
        String sha1 = null;
        String md5 = null;
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String algorithm = part.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            String digest = part.substring(eq + 1).strip();
            if (!isDigest(digest)) {
                continue;
            }
            switch (algorithm) {
                case "SHA256" -> sha256 = digest;
                case "SHA1" -> sha1 = digest;
                case "MD5" -> md5 = digest;
                default -> { } // IMPHASH and others identify imports, not the file
            }
        }
        String best = sha256 != null ? sha256 : sha1 != null ? sha1 : md5;
        return best == null ? null : best.toLowerCase(Locale.ROOT);
    }

    private static boolean isDigest(String s) {
        int n = s.length();
        if (n != 32 && n != 40 && n != 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
