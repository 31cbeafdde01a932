package dev.vigil.copilot.script;

import java.util.Locale;

/** The language a pasted script is written in, as far as its first command and its syntax tell. */
public enum ScriptLanguage {
    /** Windows PowerShell or PowerShell 7, also a command line that starts {@code powershell.exe}. */
    POWERSHELL,
    /** The Windows command shell: {@code cmd.exe} command lines and batch files. */
    CMD,
    /** Neither recognisably. */
    UNKNOWN;

    /** The lower-case name shown to users and in JSON: {@code powershell}, {@code cmd}, {@code unknown}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
