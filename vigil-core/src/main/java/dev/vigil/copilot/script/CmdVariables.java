package dev.vigil.copilot.script;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * cmd's {@code set name=value} followed by {@code %name%}, {@code !name!}, {@code %name:~start,length%} and
 * {@code %name:old=new%}: each reference after a {@code set} becomes the value set last before it. Substrings of a
 * few variables every Windows host defines ({@code %COMSPEC:~-7,1%}) resolve to their default values too; other
 * variables that the script does not set stay as they are.
 */
final class CmdVariables implements Pass {
    private static final String NAME = "[A-Za-z_][\\w#$.-]{0,63}+";
    private static final String REFERENCE_BODY = "(" + NAME + ")(?::~\\s*+(-?\\d{1,6}+)(?:\\s*+,\\s*+(-?\\d{1,6}+))?"
            + "|:([^%!=\\r\\n]{1,256}+)=([^%!\\r\\n]{0,256}+))?";
    private static final Pattern SYNTAX = Pattern.compile("(?i)(?<![\\w.-])set\\s++(?:\"(" + NAME
            + ")=([^\"\\r\\n]{0,4096}+)\"|(" + NAME + ")=([^&|\\r\\n\"]{0,4096}+))"
            + "|%" + REFERENCE_BODY + "%|!" + REFERENCE_BODY + "!");
    private static final Pattern REFERENCE = Pattern.compile("%" + REFERENCE_BODY + "%|!" + REFERENCE_BODY + "!");

    /** Defaults of a Windows 10 or 11 host, for substrings of variables that obfuscators rely on. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "comspec", "C:\\WINDOWS\\system32\\cmd.exe",
            "windir", "C:\\WINDOWS",
            "systemroot", "C:\\WINDOWS",
            "public", "C:\\Users\\Public",
            "programdata", "C:\\ProgramData",
            "allusersprofile", "C:\\ProgramData",
            "programfiles", "C:\\Program Files",
            "commonprogramfiles", "C:\\Program Files\\Common Files",
            "pathext", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC");

    @Override
    public Obfuscation obfuscation() {
        return Obfuscation.CMD_VARIABLES;
    }

    @Override
    public Rewrite apply(String text, Context context) {
        if (text.indexOf('%') < 0 && text.indexOf('!') < 0) {
            return Rewrite.NONE;
        }
        Map<String, String> variables = new HashMap<>();
        Matcher matcher = SYNTAX.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int rewrites = 0;
        String before = "";
        String after = "";
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) != null || matcher.group(3) != null) {
                boolean quoted = matcher.group(1) != null;
                String name = quoted ? matcher.group(1) : matcher.group(3);
                String rawValue = quoted ? matcher.group(2) : matcher.group(4);
                String value = expandAll(rawValue, variables);
                variables.put(name.toLowerCase(Locale.ROOT), value);
                replacement = value.equals(rawValue) ? null
                        : matcher.group().substring(0, matcher.group().length() - rawValue.length() - (quoted ? 1 : 0))
                                + value + (quoted ? "\"" : "");
            } else {
                int offset = matcher.group(5) != null ? 5 : 10;
                replacement = expand(matcher, offset, variables);
            }
            if (replacement == null || replacement.equals(matcher.group())) {
                continue;
            }
            if (rewrites == 0) {
                before = Literals.excerpt(matcher.group(), Literals.EXCERPT);
                after = Literals.excerpt(replacement, Literals.EXCERPT);
            }
            out.append(text, copied, matcher.start()).append(replacement);
            copied = matcher.end();
            rewrites++;
        }
        if (rewrites == 0) {
            return Rewrite.NONE;
        }
        out.append(text, copied, text.length());
        return new Rewrite(out.toString(), rewrites, before, after);
    }

    private static String expandAll(String value, Map<String, String> variables) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        while (matcher.find()) {
            String replacement = expand(matcher, matcher.group(1) != null ? 1 : 6, variables);
            if (replacement != null) {
                out.append(value, copied, matcher.start()).append(replacement);
                copied = matcher.end();
            }
        }
        return out.append(value, copied, value.length()).toString();
    }

    /** The expansion of the reference whose groups start at {@code first}, or null if it cannot be known. */
    private static String expand(Matcher matcher, int first, Map<String, String> variables) {
        String name = matcher.group(first).toLowerCase(Locale.ROOT);
        String start = matcher.group(first + 1);
        String length = matcher.group(first + 2);
        String old = matcher.group(first + 3);
        String value = variables.get(name);
        if (value == null && (start != null || old != null)) {
            value = DEFAULTS.get(name);
        }
        // A value that refers to variables again could grow with every round; it stays as it is.
        if (value == null || value.indexOf('%') >= 0 || value.indexOf('!') >= 0) {
            return null;
        }
        if (start != null) {
            return substring(value, Integer.parseInt(start), length == null ? null : Integer.parseInt(length));
        }
        if (old != null) {
            String replacement = matcher.group(first + 4);
            if (old.startsWith("*")) {
                int at = value.toLowerCase(Locale.ROOT).indexOf(old.substring(1).toLowerCase(Locale.ROOT));
                return at < 0 ? value : replacement + value.substring(at + old.length() - 1);
            }
            return Pattern.compile(Pattern.quote(old), Pattern.CASE_INSENSITIVE).matcher(value)
                    .replaceAll(Matcher.quoteReplacement(replacement));
        }
        return value;
    }

    /** {@code %var:~start,length%} as cmd reads it: negative start counts from the end, negative length too. */
    static String substring(String value, int start, Integer length) {
        int from = start < 0 ? Math.max(0, value.length() + start) : Math.min(start, value.length());
        int to;
        if (length == null) {
            to = value.length();
        } else if (length < 0) {
            to = Math.max(from, value.length() + length);
        } else {
            to = Math.min(value.length(), from + length);
        }
        return value.substring(from, Math.max(from, to));
    }
}
