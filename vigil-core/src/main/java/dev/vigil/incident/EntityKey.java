package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An entity as correlation compares it: a kind and a canonical value. Alerts name the same thing in several ways
 * ({@code WORKSTATION5.theshire.local} and {@code workstation5}, {@code THESHIRE\pgustavo} and {@code pgustavo}, an
 * address as source in one alert and destination in the next), so {@link #of} folds them to one key, and drops the
 * values that identify nothing: built-in service accounts, loopback and unspecified addresses, and process images
 * ({@code powershell.exe} runs on every host; a process is identified by its {@code process_guid}).
 */
public record EntityKey(Kind kind, String value) implements Comparable<EntityKey> {
    /** The kinds of entity that can tie alerts together. */
    public enum Kind {
        HOST, USER, IP, FILE_HASH, PROCESS, DOMAIN, URL;

        /** The name analysts read: {@code host}, {@code user}, {@code ip}, {@code file hash} ... */
        public String label() {
            return switch (this) {
                case FILE_HASH -> "file hash";
                case PROCESS -> "process";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    /** Accounts that every Windows host has; sharing one says nothing about two alerts. */
    private static final Set<String> BUILTIN_ACCOUNTS = Set.of("system", "local system", "localsystem",
            "local service", "localservice", "network service", "networkservice", "anonymous logon",
            "anonymous", "-", "n/a", "null", "dwm-1", "dwm-2", "dwm-3", "umfd-0", "umfd-1", "umfd-2", "umfd-3",
            "font driver host", "window manager", "trustedinstaller", "nt authority", "root", "nobody");
    private static final Pattern WELL_KNOWN_SID = Pattern.compile("s-1-5-(18|19|20|7|32-\\d+)|s-1-0-0");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}");

    public EntityKey {
        requireNonNull(kind, "kind is null");
        requireNonNull(value, "value is null");
    }

    /** The key of an alert's entity, or empty when the entity identifies nothing worth correlating on. */
    public static Optional<EntityKey> of(Alert.Entity entity) {
        String value = entity.value().strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (entity.kind()) {
            case "host" -> host(value);
            case "user" -> user(value);
            case "src_ip", "dst_ip", "ip" -> ip(value);
            case "file_hash" -> hash(value);
            case Alert.PROCESS_GUID -> Optional.of(new EntityKey(Kind.PROCESS, value.toLowerCase(Locale.ROOT)));
            case "domain" -> Optional.of(new EntityKey(Kind.DOMAIN, trimDot(value.toLowerCase(Locale.ROOT))));
            case "url" -> Optional.of(new EntityKey(Kind.URL, value));
            case "process", "parent_process" -> Optional.empty(); // images are names, not identities
            default -> inferred(entity.kind().toLowerCase(Locale.ROOT), value);
        };
    }

    /**
     * An entity whose kind is a source's field name, as correlation rules group by ({@code IPAddress},
     * {@code TargetUserName}, {@code Computer}) and products name entities ({@code Ip}, {@code Account},
     * {@code Host}): its kind is read from the name.
     */
    static Optional<EntityKey> inferred(String kind, String value) {
        if (kind.contains("guid") && kind.contains("process")) {
            return Optional.of(new EntityKey(Kind.PROCESS, value.toLowerCase(Locale.ROOT)));
        }
        if (kind.contains("sha") || kind.contains("md5") || kind.contains("hash")) {
            return hash(value);
        }
        if (kind.endsWith("ip") || kind.contains("ipaddress") || kind.contains("ip_address") || kind.equals("address")
                || kind.endsWith("_ip")) {
            return ip(value);
        }
        if (kind.contains("host") || kind.contains("computer") || kind.contains("device")
                || kind.contains("workstation")) {
            return host(value);
        }
        if (kind.contains("user") || kind.contains("account") || kind.contains("upn") || kind.contains("principal")) {
            return user(value);
        }
        if (kind.contains("url")) {
            return Optional.of(new EntityKey(Kind.URL, value));
        }
        return Optional.empty();
    }

    /** A host by its first DNS label, lower-cased: {@code WORKSTATION5.theshire.local} is {@code workstation5}. */
    public static Optional<EntityKey> host(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (ipLiteral(name)) {
            return ip(name);
        }
        int dot = name.indexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        if (name.isEmpty() || name.equals("-") || name.equals("localhost")) {
            return Optional.empty();
        }
        return Optional.of(new EntityKey(Kind.HOST, name));
    }

    /**
     * A user without its domain ({@code DOMAIN\name}, {@code name@domain}), lower-cased. A machine account
     * ({@code WORKSTATION5$}) is its host.
     */
    static Optional<EntityKey> user(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('\\');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        int at = name.indexOf('@');
        if (at > 0) {
            name = name.substring(0, at);
        }
        if (name.isEmpty() || BUILTIN_ACCOUNTS.contains(name) || WELL_KNOWN_SID.matcher(name).matches()) {
            return Optional.empty();
        }
        if (name.endsWith("$")) {
            return host(name.substring(0, name.length() - 1));
        }
        return Optional.of(new EntityKey(Kind.USER, name));
    }

    /** An address in its canonical form; loopback, unspecified, link-local and multicast addresses are no one's. */
    static Optional<EntityKey> ip(String value) {
        String text = value.startsWith("::ffff:") ? value.substring(7) : value;
        if (!ipLiteral(text)) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(text); // a literal: no lookup
            if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                    || address.isMulticastAddress() || text.equals("255.255.255.255")) {
                return Optional.empty();
            }
            return Optional.of(new EntityKey(Kind.IP, address.getHostAddress()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<EntityKey> hash(String value) {
        String hash = value.toLowerCase(Locale.ROOT);
        return HASH.matcher(hash).matches() && !hash.chars().allMatch(c -> c == '0')
                ? Optional.of(new EntityKey(Kind.FILE_HASH, hash))
                : Optional.empty();
    }

    private static boolean ipLiteral(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String trimDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }

    /**
     * Whether this entity is an artefact rather than an identity: a file hash, a domain, a URL or an external address.
     * Unrelated intrusions share artefacts (a public tool, a system library, a CDN address); a host, an account, a
     * process instance or an internal address belongs to one organization's estate.
     */
    public boolean isArtefact() {
        return switch (kind) {
            case FILE_HASH, DOMAIN, URL -> true;
            case IP -> isExternalAddress();
            case HOST, USER, PROCESS -> false;
        };
    }

    /** Whether this address is outside the private, shared and documentation ranges: a public address. */
    public boolean isExternalAddress() {
        if (kind != Kind.IP) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(value);
            if (address.isSiteLocalAddress()) {
                return false;
            }
            byte[] b = address.getAddress();
            if (b.length == 4) {
                int first = b[0] & 0xff;
                int second = b[1] & 0xff;
                return !(first == 100 && second >= 64 && second < 128) && first != 0 && first < 224;
            }
            return (b[0] & 0xfe) != 0xfc; // unique local fc00::/7
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public int compareTo(EntityKey other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return kind.label() + " " + value;
    }
}
