package dev.vigil.posture.inventory;

import static java.util.Objects.requireNonNull;

/**
 * A listening service on an asset.
 *
 * @param address the address it listens on ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1}); empty if unknown
 * @param protocol {@code tcp} or {@code udp}
 */
public record Service(String assetId, String address, int port, String protocol, String process, Origin origin,
        String source) {
    public Service {
        requireNonNull(assetId, "assetId is null");
        address = address == null ? "" : address.strip();
        protocol = protocol == null || protocol.isBlank() ? "tcp" : protocol.strip().toLowerCase(java.util.Locale.ROOT);
        process = process == null ? "" : process.strip();
        requireNonNull(origin, "origin is null");
        source = source == null ? "" : source;
    }

    /** Listens only on a loopback address, so the network cannot reach it. */
    public boolean isLoopbackOnly() {
        return address.startsWith("127.") || address.equals("::1") || address.equalsIgnoreCase("localhost");
    }

    public String key() {
        return assetId + "|" + protocol + "|" + port + "|" + address;
    }
}
