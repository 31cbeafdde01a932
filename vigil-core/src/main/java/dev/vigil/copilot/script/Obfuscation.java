package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** An obfuscation technique that the analyzer knows how to undo, in the order it tries them within a round. */
public enum Obfuscation {
    ENCODED_COMMAND("a base64 script of UTF-16LE text passed to powershell -EncodedCommand"),
    BASE64("base64 text decoded by [Convert]::FromBase64String and [Text.Encoding]::...GetString"),
    COMPRESSION("a gzip or deflate payload in base64, read through IO.Compression and a StreamReader"),
    CARET_ESCAPES("cmd caret escapes inside words (p^o^w^e^r^s^h^e^l^l)"),
    CMD_VARIABLES("cmd variables set in the script and expanded, also as %var:~start,length% substrings"),
    BACKTICK_ESCAPES("PowerShell backtick escapes inside words (I`E`X) and quoted member names (.\"Split\")"),
    CHAR_CODES("characters written as numeric codes ([char]72, [char[]](72,105), (72,105)|%{[char]$_})"),
    FORMAT_STRING("a string assembled by the format operator (\"{1}{0}\" -f 'ell','sh')"),
    CONCATENATION("a string split into concatenated pieces ('Inv'+'oke')"),
    REPLACE("characters swapped out by -replace or .Replace() on a literal"),
    REVERSAL("a string written backwards and reversed at run time"),
    SPLIT_JOIN("a string split apart or joined from pieces by -split, -join or .Split()"),
    CONSTANT_VARIABLES("variables assigned a string once and used later, replaced by that string"),
    INVOKE_WRAPPER("a literal string run by Invoke-Expression, [scriptblock]::Create or the call operator");

    private final String description;

    Obfuscation(String description) {
        this.description = requireNonNull(description, "description is null");
    }

    /** What the obfuscation looks like, in a phrase. */
    public String description() {
        return description;
    }

    /** The lower-case name shown to users and in JSON, such as {@code encoded-command}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
