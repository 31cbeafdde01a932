package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil serve} over HTTPS: a keystore from the configuration, HSTS, and a Secure, host-only cookie. */
class TlsTest {
    static final String PASSWORD = "test-keystore-pass";

    @TempDir
    Path data;

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    static Path keystore(Path directory) throws Exception {
        Path file = directory.resolve("vigil.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vigil", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        return file;
    }

    static HttpClient trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    @Test
    void withAKeystoreTheServerSpeaksHttpsSendsHstsAndMarksTheSessionCookieSecure() throws Exception {
        Path keystore = keystore(Files.createDirectories(data.resolve("tls")));
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(),
                "server.tls.keystore", keystore.toString(), "server.tls.keystore-password-env",
                "VIGIL_TEST_TLS_PASSWORD"));
        Users.in(data).add("alice", "alice-password-1234".toCharArray(), false, Map.of(TenantId.of("acme"),
                Role.READER), Instant.now());
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // on a fixed port: a second, plain connector beside the HTTPS one would fail to bind it
        try (VigilServer server = VigilServer.start(config, "127.0.0.1", port, Optional.empty(), Clock.systemUTC(),
                Optional::empty)) {
            assertThat(server.secure()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            HttpClient client = trusting(keystore);
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + server.port() + "/api/v1/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":"
                            + "\"alice-password-1234\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-vigil_session=")
                    .contains("; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/").doesNotContain("Domain=");
            // plain HTTP gets no answer from the HTTPS port
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.port() + "/api/v1/login")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aKeystoreWithoutItsPasswordVariableFailsTheStartNamingTheVariable() throws Exception {
        Path keystore = keystore(Files.createDirectories(data.resolve("tls")));
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(),
                "server.tls.keystore", keystore.toString(), "server.tls.keystore-password-env",
                "VIGIL_TEST_NO_SUCH_VARIABLE"));
        assertThatThrownBy(() -> VigilServer.start(config, "127.0.0.1", 0, Optional.empty(), Clock.systemUTC(),
                Optional::empty)).isInstanceOf(VigilException.class).hasMessageContaining(
                        "VIGIL_TEST_NO_SUCH_VARIABLE");
    }
}
