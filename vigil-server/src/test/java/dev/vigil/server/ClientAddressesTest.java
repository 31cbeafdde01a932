package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.VigilException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's address behind reverse proxies: only what trusted proxies forwarded is believed. */
@DisplayName("Client addresses behind trusted proxies")
class ClientAddressesTest {
    final ClientAddresses proxies = ClientAddresses.parse("10.0.0.0/8, 192.168.1.5, ::1");

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        ClientAddresses none = ClientAddresses.parse("");
        assertThat(none.behindProxy()).isFalse();
        assertThat(none.client("198.51.100.4", "203.0.113.9")).isEqualTo("198.51.100.4");
    }

    @Test
    void behindATrustedProxyTheNearestUntrustedForwardedAddressIsTheClient() {
        assertThat(proxies.client("10.1.2.3", "203.0.113.9")).isEqualTo("203.0.113.9");
        // the client wrote the leftmost entry itself: it is not believed past the first untrusted hop
        assertThat(proxies.client("10.1.2.3", "1.1.1.1, 203.0.113.9, 192.168.1.5")).isEqualTo("203.0.113.9");
        assertThat(proxies.client("0:0:0:0:0:0:0:1", "2001:db8::7")).isEqualTo("2001:db8::7");
    }

    @Test
    void aHeaderFromAnUntrustedPeerOrAChainOfOnlyProxiesChangesNothing() {
        assertThat(proxies.client("198.51.100.4", "203.0.113.9")).isEqualTo("198.51.100.4");
        assertThat(proxies.client("10.1.2.3", "10.9.9.9, 192.168.1.5")).isEqualTo("10.1.2.3");
        assertThat(proxies.client("10.1.2.3", "evil.example, 203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(proxies.client("10.1.2.3", "203.0.113.9, not-an-address")).isEqualTo("10.1.2.3");
        assertThat(proxies.client("192.168.1.6", "203.0.113.9")).as("a /32 trusts one address").isEqualTo("192.168.1.6");
    }

    @Test
    void anEntryThatIsNotAnAddressOrRangeIsRefusedByName() {
        assertThatThrownBy(() -> ClientAddresses.parse("10.0.0.0/8,proxy.internal"))
                .isInstanceOf(VigilException.class).hasMessageContaining("'proxy.internal'")
                .hasMessageContaining("server.trusted-proxies");
        assertThatThrownBy(() -> ClientAddresses.parse("10.0.0.0/33")).hasMessageContaining("0..32");
    }

    @Test
    void theAuditLogRecordsTheClientAProxyForwarded(@TempDir Path data) throws Exception {
        try (ServerFixture fixture = new ServerFixture(data, Optional::empty, Clock.systemUTC(),
                Map.of("server.trusted-proxies", "127.0.0.1"))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.server.port()
                    + "/api/v1/me")).header("Authorization", "Bearer " + fixture.tokens.get("reader"))
                    .header("X-Forwarded-For", "203.0.113.77").GET().build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(AuditLog.records(data)).anySatisfy(r -> assertThat(r).contains("/api/v1/me")
                .contains("\"client\":\"203.0.113.77\""));
    }
}
