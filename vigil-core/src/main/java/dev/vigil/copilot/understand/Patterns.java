package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import dev.vigil.intel.text.Found;
import dev.vigil.intel.text.TechniqueNames;
import dev.vigil.intel.text.TextIndicators;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typed extractors: entities recognized by their shape, whatever the tenant stores.
 *
 * <p>Indicators (IP addresses, networks, domains, URLs, e-mail addresses, hashes) and CVE ids come from
 * {@link TextIndicators}, which the threat-article skill uses too, so that the copilot and the skill agree on what an
 * indicator is: defanged forms, file names that are not domains ({@code lsass.exe}, {@code invoice.pdf}), versions
 * that are not addresses ({@code 10.0.19041}, "version 1.2.3.4"), prefixes out of range ({@code 1.2.3.4/33} is an
 * address, not a network). A 32-digit hex run in braces is a GUID, not a hash.
 *
 * <p>ATT&amp;CK ids are read in any case ({@code t1003.001}): {@code T1234} and {@code T1234.001} are techniques,
 * {@code TA0001} tactics, {@code G0016} groups. Software ids ({@code S0002}) are left out.
 */
final class Patterns {
    private Patterns() {}

    private static final Pattern TECHNIQUE_ID = Pattern.compile(
            "(?i)(?<![\\w.])(t\\d{4})(?:[./](\\d{3}))?(?![\\w]|\\.\\d)");
    private static final Pattern TACTIC_ID = Pattern.compile("(?i)(?<![\\w.])ta\\d{4}(?![\\w]|\\.\\d)");
    private static final Pattern GROUP_ID = Pattern.compile("(?i)(?<![\\w.])g\\d{4}(?![\\w]|\\.\\d)");

    /** Indicators, CVE ids and ATT&amp;CK ids in the normalized text. */
    static void typed(String text, List<Candidate> into) {
        if (mayHoldIndicators(text)) {
            indicators(text, into);
        }
        ids(text, TECHNIQUE_ID, EntityType.TECHNIQUE, into);
        ids(text, TACTIC_ID, EntityType.TACTIC, into);
        ids(text, GROUP_ID, EntityType.ACTOR, into);
    }

    /**
     * Whether the text may hold an indicator or a CVE id: a dot, colon or at-sign (defanged or not), a run of 32 hex
     * digits, "cve", or a dot spelled out. Most questions hold none, and this look is far cheaper than the search.
     */
    private static boolean mayHoldIndicators(String text) {
        int hexRun = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == ':' || c == '@' || c == '\u3002' || c == '\uFF0E' || c == '\uFF61') {
                return true;
            }
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            hexRun = hex ? hexRun + 1 : 0;
            if (hexRun >= 32) {
                return true;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("cve") || lower.contains(" dot ") || lower.contains("[at]") || lower.contains("(at)");
    }

    private static void indicators(String text, List<Candidate> into) {
        for (Found found : TextIndicators.extract(text, TechniqueNames.none()).all()) {
            EntityType type = switch (found.kind()) {
                case IPV4, IPV6 -> EntityType.IP;
                case CIDR -> EntityType.CIDR;
                case DOMAIN -> EntityType.DOMAIN;
                case URL -> EntityType.URL;
                case EMAIL -> EntityType.EMAIL;
                case MD5, SHA1, SHA256 -> EntityType.HASH;
                case CVE -> EntityType.CVE;
                case ATTACK_TECHNIQUE -> EntityType.TECHNIQUE;
            };
            if (type == EntityType.HASH && isGuid(text, found.start(), found.end())) {
                continue;
            }
            into.add(Candidate.of(type, found.value(), found.original(), found.start(), found.end(), 1.0,
                    Candidate.Source.PATTERN));
        }
    }

    private static boolean isGuid(String text, int start, int end) {
        return start > 0 && end < text.length() && text.charAt(start - 1) == '{' && text.charAt(end) == '}';
    }

    private static void ids(String text, Pattern pattern, EntityType type, List<Candidate> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            String id = matcher.group().toUpperCase(Locale.ROOT).replace('/', '.');
            into.add(Candidate.of(type, id, matcher.group(), matcher.start(), matcher.end(), 1.0,
                    Candidate.Source.PATTERN));
        }
    }

    // ------------------------------------------------------------------------------------------------ scripts

    private static final List<String> COMMAND_NAMES = List.of("powershell", "pwsh", "cmd", "rundll32", "regsvr32",
            "mshta", "wscript", "cscript", "certutil", "bitsadmin", "wmic", "schtasks", "psexec", "curl", "wget",
            "bash");
    private static final Pattern COMMAND = Pattern.compile("(?i)(?<![\\w.\\\\/-])(?:"
            + String.join("|", COMMAND_NAMES) + ")(?:\\.exe)?(?=\\s+[-/])");
    private static final List<Pattern> POWERSHELL_SYNTAX = List.of(Pattern.compile("\\$\\w+\\s*="),
            Pattern.compile("(?i)\\b(?:invoke|new|get|set|start|add|remove|out|convertto|convertfrom)-[a-z]+"),
            Pattern.compile("(?i)\\biex\\b"), Pattern.compile("\\[[\\w.]+\\]::"),
            Pattern.compile("(?i)frombase64string"),
            Pattern.compile("(?i)-(?:enc|encodedcommand|executionpolicy|nop|w hidden|windowstyle)\\b"),
            Pattern.compile("\\|\\s*%\\s*\\{|\\|\\s*(?i:foreach|where)-object"));
    private static final int LONG_LINE = 60;
    private static final Set<String> PROSE_AFTER_COMMAND = Set.of("on", "in", "for", "from", "since", "during",
            "at", "by", "yesterday", "today", "last", "past", "and", "or", "was", "is", "ran", "run");

    /**
     * Scripts and command lines: a fenced code block; a command in backticks or quotes; an unquoted command line
     * (an interpreter or a living-off-the-land binary followed by a switch: {@code powershell -enc ...},
     * {@code cmd /c ...}) to the end of its line, without a question mark or prose after it ("... on ws5"); a long
     * line with PowerShell syntax.
     */
    static void scripts(Prompt prompt, List<Candidate> into) {
        String text = prompt.text();
        for (Token token : prompt.tokens()) {
            if (token.kind() == Token.Kind.CODE) {
                into.add(Candidate.of(EntityType.SCRIPT, token.content(), token.text(), token.start(), token.end(), 1.0,
                        Candidate.Source.PATTERN));
            } else if (token.kind() == Token.Kind.QUOTED && looksLikeCommand(token.content())) {
                into.add(Candidate.of(EntityType.SCRIPT, token.content(), token.text(), token.start(), token.end(), 1.0,
                        Candidate.Source.PATTERN));
            }
        }
        Matcher command = COMMAND.matcher(text);
        String lower = prompt.lowerCase();
        boolean mayHoldCommand = COMMAND_NAMES.stream().anyMatch(lower::contains);
        while (mayHoldCommand && command.find()) {
            int start = command.start();
            if (insideQuotes(prompt, start)) {
                continue; // the quoted command is read whole above
            }
            int lineEnd = text.indexOf('\n', start);
            int end = trimCommand(text, start, lineEnd < 0 ? text.length() : lineEnd);
            into.add(Candidate.of(EntityType.SCRIPT, text.substring(start, end), text.substring(start, end), start,
                    end, 0.9, Candidate.Source.PATTERN));
        }
        int lineStart = 0;
        while (lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd;
            String line = text.substring(lineStart, lineEnd);
            if (line.length() >= LONG_LINE && powerShellMarkers(line) >= 2) {
                into.add(Candidate.of(EntityType.SCRIPT, line.strip(), line, lineStart, lineEnd, 0.8,
                        Candidate.Source.PATTERN));
            }
            lineStart = lineEnd + 1;
        }
    }

    private static boolean insideQuotes(Prompt prompt, int offset) {
        for (Token token : prompt.tokens()) {
            if ((token.kind() == Token.Kind.QUOTED || token.kind() == Token.Kind.CODE) && token.start() <= offset
                    && offset < token.end()) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeCommand(String content) {
        String trimmed = content.strip();
        if (trimmed.indexOf(' ') < 0) {
            return false;
        }
        Matcher command = COMMAND.matcher(trimmed);
        return (command.lookingAt()) || powerShellMarkers(trimmed) >= 1
                || trimmed.matches("(?i)^[\\w.\\\\:-]+\\.(?:exe|ps1|bat|cmd|vbs|js)\\s+.*");
    }

    private static int powerShellMarkers(String line) {
        int markers = 0;
        for (Pattern marker : POWERSHELL_SYNTAX) {
            if (marker.matcher(line).find()) {
                markers++;
            }
        }
        return markers;
    }

    /** The end of an unquoted command: before a final question mark or full stop, and before prose after it. */
    private static int trimCommand(String text, int start, int end) {
        String[] words = text.substring(start, end).split(" ");
        int offset = start;
        int proseAt = -1;
        boolean quoted = false;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            quoted ^= (word.chars().filter(c -> c == '"' || c == '\'').count() % 2) == 1;
            if (i >= 2 && !quoted && proseAt < 0 && PROSE_AFTER_COMMAND.contains(word.toLowerCase(Locale.ROOT))
                    && restIsProse(words, i + 1)) {
                proseAt = offset;
            }
            offset += word.length() + 1;
        }
        int cut = proseAt >= 0 ? proseAt - 1 : end;
        while (cut > start && " ?.,;!".indexOf(text.charAt(cut - 1)) >= 0) {
            cut--;
        }
        return cut;
    }

    private static boolean restIsProse(String[] words, int from) {
        for (int i = from; i < words.length; i++) {
            String word = words[i];
            if (word.isEmpty() || "-/$|\"'`%[{(".indexOf(word.charAt(0)) >= 0 || word.contains("\\")) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ pasted text

    private static final int PASTED_TEXT = 400;
    private static final int LEAD_IN = 200;

    /**
     * A pasted article: a prompt over {@value #PASTED_TEXT} characters with at least three sentences. The body
     * starts after a short first line ("What's our exposure to this?" then the article) or after a short lead-in
     * that ends with a colon or a question mark; otherwise it is the whole prompt.
     */
    static void pastedText(String text, List<Candidate> into) {
        if (text.length() <= PASTED_TEXT || sentences(text) < 3) {
            return;
        }
        int start = 0;
        int lineBreak = text.indexOf('\n');
        if (lineBreak > 0 && lineBreak <= LEAD_IN && text.length() - lineBreak > PASTED_TEXT / 2) {
            start = lineBreak + 1;
        } else {
            for (int i = 0; i < Math.min(LEAD_IN, text.length() - 1); i++) {
                char c = text.charAt(i);
                if ((c == ':' || c == '?') && Character.isWhitespace(text.charAt(i + 1))) {
                    start = i + 2;
                    break;
                }
            }
        }
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        String body = text.substring(start);
        into.add(Candidate.of(EntityType.TEXT, body, body, start, text.length(), 0.9, Candidate.Source.PATTERN));
    }

    private static int sentences(String text) {
        int sentences = 0;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i))
                    && Character.isLetter(text.charAt(Math.max(0, i - 2)))) {
                sentences++;
            }
        }
        return sentences + (text.strip().matches("(?s).*[.!?]$") ? 1 : 0);
    }
}
