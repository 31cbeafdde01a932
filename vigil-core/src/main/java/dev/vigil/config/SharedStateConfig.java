package dev.vigil.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where Vigil keeps its shared state (copilot sessions, users, API tokens, audit), from the {@code store.*} keys:
 * in the data directory ({@link Kind#EMBEDDED}, one process) or in a PostgreSQL database that every node of
 * {@code vigil serve --mode scale} shares ({@link Kind#POSTGRESQL}).
 *
 * @param url the JDBC URL ({@code jdbc:postgresql://HOST:5432/DATABASE}); empty when embedded
 * @param user the user to connect as
 * @param passwordEnvironmentVariable the environment variable holding the password; the password itself is never
 *     part of the configuration
 * @param poolSize the most connections one process keeps open
 */
public record SharedStateConfig(Kind kind, String url, String user, String passwordEnvironmentVariable,
        int poolSize) {
    /** The kinds of shared-state store. */
    public enum Kind {
        /** Files and DuckDB databases in the data directory. */
        EMBEDDED,
        /** A PostgreSQL database. */
        POSTGRESQL;

        static Kind parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public SharedStateConfig {
        requireNonNull(kind, "kind is null");
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(passwordEnvironmentVariable, "passwordEnvironmentVariable is null");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, not " + poolSize);
        }
    }

    /** The password, read from the environment variable the configuration names, or empty when it is unset. */
    public Optional<String> password(Map<String, String> environment) {
        return Optional.ofNullable(environment.get(passwordEnvironmentVariable)).filter(p -> !p.isEmpty());
    }
}
