package dev.vigil.copilot.script;

import java.util.Locale;

/** How alarming one recognised behaviour is on its own, from plain information to clearly malicious. */
public enum Severity {
    /** Ordinary in administration scripts too, such as {@code whoami} or {@code ipconfig}. */
    INFO,
    /** Common in attacks but also in legitimate scripts, such as a hidden window or a download. */
    SUSPICIOUS,
    /** Hardly ever legitimate, such as an AMSI bypass, an LSASS dump or deleting shadow copies. */
    MALICIOUS;

    /** The lower-case name shown to users and in JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
