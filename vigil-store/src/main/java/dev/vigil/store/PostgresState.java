package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.vigil.config.SharedStateConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Vigil's shared state in a PostgreSQL database, for {@code store.state: postgresql}: the nodes of a scale-out
 * deployment share their copilot sessions, incidents and the pipeline's alerts, installed plugins, users, API
 * tokens and audit trail through it.
 *
 * <p>Opening it connects through a connection pool and brings the schema up to date ({@link PostgresSchema}), so a
 * fresh database needs nothing but to exist. Every tenant-owned table has a {@code tenant} column that leads its
 * primary key; the repositories this hands out are each bound to one tenant and put {@code tenant = ?} in every
 * statement they run, so no call path through them reads or changes another tenant's rows.
 *
 * <p>Thread-safe: the repositories borrow a pooled connection per operation, and each write is one transaction.
 */
public final class PostgresState implements AutoCloseable {
    private final HikariDataSource pool;
    private final String where;

    private PostgresState(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /**
     * Connects to the database the configuration names, with the password from the environment variable it names,
     * and migrates its schema.
     *
     * @throws VigilException {@link ErrorCode#STORE_FAILED} when the database cannot be reached or migrated
     */
    public static PostgresState open(SharedStateConfig config, Map<String, String> environment) {
        requireNonNull(config, "config is null");
        if (config.kind() != SharedStateConfig.Kind.POSTGRESQL) {
            throw new IllegalArgumentException("store.state is " + config.kind() + ", not postgresql");
        }
        return open(config.url(), config.user(), config.password(environment), config.poolSize());
    }

    /**
     * Connects to the database at the JDBC URL and migrates its schema.
     *
     * @param user the user to connect as, or empty to take it from the URL
     * @param password the password, or empty for none (trust or peer authentication, or one in the URL)
     * @throws VigilException {@link ErrorCode#STORE_FAILED} when the database cannot be reached or migrated
     */
    public static PostgresState open(String url, String user, Optional<String> password, int poolSize) {
        requireNonNull(url, "url is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("vigil-postgresql");
        config.setConnectionTimeout(10_000);
        config.setAutoCommit(true);
        // one attempt at start-up: a database that is not there fails now, not after the pool's retries
        config.setInitializationFailTimeout(1);
        String where = withoutSecrets(url);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw failure(where, "connecting", e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), "08000", e));
        }
        PostgresState state = new PostgresState(pool, where);
        try {
            state.transaction("migrating the schema", connection -> {
                PostgresSchema.migrate(connection, where);
                return null;
            });
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return state;
    }

    /** The copilot sessions of one tenant. */
    public SessionRepository sessions(TenantId tenant) {
        return new PostgresSessions(this, requireNonNull(tenant, "tenant is null"), Clock.systemUTC());
    }

    /** The incidents of one tenant: lifecycle, placements, history, decisions on actions, the correlation cursor. */
    public IncidentRepository incidents(TenantId tenant) {
        return new PostgresIncidents(this, requireNonNull(tenant, "tenant is null"));
    }

    /** The alerts of one tenant, as {@code vigil stream incidents} keeps the pipeline's. */
    public AlertRepository alerts(TenantId tenant) {
        return new PostgresAlerts(this, requireNonNull(tenant, "tenant is null"));
    }

    /** The plugins installed for one tenant. */
    public dev.vigil.copilot.plugin.PluginRepository plugins(TenantId tenant) {
        return new PostgresPlugins(this, requireNonNull(tenant, "tenant is null"), Clock.systemUTC());
    }

    /** The pooled connections, for repositories of other modules (users, tokens, audit) kept in this database. */
    public DataSource dataSource() {
        return pool;
    }

    /** The database, as errors name it: its URL without user or password. */
    public String where() {
        return where;
    }

    /** One unit of work on a pooled connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in one transaction on a pooled connection: committed when it returns, rolled back when it
     * throws. A {@link VigilException} from the work passes through; a database error becomes
     * {@link ErrorCode#STORE_FAILED} naming {@code what} and the database.
     */
    public <T> T transaction(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs read-only work on a pooled connection, outside any explicit transaction. */
    public <T> T read(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private VigilException failure(String what, SQLException e) {
        return failure(where, what, e);
    }

    private static VigilException failure(String where, String what, SQLException e) {
        boolean unreachable = e.getSQLState() != null && e.getSQLState().startsWith("08");
        return new VigilException(ErrorCode.STORE_FAILED, what + " failed in PostgreSQL at " + where + ": "
                + e.getMessage(), unreachable ? "Check that PostgreSQL runs at " + where + " and that"
                + " store.postgresql.user and its password (store.postgresql.password-env) are right."
                : "The PostgreSQL server log has the details.", e);
    }

    @Override
    public void close() {
        pool.close();
    }

    // --- column helpers shared by the PostgreSQL repositories ---------------------------------------------------

    /** Sets a timestamptz parameter, or null. */
    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    /** Reads a timestamptz column, or null. */
    public static Instant instant(java.sql.ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }


    private static String withoutSecrets(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
