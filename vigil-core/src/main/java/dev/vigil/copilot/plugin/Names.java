package dev.vigil.copilot.plugin;

import dev.vigil.copilot.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The names and types Vigil derives from a manifest's names: skill names, input names, entity types. */
public final class Names {
    private Names() {}

    /**
     * A name in kebab case: {@code LateralMovementHunts} and {@code lateral_movement hunts} become
     * {@code lateral-movement-hunts}; letters other than a to z and digits separate words. Empty when nothing is left.
     */
    public static String kebab(String name) {
        return String.join("-", words(name));
    }

    /** A name in snake case, as skill inputs are named: {@code DeviceName} becomes {@code device_name}. */
    public static String snake(String name) {
        return String.join("_", words(name));
    }

    /** The words of a name, lower case: camel case, digits runs and any punctuation separate them. */
    static List<String> words(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
        List<String> words = new ArrayList<>();
        for (String word : spaced.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        // a skill or input name starts with a letter
        while (!words.isEmpty() && !Character.isLetter(words.get(0).charAt(0))) {
            words.set(0, words.get(0).replaceFirst("^[0-9]+", ""));
            if (words.get(0).isEmpty()) {
                words.remove(0);
            }
        }
        return words;
    }

    /**
     * The skill name of a plugin's skill: the plugin's name and the skill's, in kebab case, without repeating the
     * plugin's name when the skill's already starts with it.
     */
    public static String skillName(String pluginName, String skillName) {
        String plugin = kebab(pluginName);
        String skill = kebab(skillName);
        return skill.equals(plugin) || skill.startsWith(plugin + "-") ? skill : plugin + "-" + skill;
    }

    private static final Set<String> HOST = Set.of("host", "hostname", "device", "computer", "machine", "endpoint",
            "workstation", "server");
    private static final Set<String> USER = Set.of("user", "username", "account", "upn", "principal", "sam");

    /**
     * The entity type an input takes, read from the words of its name, else of its description: a host (device,
     * computer), a user (account, UPN), an IP address, a domain, a URL, a hash, a CVE or an incident; else free
     * {@link EntityType#TEXT}. The planner fills a typed input from the prompt's mentions of that type.
     */
    public static EntityType entityType(String name, String description) {
        EntityType byName = entityType(words(name));
        if (byName != EntityType.TEXT) {
            return byName;
        }
        return entityType(words(description));
    }

    private static EntityType entityType(List<String> words) {
        for (String word : words) {
            if (HOST.contains(word)) {
                return EntityType.HOST;
            }
            if (USER.contains(word)) {
                return EntityType.USER;
            }
            switch (word) {
                case "ip", "ipaddress", "ipv4", "ipv6" -> {
                    return EntityType.IP;
                }
                case "domain", "fqdn" -> {
                    return EntityType.DOMAIN;
                }
                case "url", "uri" -> {
                    return EntityType.URL;
                }
                case "hash", "sha256", "sha1", "md5", "filehash" -> {
                    return EntityType.HASH;
                }
                case "cve" -> {
                    return EntityType.CVE;
                }
                case "incident" -> {
                    return EntityType.INCIDENT;
                }
                default -> {
                }
            }
        }
        return EntityType.TEXT;
    }
}
