package dev.vigil.copilot.skills;

import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The special-purpose ranges an address may fall in (private, loopback, documentation ...), which no reputation
 * feed rates: an answer about such an address says what the range is instead of calling the address unknown.
 */
final class AddressScope {
    private AddressScope() {}

    private record Range(long start, int prefix, String meaning) {
        boolean contains(long address) {
            long mask = prefix == 0 ? 0 : 0xFFFFFFFFL << (32 - prefix) & 0xFFFFFFFFL;
            return (address & mask) == start;
        }
    }

    private static final Range[] IPV4 = {
        new Range(ipv4("10.0.0.0"), 8, "a private address (RFC 1918)"),
        new Range(ipv4("172.16.0.0"), 12, "a private address (RFC 1918)"),
        new Range(ipv4("192.168.0.0"), 16, "a private address (RFC 1918)"),
        new Range(ipv4("127.0.0.0"), 8, "a loopback address (RFC 1122)"),
        new Range(ipv4("169.254.0.0"), 16, "a link-local address (RFC 3927)"),
        new Range(ipv4("100.64.0.0"), 10, "in the shared address space of carrier-grade NAT (RFC 6598)"),
        new Range(ipv4("192.0.2.0"), 24, "a documentation address (RFC 5737), reserved for examples"),
        new Range(ipv4("198.51.100.0"), 24, "a documentation address (RFC 5737), reserved for examples"),
        new Range(ipv4("203.0.113.0"), 24, "a documentation address (RFC 5737), reserved for examples"),
        new Range(ipv4("198.18.0.0"), 15, "reserved for benchmarking (RFC 2544)"),
        new Range(ipv4("0.0.0.0"), 8, "in 0.0.0.0/8, which stands for this network (RFC 1122)"),
        new Range(ipv4("224.0.0.0"), 4, "a multicast address (RFC 5771)"),
        new Range(ipv4("240.0.0.0"), 4, "in the reserved range 240.0.0.0/4 (RFC 1112)"),
    };

    /**
     * What special range the address or network (by its first address) is in; empty for a public address and for
     * values that are not addresses.
     */
    static Optional<String> of(IndicatorValues.Value value) {
        String text = value.value();
        if (value.type() == IndicatorType.CIDR) {
            text = text.substring(0, text.indexOf('/'));
        } else if (value.type() != IndicatorType.IPV4 && value.type() != IndicatorType.IPV6) {
            return Optional.empty();
        }
        return text.indexOf(':') < 0 ? ipv4Range(ipv4(text)) : ipv6(text);
    }

    private static Optional<String> ipv4Range(long address) {
        for (Range range : IPV4) {
            if (range.contains(address)) {
                return Optional.of(range.meaning());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(String text) {
        byte[] b;
        try {
            // a literal: InetAddress parses it without a name look-up
            b = InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        if (b.length == 4) {
            return ipv4Range((b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL));
        }
        boolean loopback = true;
        for (int i = 0; i < 15; i++) {
            loopback &= b[i] == 0;
        }
        if (loopback && b[15] == 1) {
            return Optional.of("the IPv6 loopback address (RFC 4291)");
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("a link-local address (RFC 4291)");
        }
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("a unique local address (RFC 4193), private to a site");
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Optional.of("a documentation address (RFC 3849), reserved for examples");
        }
        if (first == 0xff) {
            return Optional.of("a multicast address (RFC 4291)");
        }
        return Optional.empty();
    }

    private static long ipv4(String dotted) {
        long address = 0;
        for (String part : dotted.split("\\.")) {
            address = address << 8 | Long.parseLong(part);
        }
        return address;
    }
}
