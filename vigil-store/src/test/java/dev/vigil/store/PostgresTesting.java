package dev.vigil.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server the tests run against, and a fresh database on it for each test.
 *
 * <p>The server is the one {@code TEST_POSTGRES_URL} names ({@code ./run-tests} and {@code .ci/run} start a
 * throwaway cluster with {@code scripts/test-postgres.sh} and export it). When it is not set (a developer running
 * {@code mvn} directly), the first test that needs PostgreSQL starts a cluster with the same script and stops it when
 * the JVM exits. When neither works the test fails, naming how to get a server: a PostgreSQL test never skips, since
 * a skipped test would hide a missing database in CI.
 */
public final class PostgresTesting {
    /** The environment variable (or system property) holding the JDBC URL of the test server. */
    public static final String URL_VARIABLE = "TEST_POSTGRES_URL";
    private static final Pattern EXPORT = Pattern.compile("export (\\w+)='([^']*)'");
    private static String server;
    private static IllegalStateException unavailable;

    private PostgresTesting() {}

    /** The JDBC URL of a new, empty database on the test server. */
    public static synchronized String freshDatabase() {
        String admin = server();
        String name = "vigil_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(admin);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        return withDatabase(admin, name);
    }

    /**
     * A fresh database, migrated and open: what a test of the PostgreSQL store runs against. Closing it closes the
     * pool and drops the database.
     */
    public record TestDatabase(String url, PostgresState state) implements AutoCloseable {
        /** Another node's connection to the same database (its own pool); the caller closes it. */
        public PostgresState anotherNode() {
            return PostgresState.open(url, "", Optional.empty(), 4);
        }

        @Override
        public void close() {
            state.close();
            dropDatabase(url);
        }
    }

    /** A fresh database on the test server, with Vigil's schema. */
    public static TestDatabase freshState() {
        String url = freshDatabase();
        return new TestDatabase(url, PostgresState.open(url, "", Optional.empty(), 4));
    }

    /** Drops a database {@link #freshDatabase} made, once nothing uses it. */
    public static void dropDatabase(String url) {
        String name = url.replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("\\?.*$", "");
        try (Connection connection = DriverManager.getConnection(server());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test database " + name + ": " + e.getMessage(), e);
        }
    }

    /** The test server's URL: from the environment, or a cluster started for this JVM. */
    static synchronized String server() {
        if (unavailable != null) {
            throw unavailable;
        }
        if (server == null) {
            try {
                server = find();
            } catch (IllegalStateException e) {
                unavailable = e; // the next tests fail with the same message instead of trying again
                throw e;
            }
        }
        return server;
    }

    private static String find() {
        return Optional.ofNullable(System.getProperty(URL_VARIABLE)).or(() -> Optional.ofNullable(
                System.getenv(URL_VARIABLE))).filter(url -> !url.isBlank()).orElseGet(PostgresTesting::start);
    }

    private static String start() {
        Path script = script();
        String output;
        try {
            Process process = new ProcessBuilder(script.toString(), "start").redirectError(
                    ProcessBuilder.Redirect.INHERIT).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " start failed (its error is above). " + howToGetOne());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage() + ". " + howToGetOne(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
        String url = null;
        String directory = null;
        Matcher m = EXPORT.matcher(output);
        while (m.find()) {
            switch (m.group(1)) {
                case "TEST_POSTGRES_URL" -> url = m.group(2);
                case "TEST_POSTGRES_DIR" -> directory = m.group(2);
                default -> { }
            }
        }
        if (url == null || directory == null) {
            throw new IllegalStateException(script + " start printed no URL: " + output + ". " + howToGetOne());
        }
        String cluster = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder(script.toString(), "stop", cluster).inheritIO().start().waitFor(60,
                        TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not stop the test PostgreSQL in " + cluster + ": " + e);
            }
        }, "stop-test-postgresql"));
        return url;
    }

    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts").resolve("test-postgres.sh");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException(URL_VARIABLE + " is not set and scripts/test-postgres.sh was not found above "
                + Path.of("").toAbsolutePath() + ". " + howToGetOne());
    }

    private static String howToGetOne() {
        return "The PostgreSQL tests need a server: run ./run-tests (it starts one), or set " + URL_VARIABLE
                + "=jdbc:postgresql://HOST:PORT/postgres?user=USER to one where USER may create databases, or"
                + " install PostgreSQL ('apt-get install postgresql') so that scripts/test-postgres.sh can start one.";
    }

    private static String withDatabase(String url, String database) {
        Matcher m = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$").matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException(URL_VARIABLE + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL: "
                    + url);
        }
        return m.group(1) + "/" + database.toLowerCase(Locale.ROOT) + (m.group(3) == null ? "" : m.group(3));
    }
}
