package dev.vigil.copilot.script;

import dev.vigil.copilot.script.Indicator.Type;
import dev.vigil.intel.text.Extraction;
import dev.vigil.intel.text.Found;
import dev.vigil.intel.text.TextIndicators;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The indicators in each statement: what {@link TextIndicators} finds (URLs, also defanged, addresses, domains,
 * e-mail addresses, hashes), plus Windows file paths, registry keys and the servers of UNC paths.
 */
final class ScriptIndicators {
    private ScriptIndicators() {}

    private static final String HIVE = "(HKLM|HKCU|HKCR|HKU|HKCC|HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT"
            + "|HKEY_USERS|HKEY_CURRENT_CONFIG)";
    private static final Pattern QUOTED_KEY = Pattern.compile("(?i)[\"'](?:Registry::)?" + HIVE + ":?\\\\([^\"'\\r\\n]{1,400}+)[\"']");
    private static final Pattern KEY = Pattern.compile("(?i)(?<![\\w])(?:Registry::)?" + HIVE + ":?\\\\([^\\s\"'<>|;,()]{1,400}+)");
    private static final Pattern SWITCH = Pattern.compile("\\s++/\\w");
    private static final String PATH_START = "(?:[a-z]:\\\\|\\\\\\\\[\\w.$-]{1,255}+\\\\|%\\w{1,40}+%\\\\|\\$env:\\w{1,40}+\\\\)";
    private static final Pattern QUOTED_PATH = Pattern.compile("(?i)[\"'](" + PATH_START + "[^\"'\\r\\n<>|*?]{1,400}+)[\"']");
    private static final Pattern PATH = Pattern.compile("(?i)(?<![\\w\\\\/.:])(" + PATH_START + "[^\\s\"'<>|*?;,()\\[\\]{}]{1,400}+)");
    private static final Pattern UNC_HOST = Pattern.compile("(?<![\\w\\\\])\\\\\\\\([A-Za-z0-9][\\w.-]{0,254}+)\\\\");
    private static final String TRAILING = ".,:;";

    static List<Indicator> extract(List<Statements.Statement> statements) {
        Map<String, Indicator> found = new LinkedHashMap<>();
        for (Statements.Statement statement : statements) {
            String text = statement.text();
            String source = Literals.excerpt(text, 300);
            Extraction extraction = TextIndicators.extract(text);
            BitSet urls = new BitSet();
            for (Found item : extraction.all()) {
                Type type = switch (item.kind()) {
                    case URL -> Type.URL;
                    case IPV4 -> Type.IPV4;
                    case IPV6 -> Type.IPV6;
                    case DOMAIN -> Type.DOMAIN;
                    case EMAIL -> Type.EMAIL;
                    case MD5 -> Type.MD5;
                    case SHA1 -> Type.SHA1;
                    case SHA256 -> Type.SHA256;
                    case CIDR, CVE, ATTACK_TECHNIQUE -> null;
                };
                if (type == Type.URL) {
                    urls.set(item.start(), item.end());
                }
                if (type != null) {
                    add(found, type, item.value(), source);
                }
            }
            BitSet taken = (BitSet) urls.clone();
            registryKeys(text, QUOTED_KEY, taken, found, source);
            registryKeys(text, KEY, taken, found, source);
            paths(text, QUOTED_PATH, taken, found, source);
            paths(text, PATH, taken, found, source);
            Matcher unc = UNC_HOST.matcher(text);
            while (unc.find()) {
                for (Found host : TextIndicators.extract(unc.group(1)).all()) {
                    if (host.start() == 0 && host.end() == unc.group(1).length()) {
                        add(found, host.kind() == Found.Kind.DOMAIN ? Type.DOMAIN
                                : host.kind() == Found.Kind.IPV4 ? Type.IPV4 : Type.IPV6, host.value(), source);
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    private static void registryKeys(String text, Pattern pattern, BitSet taken, Map<String, Indicator> found,
            String source) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            if (taken.get(matcher.start(), matcher.end()).isEmpty()) {
                String path = matcher.group(2);
                Matcher flag = SWITCH.matcher(path);
                if (flag.find()) {
                    path = path.substring(0, flag.start());
                }
                path = trim(path).replaceAll("\\\\++$", "");
                if (!path.isEmpty()) {
                    add(found, Type.REGISTRY_KEY, shortHive(matcher.group(1)) + "\\" + path, source);
                }
                taken.set(matcher.start(), matcher.end());
            }
        }
    }

    private static void paths(String text, Pattern pattern, BitSet taken, Map<String, Indicator> found, String source) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            if (taken.get(matcher.start(), matcher.end()).isEmpty()) {
                String path = trim(matcher.group(1));
                if (path.length() > 3) {
                    add(found, Type.FILE_PATH, path, source);
                }
                taken.set(matcher.start(), matcher.end());
            }
        }
    }

    private static String trim(String value) {
        int end = value.length();
        while (end > 0 && (TRAILING.indexOf(value.charAt(end - 1)) >= 0 || Character.isWhitespace(value.charAt(end - 1)))) {
            end--;
        }
        return value.substring(0, end);
    }

    private static String shortHive(String hive) {
        return switch (hive.toUpperCase(Locale.ROOT)) {
            case "HKEY_LOCAL_MACHINE" -> "HKLM";
            case "HKEY_CURRENT_USER" -> "HKCU";
            case "HKEY_CLASSES_ROOT" -> "HKCR";
            case "HKEY_USERS" -> "HKU";
            case "HKEY_CURRENT_CONFIG" -> "HKCC";
            default -> hive.toUpperCase(Locale.ROOT);
        };
    }

    private static void add(Map<String, Indicator> found, Type type, String value, String source) {
        String key = type + " " + (type == Type.FILE_PATH || type == Type.REGISTRY_KEY ? value.toLowerCase(Locale.ROOT) : value);
        found.putIfAbsent(key, new Indicator(type, value, source));
    }
}
