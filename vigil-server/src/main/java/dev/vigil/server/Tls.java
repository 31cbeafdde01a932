package dev.vigil.server;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for {@code vigil serve}: a PKCS#12 keystore ({@code server.tls.keystore}) whose password is read from the
 * environment variable {@code server.tls.keystore-password-env} names, never from a file or a flag. The keystore is
 * opened once at start, so a wrong path or password fails the start with the setting to fix, not the first request.
 * Jetty's defaults choose the protocols and ciphers (TLS 1.2 and 1.3, no weak suites).
 */
final class Tls {
    private final Path keystore;
    private final String password;

    private Tls(Path keystore, String password) {
        this.keystore = keystore;
        this.password = password;
    }

    /** The TLS settings of the configuration, or empty to serve plain HTTP. */
    static Optional<Tls> from(VigilConfig config, Map<String, String> environment) {
        String path = (String) config.value(ConfigKey.SERVER_TLS_KEYSTORE);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String variable = (String) config.value(ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_ENV);
        String password = environment.get(variable);
        if (password == null) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "server.tls.keystore is set but the environment"
                    + " variable " + variable + " that holds its password is not", "Export " + variable
                    + "=<the keystore's password> before vigil serve, or name another variable with"
                    + " server.tls.keystore-password-env", null);
        }
        Path file = Path.of(path);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore.getInstance("PKCS12").load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "cannot open the keystore " + file + " ("
                    + "server.tls.keystore): " + e.getMessage(), "Point server.tls.keystore at a PKCS#12 file (keytool"
                    + " -genkeypair -storetype PKCS12, or openssl pkcs12 -export from a PEM certificate and key) and"
                    + " set its password in " + variable, e);
        }
        return Optional.of(new Tls(file, password));
    }

    /** The HTTPS connector on the address and port. */
    ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password);
        // a self-hosted console is often reached by its address: do not require the certificate's name in SNI
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
