package dev.vigil.copilot.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces what must not reach a model by placeholders, consistently across one conversation, and puts the
 * originals back in what the model answers.
 *
 * <p>Secrets ({@code SECRET_n}: private keys, cloud and API keys, bearer tokens, JWTs, {@code password=...} values)
 * are always replaced. When identities are redacted, so are e-mail addresses ({@code EMAIL_n}), IP addresses
 * ({@code IP_n}), <code>DOMAIN&#92;user</code> accounts and the tenant's known user names ({@code USER_n}) and the tenant's
 * known host names ({@code HOST_n}). The same value gets the same placeholder every time, whatever its case, so the
 * model can still reason that two mentions are one host.
 *
 * <p>One instance serves one conversation (plan and composition of one answer); it is not safe for use from several
 * threads.
 */
public final class Redactor {
    /** A placeholder as it appears in text. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\b(USER|HOST|IP|EMAIL|SECRET)_(\\d{1,5})\\b");

    private static final List<Pattern> SECRETS = List.of(
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
            Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}\\b"),
            Pattern.compile("\\bxox[abpr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));
    /** A secret that follows a keyword: only the value (group 2) is replaced. */
    private static final List<Pattern> KEYED_SECRETS = List.of(
            Pattern.compile("(?i)\\b(bearer\\s+)([A-Za-z0-9._~+/-]{12,}=*)"),
            Pattern.compile("(?i)\\b((?:password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|access[_-]?key)"
                    + "[\"']?\\s*[=:]\\s*)(\"[^\"\\s]{3,}\"|'[^'\\s]{3,}'|[^\\s\"',;&]{3,})"),
            Pattern.compile("(?i)(\\s-(?:p|password|pw)\\s+)([^\\s-][^\\s]{3,})"));
    private static final Pattern EMAIL = Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w.]\\d)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\\w:])|(?<![\\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:"
                    + "(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\\w:])|(?<![\\w:])::1(?![\\w:])");
    private static final Pattern DOMAIN_ACCOUNT = Pattern.compile(
            "(?<![\\w\\\\])[A-Za-z][A-Za-z0-9-]{0,14}\\\\[A-Za-z0-9._$-]{1,64}\\b");

    private final boolean identities;
    private final List<Known> hosts;
    private final List<Known> users;

    /** A known name and how to find it: restored in its stored spelling, whatever case the text used. */
    private record Known(Pattern pattern, String name) {}
    private final Map<String, String> placeholderOf = new HashMap<>();
    private final Map<String, String> originalOf = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /**
     * @param identities whether identities are replaced too (policy {@code redact} and {@code local-only}), or
     *     secrets only ({@code allow})
     * @param knownHosts host names of the tenant (inventory and stored values), matched as whole words, any case
     * @param knownUsers user names of the tenant, matched as whole words, any case
     */
    public Redactor(boolean identities, Collection<String> knownHosts, Collection<String> knownUsers) {
        this.identities = identities;
        this.hosts = words(knownHosts);
        this.users = words(knownUsers);
    }

    private static List<Known> words(Collection<String> names) {
        return names.stream().filter(n -> n != null && n.strip().length() >= 3).map(String::strip).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(n -> new Known(Pattern.compile("(?<![\\w.@\\\\-])" + Pattern.quote(n) + "(?![\\w@-]|\\.\\w)",
                        Pattern.CASE_INSENSITIVE), n))
                .toList();
    }

    /** Whether identities are replaced, or secrets only. */
    public boolean redactsIdentities() {
        return identities;
    }

    /** The text with secrets (and, when configured, identities) replaced by placeholders. */
    public String redact(String text) {
        String out = text;
        for (Pattern p : SECRETS) {
            out = replace(out, p, 0, "SECRET");
        }
        for (Pattern p : KEYED_SECRETS) {
            out = replace(out, p, 2, "SECRET");
        }
        if (!identities) {
            return out;
        }
        // identities are found together, then numbered in the order they appear
        String secretless = out;
        List<Found> found = new ArrayList<>();
        find(out, EMAIL, "EMAIL", null, found);
        find(out, DOMAIN_ACCOUNT, "USER", null, found);
        find(out, IPV4, "IP", null, found);
        find(out, IPV6, "IP", null, found);
        hosts.forEach(k -> find(secretless, k.pattern(), "HOST", k.name(), found));
        users.forEach(k -> find(secretless, k.pattern(), "USER", k.name(), found));
        found.sort(Comparator.comparingInt(Found::start).thenComparing(Found::end, Comparator.reverseOrder()));
        StringBuilder redacted = new StringBuilder();
        int at = 0;
        for (Found f : found) {
            if (f.start() < at || PLACEHOLDER.matcher(out.substring(f.start(), f.end())).matches()) {
                continue;
            }
            redacted.append(out, at, f.start()).append(placeholder(f.kind(), f.value()));
            at = f.end();
        }
        redacted.append(out.substring(at));
        return redacted.toString();
    }

    private record Found(int start, int end, String kind, String value) {}

    private static void find(String text, Pattern pattern, String kind, String canonical, List<Found> found) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(new Found(m.start(), m.end(), kind, canonical == null ? m.group() : canonical));
        }
    }


    /** The text with every placeholder this conversation gave out replaced by its original; others stay. */
    public String restore(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String original = originalOf.get(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(original == null ? m.group() : original));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholders given out, each with its original, in the order given. */
    public Map<String, String> placeholders() {
        return java.util.Collections.unmodifiableMap(originalOf);
    }

    private String replace(String text, Pattern pattern, int group, String kind) {
        return replace(text, pattern, group, kind, null);
    }

    private String replace(String text, Pattern pattern, int group, String kind, String canonical) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (m.find()) {
            String value = m.group(group);
            if (value == null || PLACEHOLDER.matcher(value).matches()) {
                continue;
            }
            out.append(text, at, m.start(group)).append(placeholder(kind, canonical == null ? value : canonical));
            at = m.end(group);
        }
        out.append(text.substring(at));
        return out.toString();
    }

    private String placeholder(String kind, String value) {
        String key = kind + ":" + value.toLowerCase(Locale.ROOT);
        return placeholderOf.computeIfAbsent(key, k -> {
            int n = counters.merge(kind, 1, Integer::sum);
            String placeholder = kind + "_" + n;
            originalOf.put(placeholder, value);
            return placeholder;
        });
    }

    /**
     * Restores placeholders in streamed text. A placeholder may be cut between two pieces, so the tail that could
     * still become one is held back until the next piece, or {@link #flush()}.
     */
    public final class StreamRestorer {
        private final StringBuilder pending = new StringBuilder();

        /** The restored text that is safe to show now. */
        public String accept(String piece) {
            pending.append(piece);
            int cut = pending.length();
            Matcher tail = Pattern.compile("[A-Z_0-9]{1,12}$").matcher(pending);
            if (tail.find()) {
                cut = tail.start();
            }
            String ready = pending.substring(0, cut);
            pending.delete(0, cut);
            return restore(ready);
        }

        /** What was held back, restored. */
        public String flush() {
            String rest = restore(pending.toString());
            pending.setLength(0);
            return rest;
        }
    }

    /** A restorer for one stream of this conversation. */
    public StreamRestorer streamRestorer() {
        return new StreamRestorer();
    }

    /** The originals, longest first, for checks that nothing of them was sent. */
    public List<String> originals() {
        List<String> values = new ArrayList<>(originalOf.values());
        values.sort(Comparator.comparingInt(String::length).reversed());
        return values;
    }
}
