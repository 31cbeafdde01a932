package dev.vigil.intel.ioc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MISP attribute types and what Vigil makes of them, shared by the JSON and CSV readers.
 *
 * <p>Imported: {@code ip-src}, {@code ip-dst} (addresses or networks), their {@code |port} forms, {@code domain},
 * {@code hostname}, {@code hostname|port}, {@code domain|ip} (both halves), {@code url}, {@code md5}, {@code sha1},
 * {@code sha256}, {@code sha512} and their {@code filename|...} forms, {@code email}, {@code email-src},
 * {@code email-reply-to} and {@code whois-registrant-email}. Skipped, with the reason counted: attributes not meant
 * for detection ({@code to_ids} false), deleted ones, recipients ({@code email-dst}, the targets, not the attacker),
 * {@code link} (a reference about the event), and every other type.
 */
final class MispAttributes {
    private static final Pattern TECHNIQUE = Pattern.compile("\\b(T\\d{4}(?:\\.\\d{3})?)\\b");
    private static final Pattern GALAXY_TAG = Pattern.compile("misp-galaxy:([a-z0-9-]+)=\"?(.*?)\"?");
    private static final Set<String> ACTOR_GALAXIES = Set.of("threat-actor", "mitre-intrusion-set",
            "mitre-enterprise-attack-intrusion-set", "microsoft-activity-group", "360net-threat-actor");

    private MispAttributes() {}

    /** The values an attribute of this type carries, each with the type to read it as; empty when skipped. */
    static List<Typed> values(String type, String value) {
        String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        String v = value == null ? "" : value.strip();
        return switch (t) {
            case "ip-src", "ip-dst" -> List.of(new Typed(IndicatorType.CIDR, v));
            case "ip-src|port", "ip-dst|port" -> List.of(new Typed(IndicatorType.CIDR, beforeLastBar(v)));
            case "domain", "hostname" -> List.of(new Typed(IndicatorType.DOMAIN, v));
            case "hostname|port" -> List.of(new Typed(IndicatorType.DOMAIN, beforeLastBar(v)));
            case "domain|ip" -> {
                int bar = v.indexOf('|');
                yield bar < 0 ? List.of(new Typed(IndicatorType.DOMAIN, v)) : List.of(
                        new Typed(IndicatorType.DOMAIN, v.substring(0, bar)),
                        new Typed(IndicatorType.CIDR, v.substring(bar + 1)));
            }
            case "url" -> List.of(new Typed(IndicatorType.URL, v));
            case "md5", "sha1", "sha256", "sha512" -> List.of(new Typed(IndicatorType.fromId(t), v));
            case "filename|md5", "filename|sha1", "filename|sha256", "filename|sha512" -> List.of(new Typed(
                    IndicatorType.fromId(t.substring(t.indexOf('|') + 1)), v.substring(v.lastIndexOf('|') + 1)));
            case "email", "email-src", "email-reply-to", "whois-registrant-email" ->
                    List.of(new Typed(IndicatorType.EMAIL, v));
            default -> List.of();
        };
    }

    /** Why an attribute of this type is not imported, for the count of skipped entries. */
    static String skipReason(String type) {
        String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "email-dst" -> "email-dst (a recipient, not an indicator)";
            case "link" -> "link (a reference about the event)";
            default -> "type " + (t.isEmpty() ? "(none)" : t) + " (not an observable Vigil matches)";
        };
    }

    /** A value and the type to read it as ({@link IndicatorType#CIDR} reads an address or a network). */
    record Typed(IndicatorType type, String value) {}

    private static String beforeLastBar(String value) {
        int bar = value.lastIndexOf('|');
        return bar < 0 ? value : value.substring(0, bar);
    }

    /** MISP's {@code to_ids}: true, 1, "1", "true". */
    static boolean flag(String text) {
        return text != null && (text.equals("1") || text.equalsIgnoreCase("true"));
    }

    /** A MISP time: epoch seconds, an ISO-8601 date-time (with an offset or Z), or a date; null if none. */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            if (s.chars().allMatch(Character::isDigit) && s.length() <= 12) {
                long seconds = Long.parseLong(s);
                return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** The confidence a MISP threat level stands for: 1 high 80, 2 medium 60, 3 low 40, 4 undefined none. */
    static Integer confidenceOfThreatLevel(String threatLevel) {
        return switch (threatLevel == null ? "" : threatLevel.strip()) {
            case "1" -> 80;
            case "2" -> 60;
            case "3" -> 40;
            default -> null;
        };
    }

    /** Sorts tags into actors and techniques (galaxy tags) and plain tags. */
    static void classifyTags(List<String> tags, List<String> plain, List<String> actors, List<String> techniques) {
        for (String tag : tags) {
            Matcher galaxy = GALAXY_TAG.matcher(tag);
            if (galaxy.matches()) {
                cluster(galaxy.group(1), galaxy.group(2), actors, techniques, plain);
            } else {
                plain.add(tag);
            }
        }
    }

    /** A galaxy cluster: an actor, a technique, or else a tag {@code galaxy:value}. */
    static void cluster(String galaxy, String value, List<String> actors, List<String> techniques, List<String> tags) {
        Matcher technique = TECHNIQUE.matcher(value);
        if (galaxy.contains("attack-pattern") && technique.find()) {
            techniques.add(technique.group(1));
        } else if (ACTOR_GALAXIES.contains(galaxy)) {
            actors.add(value);
        } else {
            tags.add(galaxy + ":" + value);
        }
    }

    static List<String> split(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated == null) {
            return out;
        }
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
