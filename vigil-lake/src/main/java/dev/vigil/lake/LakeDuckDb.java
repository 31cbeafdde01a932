package dev.vigil.lake;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.duckdb.DuckDBConnection;

/**
 * In-memory DuckDB connections that read and write the lake: UTC session, and for an object-storage lake the httpfs
 * extension with an S3 secret built from the {@code lake.s3.*} settings (keys read from the environment variables
 * they name, never from a file).
 */
final class LakeDuckDb {
    private LakeDuckDb() {}

    static DuckDBConnection open(LakeLayout layout) {
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                if (!layout.isLocal()) {
                    configureObjectStorage(statement, layout);
                }
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return connection;
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "cannot open DuckDB for the lake " + layout + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static void configureObjectStorage(Statement statement, LakeLayout layout) throws SQLException {
        try {
            statement.execute("LOAD httpfs");
        } catch (SQLException notInstalled) {
            try {
                statement.execute("INSTALL httpfs");
                statement.execute("LOAD httpfs");
            } catch (SQLException e) {
                throw new VigilException(ErrorCode.LAKE_FAILED, "the lake " + layout + " is in object storage, which"
                        + " needs DuckDB's httpfs extension, and it could not be installed: " + firstLine(e.getMessage()),
                        "Let Vigil reach extensions.duckdb.org once (DuckDB keeps the extension in"
                                + " ~/.duckdb/extensions), or copy httpfs.duckdb_extension there from a machine that"
                                + " has it; or use a local folder as lake.root.", e);
            }
        }
        LakeSettings.ObjectStorage s3 = layout.settings().objectStorage();
        StringBuilder secret = new StringBuilder("CREATE OR REPLACE SECRET vigil_lake (TYPE s3, REGION ")
                .append(literal(s3.region())).append(", URL_STYLE ").append(literal(s3.urlStyle()))
                .append(", USE_SSL ").append(s3.useSsl());
        if (!s3.endpoint().isEmpty()) {
            secret.append(", ENDPOINT ").append(literal(s3.endpoint()));
        }
        String keyId = System.getenv(s3.keyIdEnv());
        String key = System.getenv(s3.secretEnv());
        if (keyId != null && !keyId.isEmpty()) {
            if (key == null || key.isEmpty()) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "the S3 access key id is set in " + s3.keyIdEnv()
                        + " but its secret key is not in " + s3.secretEnv(),
                        "Set " + s3.secretEnv() + " (or name another variable with lake.s3.secret-access-key-env).", null);
            }
            secret.append(", KEY_ID ").append(literal(keyId)).append(", SECRET ").append(literal(key));
        }
        String scope = layout.root().toLowerCase(Locale.ROOT).startsWith("s3") ? layout.root() : null;
        if (scope != null) {
            secret.append(", SCOPE ").append(literal(scope));
        }
        statement.execute(secret.append(')').toString());
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
