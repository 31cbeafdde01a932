package dev.vigil.server;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who a request comes from, for the login throttle and the audit log. Without trusted proxies it is the connection's
 * peer. Behind a reverse proxy ({@code server.trusted-proxies}: addresses or CIDR ranges), the peer is the proxy, so
 * the client is read from {@code X-Forwarded-For}, right to left, as the first address that is not itself a trusted
 * proxy: the entries left of it were written by the client and may be forged. A header from a peer that is not a
 * trusted proxy is ignored, for the same reason.
 */
final class ClientAddresses {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> trusted;

    private ClientAddresses(List<Range> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Reads {@code server.trusted-proxies}: comma-separated addresses ({@code 10.0.0.5}, {@code ::1}) or CIDR ranges
     * ({@code 10.0.0.0/8}); empty for none.
     *
     * @throws VigilException {@code CONFIG_INVALID} naming the entry that is not an address or range
     */
    static ClientAddresses parse(String text) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : text.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int slash = item.indexOf('/');
            String host = slash < 0 ? item : item.substring(0, slash);
            byte[] network = literal(host);
            if (network == null) {
                throw invalid(item, "is not an IP address or CIDR range (host names are not accepted: they could"
                        + " resolve differently tomorrow)");
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw invalid(item, "has a prefix length outside 0.." + network.length * 8);
                }
            }
            ranges.add(new Range(network, bits));
        }
        return new ClientAddresses(ranges);
    }

    private static VigilException invalid(String item, String problem) {
        return new VigilException(ErrorCode.CONFIG_INVALID, "server.trusted-proxies: '" + item + "' " + problem,
                "List the proxies' addresses or ranges, comma-separated: 10.0.0.5,192.168.0.0/16,::1", null);
    }

    /** Whether any proxy is trusted. */
    boolean behindProxy() {
        return !trusted.isEmpty();
    }

    /**
     * The client's address.
     *
     * @param peer the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     */
    String client(String peer, String forwardedFor) {
        if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            if (literal(hop) == null) {
                return peer; // not an address: the chain cannot be trusted past it
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        return bytes != null && trusted.stream().anyMatch(r -> r.contains(bytes));
    }

    /** The bytes of an IP literal (never a DNS lookup), or null when the text is not one. */
    private static byte[] literal(String text) {
        String value = text.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || !LITERAL.matcher(value).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(value).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
