package dev.vigil.posture.inventory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}, the purl specification).
 *
 * @param namespace the namespace (Maven group, npm scope, Debian vendor), or empty
 */
public record PackageUrl(String type, String namespace, String name, String version, Map<String, String> qualifiers) {
    public PackageUrl {
        qualifiers = Map.copyOf(qualifiers);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static PackageUrl parse(String text) {
        String value = text.strip();
        if (!value.regionMatches(true, 0, "pkg:", 0, 4)) {
            throw new IllegalArgumentException("'" + text + "' is not a package URL (it does not start with pkg:)");
        }
        value = value.substring(4);
        while (value.startsWith("/")) {
            value = value.substring(1);
        }
        int hash = value.indexOf('#');
        if (hash >= 0) {
            value = value.substring(0, hash);
        }
        Map<String, String> qualifiers = new LinkedHashMap<>();
        int question = value.indexOf('?');
        if (question >= 0) {
            for (String pair : value.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    qualifiers.put(pair.substring(0, equals).toLowerCase(Locale.ROOT), decode(pair.substring(equals + 1)));
                }
            }
            value = value.substring(0, question);
        }
        String version = "";
        int at = value.lastIndexOf('@');
        if (at > 0 && value.indexOf('/', at) < 0) {
            version = decode(value.substring(at + 1));
            value = value.substring(0, at);
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a package URL: it needs pkg:TYPE/NAME");
        }
        String type = value.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = value.substring(slash + 1);
        int last = path.lastIndexOf('/');
        String namespace = last >= 0 ? decode(path.substring(0, last)) : "";
        String name = decode(path.substring(last + 1));
        return new PackageUrl(type, namespace, name, version, qualifiers);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * The name a vulnerability database gives the package: Maven {@code group:artifact}, npm {@code @scope/name},
     * Go the full module path, others the name alone.
     */
    public String packageName() {
        return switch (type) {
            case "maven" -> namespace.isEmpty() ? name : namespace + ":" + name;
            case "npm", "golang", "composer", "swift" -> namespace.isEmpty() ? name : namespace + "/" + name;
            default -> name;
        };
    }

    /** The version as the ecosystem writes it: RPM's {@code epoch} qualifier joined as {@code epoch:version}. */
    public String fullVersion() {
        String epoch = qualifiers.get("epoch");
        return epoch != null && !epoch.isEmpty() && !version.contains(":") ? epoch + ":" + version : version;
    }

    /** The distribution a deb or rpm package is built for ({@code debian-12}), or null. */
    public String distribution() {
        String distro = qualifiers.get("distro");
        return distro == null || distro.isBlank() ? null : distro.toLowerCase(Locale.ROOT);
    }
}
