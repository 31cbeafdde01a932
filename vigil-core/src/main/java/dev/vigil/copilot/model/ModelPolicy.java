package dev.vigil.copilot.model;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a tenant lets reach a language model.
 *
 * <ul>
 *   <li>{@link #LOCAL_ONLY}: the model is called only when its base URL names this machine or a private network
 *       (loopback, RFC 1918, link-local, unique-local IPv6, a single-label name or a {@code .local}, {@code .lan},
 *       {@code .internal} or {@code .home.arpa} name). Otherwise no call is made and the embedded copilot answers.
 *   <li>{@link #REDACT}: e-mail addresses, user names, IP addresses, host names and secrets are replaced by
 *       placeholders ({@code USER_1}, {@code HOST_2}, {@code IP_3}) before anything is sent, and restored in the
 *       answer.
 *   <li>{@link #ALLOW}: identities are sent as they are. Secrets are still replaced under every policy.
 * </ul>
 *
 * <p>A name is judged by its text, never resolved: DNS could answer differently tomorrow.
 */
public enum ModelPolicy {
    LOCAL_ONLY("local-only"),
    REDACT("redact"),
    ALLOW("allow");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern SINGLE_LABEL = Pattern.compile("[A-Za-z0-9-]+");

    private final String key;

    ModelPolicy(String key) {
        this.key = key;
    }

    /** The name in configuration files: {@code local-only}, {@code redact} or {@code allow}. */
    public String key() {
        return key;
    }

    /** Reads a policy by its key; the message lists the valid ones. */
    public static ModelPolicy parse(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p.key.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a model policy; use local-only,"
                        + " redact or allow"));
    }

    /** Whether identities (users, hosts, IPs, e-mail addresses) are replaced by placeholders before sending. */
    public boolean redactsIdentities() {
        return this != ALLOW;
    }

    /** Whether a model at this base URL may be called under this policy. */
    public boolean permits(URI baseUrl) {
        return this != LOCAL_ONLY || isLocal(baseUrl);
    }

    /** Whether a base URL names this machine or a private network, judged from its text alone. */
    public static boolean isLocal(URI baseUrl) {
        String host = baseUrl.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".local")
                || host.endsWith(".lan") || host.endsWith(".internal") || host.endsWith(".home.arpa")) {
            return true;
        }
        if (IPV4.matcher(host).matches() || host.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(host); // a literal: parsed, not looked up
                byte[] bytes = address.getAddress();
                boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
                return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || uniqueLocalV6 || address.isAnyLocalAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return SINGLE_LABEL.matcher(host).matches();
    }
}
