package dev.vigil.intel.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds technique names in text: case-insensitively, on word boundaries, the longest name first.
 *
 * <p>A word boundary is anything but a letter, a digit, {@code _} or {@code -}: "Phishing" is not found inside
 * "Spearphishing" nor in "anti-phishing" or "phishing-resistant". A space or a hyphen in a name matches a run of
 * white space or one hyphen in the text, so "pass-the-hash" is "Pass the Hash", "drive by compromise" is
 * "Drive-by Compromise", and a name may break across lines.
 *
 * <p>Some names are left out because in a report they are ordinary words far more often than a technique: names of
 * fewer than four characters ("At", "DNS", "SSH") and the {@link #GENERIC_NAMES generic names} below. Their
 * techniques are still found by id, and by longer names that contain them ("Scheduled Task/Job: At").
 *
 * <p>The names live in a trie of characters, so that the text is read once whatever the number of names.
 */
final class TechniqueNameMatcher {
    /** A name found, as a span of the searched text, and its technique id. */
    record Match(int start, int end, String id) {}

    private static final int SHORTEST_NAME = 4;
    /** What a space, a run of white space or a hyphen reads as. */
    private static final char SEPARATOR = ' ';

    /**
     * ATT&CK names (mostly of Resource Development and Reconnaissance sub-techniques) that reports use as plain
     * words: "the malware", "attacker-controlled domains", "IP addresses", "a SharePoint server".
     */
    static final Set<String> GENERIC_NAMES = Set.of("botnet", "business relationships", "code repositories",
            "confluence", "credentials", "digital certificates", "dns server", "domains", "email accounts",
            "email addresses", "employee names", "exploits", "firmware", "hardware", "ip addresses", "malware",
            "multi-factor authentication", "network devices", "network topology", "proxy", "search engines", "server",
            "serverless", "sharepoint", "social media", "social media accounts", "software", "tool", "trap",
            "virtual private server", "vulnerabilities", "web service", "web services");

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        String id;
    }

    private final Node root;
    private final boolean empty;

    private TechniqueNameMatcher(Node root, boolean empty) {
        this.root = root;
        this.empty = empty;
    }

    static TechniqueNameMatcher of(TechniqueNames names) {
        Node root = new Node();
        boolean empty = true;
        for (String raw : names.names()) {
            String name = MapTechniqueNames.key(raw);
            if (name.length() < SHORTEST_NAME || GENERIC_NAMES.contains(name)) {
                continue;
            }
            String id = names.idOf(name).orElse(null);
            if (id == null) {
                continue;
            }
            Node node = root;
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i) == '-' ? SEPARATOR : name.charAt(i);
                node = node.children.computeIfAbsent(c, key -> new Node());
            }
            if (node.id == null) {
                node.id = id; // "drive-by x" and "drive by x" are one name; the first keeps it
            }
            empty = false;
        }
        return new TechniqueNameMatcher(root, empty);
    }

    /** The names in the text, left to right, none overlapping another. */
    List<Match> find(String text) {
        List<Match> matches = new ArrayList<>();
        if (empty) {
            return matches;
        }
        int i = 0;
        while (i < text.length()) {
            char first = text.charAt(i);
            Match match = isWordChar(first) && i > 0 && isWordChar(text.charAt(i - 1)) ? null : longestAt(text, i);
            if (match != null) {
                matches.add(match);
                i = match.end();
            } else {
                i++;
            }
        }
        return matches;
    }

    /** The longest name written at {@code start} and ending on a word boundary, or null. */
    private Match longestAt(String text, int start) {
        Match longest = null;
        Node node = root;
        int j = start;
        while (j < text.length()) {
            char c = text.charAt(j);
            char symbol;
            if (Character.isWhitespace(c)) {
                symbol = SEPARATOR;
                while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
            } else {
                symbol = c == '-' ? SEPARATOR : Character.toLowerCase(c);
                j++;
            }
            node = node.children.get(symbol);
            if (node == null) {
                break;
            }
            boolean endsOnBoundary = !isWordChar(symbol) || j == text.length() || !isWordChar(text.charAt(j));
            if (node.id != null && endsOnBoundary) {
                longest = new Match(start, j, node.id);
            }
        }
        return longest;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
