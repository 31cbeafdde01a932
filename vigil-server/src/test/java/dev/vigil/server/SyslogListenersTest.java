package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over UDP and TCP (octet-counted and newline framing), each port feeding its own tenant. */
@DisplayName("Syslog listeners")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyslogListenersTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    int udpAcme;
    int tcpAcme;
    int tcpGlobex;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data, Optional::empty, Clock.systemUTC(), Map.of("server.syslog.listeners",
                "udp:0=acme, tcp:0=acme, tcp:0=globex"));
        List<Integer> ports = fixture.server.syslogPorts();
        udpAcme = ports.get(0);
        tcpAcme = ports.get(1);
        tcpGlobex = ports.get(2);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    /** How many Syslog records of the tenant carry the marker, once they have arrived (or after 20 s). */
    long count(String tenant, String token, String marker, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long found = -1;
        while (System.nanoTime() < deadline) {
            ServerFixture.Answer answer = fixture.send("POST", "/api/v1/tenants/" + tenant + "/hunt", token,
                    ApiJson.MAPPER.writeValueAsString(Map.of("query", "Syslog | where raw contains '" + marker
                            + "' | count")));
            if (answer.status() == 200) {
                found = answer.json().get("rows").get(0).get(0).asLong();
                if (found >= expected) {
                    return found;
                }
            }
            Thread.sleep(200);
        }
        return found;
    }

    @Test
    void udpDatagramsEachBecomeARecordOfTheirTenant() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int i = 1; i <= 3; i++) {
                byte[] message = ("<34>Oct 11 22:14:15 fw-1 sshd[42]: Failed password for root from 198.51.100." + i
                        + " port 22 udp-marker-" + i + "\n").getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), udpAcme));
            }
        }
        assertThat(count("acme", fixture.tokens.get("analyst"), "udp-marker-", 3)).isEqualTo(3);
    }

    @Test
    void tcpTakesOctetCountingAndNewlineFramingAndEachPortFeedsOnlyItsTenant() throws Exception {
        String first = "<165>1 2026-11-29T10:00:00Z web-1 app 42 ID47 - octet-marker one\nwith a line break";
        String second = "<165>1 2026-11-29T10:00:01Z web-1 app 42 ID48 - octet-marker two";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpAcme)) {
            OutputStream out = socket.getOutputStream();
            for (String message : List.of(first, second)) {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                out.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
            }
            out.flush();
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpGlobex)) {
            socket.getOutputStream().write(("<13>Nov 29 10:00:00 db-1 postgres[7]: line-marker a\n"
                    + "<13>Nov 29 10:00:01 db-1 postgres[7]: line-marker b\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(count("acme", fixture.tokens.get("analyst"), "octet-marker", 2)).isEqualTo(2);
        assertThat(count("globex", fixture.tokens.get("other-tenant"), "line-marker", 2)).isEqualTo(2);
        assertThat(count("acme", fixture.tokens.get("analyst"), "line-marker", 0)).isZero();
        assertThat(count("globex", fixture.tokens.get("other-tenant"), "octet-marker", 0)).isZero();
    }

    @Test
    void aMalformedListenerSettingNamesTheEntry() {
        assertThatThrownBy(() -> SyslogListeners.parse("udp:5514=acme, http:80=acme"))
                .hasMessage("server.syslog.listeners: 'http:80=acme' is not udp:PORT=TENANT or tcp:PORT=TENANT");
    }
}
