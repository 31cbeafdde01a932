package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginPackage;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One tenant's installed plugins in PostgreSQL ({@link PostgresState#plugins}): a {@code vigil_plugins} row per plugin
 * with its files ({@code vigil_plugin_files}, as bytes) and settings ({@code vigil_plugin_settings}, in the order
 * given). Every statement names the tenant this instance was made for, so another tenant's plugins are as unknown here
 * as names never installed.
 *
 * <p>Each change is one transaction under an advisory lock on the tenant and plugin, so two nodes installing or
 * configuring one plugin at once apply their changes one after the other; a reader reads a plugin's rows in one
 * snapshot. Every change draws the plugin a new number from {@code vigil_plugin_revisions}, which {@link #revision()}
 * reports.
 */
final class PostgresPlugins implements PluginRepository {
    private final PostgresState database;
    private final TenantId tenant;
    private final Clock clock;

    PostgresPlugins(PostgresState database, TenantId tenant, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A plugin's rows as stored. */
    private record Stored(String name, String manifestFile, boolean enabled, Instant installedAt, String installedBy,
            Map<String, String> settings, Map<String, byte[]> files) {
        PluginPackage pluginPackage(TenantId tenant) {
            return new PluginPackage("postgresql:" + tenant.value() + "/" + name, manifestFile, files);
        }
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    // --- reading -----------------------------------------------------------------------------------------------

    @Override
    public List<InstalledPlugin> list() {
        return database.transaction("listing the plugins of tenant " + tenant, connection -> {
            snapshot(connection);
            return load(connection, null).stream().map(this::installed).toList();
        });
    }

    @Override
    public Optional<InstalledPlugin> find(String name) {
        if (!PluginRepository.isPluginName(name)) {
            return Optional.empty();
        }
        return database.transaction("reading plugin " + name + " of tenant " + tenant, connection -> {
            snapshot(connection);
            return load(connection, name).stream().findFirst().map(this::installed);
        });
    }

    @Override
    public List<String> names() {
        return database.read("listing the plugins of tenant " + tenant, this::names);
    }

    @Override
    public PluginPackage files(String name) {
        return database.transaction("reading the files of plugin " + name, connection -> {
            snapshot(connection);
            return load(connection, name).stream().findFirst().orElseThrow(() -> notFound(connection, name))
                    .pluginPackage(tenant);
        });
    }

    @Override
    public String revision() {
        return database.read("reading the revision of tenant " + tenant + "'s plugins", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT coalesce(string_agg(name || '@' || revision, ',' ORDER BY name COLLATE "C"), '')
                    FROM vigil_plugins WHERE tenant = ?""")) {
                statement.setString(1, tenant.value());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }
        });
    }

    // --- changing ----------------------------------------------------------------------------------------------

    @Override
    public InstalledPlugin install(PluginPackage plugin, Map<String, String> settings, String installedBy) {
        requireNonNull(installedBy, "installedBy is null");
        PluginManifest manifest = plugin.manifest();
        String name = manifest.name();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return database.transaction("installing plugin " + name + " for tenant " + tenant, connection -> {
            lock(connection, name);
            Optional<Stored> previous = load(connection, name).stream().findFirst();
            Map<String, String> merged = PluginRepository.settings(manifest,
                    previous.map(Stored::settings).orElse(Map.of()), settings);
            boolean enabled = previous.map(Stored::enabled).orElse(true);
            if (previous.isPresent()) {
                delete(connection, "vigil_plugin_files", name);
                delete(connection, "vigil_plugin_settings", name);
                try (PreparedStatement statement = connection.prepareStatement("""
                        UPDATE vigil_plugins SET manifest_file = ?, installed_at = ?, installed_by = ?,
                            revision = nextval('vigil_plugin_revisions')
                        WHERE tenant = ? AND name = ?""")) {
                    statement.setString(1, plugin.manifestFile());
                    PostgresState.setInstant(statement, 2, now);
                    statement.setString(3, installedBy);
                    statement.setString(4, tenant.value());
                    statement.setString(5, name);
                    statement.executeUpdate();
                }
            } else {
                try (PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO vigil_plugins (tenant, name, manifest_file, enabled, installed_at, installed_by)
                        VALUES (?, ?, ?, ?, ?, ?)""")) {
                    statement.setString(1, tenant.value());
                    statement.setString(2, name);
                    statement.setString(3, plugin.manifestFile());
                    statement.setBoolean(4, enabled);
                    PostgresState.setInstant(statement, 5, now);
                    statement.setString(6, installedBy);
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO vigil_plugin_files (tenant, plugin, path, content) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, byte[]> file : plugin.files().entrySet()) {
                    statement.setString(1, tenant.value());
                    statement.setString(2, name);
                    statement.setString(3, file.getKey());
                    statement.setBytes(4, file.getValue());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            insertSettings(connection, name, merged);
            return new InstalledPlugin(name, manifest, enabled, merged, now, installedBy);
        });
    }

    @Override
    public InstalledPlugin setEnabled(String name, boolean enabled) {
        return change(name, "enabling or disabling plugin " + name, (connection, plugin) -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_plugins SET enabled = ?, revision = nextval('vigil_plugin_revisions')
                    WHERE tenant = ? AND name = ?""")) {
                statement.setBoolean(1, enabled);
                statement.setString(2, tenant.value());
                statement.setString(3, name);
                statement.executeUpdate();
            }
            return plugin.withEnabled(enabled);
        });
    }

    @Override
    public InstalledPlugin configure(String name, Map<String, String> settings) {
        requireNonNull(settings, "settings is null");
        return change(name, "configuring plugin " + name, (connection, plugin) -> {
            Map<String, String> merged = PluginRepository.settings(plugin.manifest(), plugin.settings(), settings);
            delete(connection, "vigil_plugin_settings", name);
            insertSettings(connection, name, merged);
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE vigil_plugins SET revision = nextval('vigil_plugin_revisions')
                    WHERE tenant = ? AND name = ?""")) {
                statement.setString(1, tenant.value());
                statement.setString(2, name);
                statement.executeUpdate();
            }
            return plugin.withSettings(merged);
        });
    }

    @Override
    public void remove(String name) {
        database.transaction("removing plugin " + name + " of tenant " + tenant, connection -> {
            if (PluginRepository.isPluginName(name)) {
                lock(connection, name);
            }
            if (delete(connection, "vigil_plugins", name) == 0) {
                throw notFound(connection, name);
            }
            return null;
        });
    }

    // --- rows --------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Change {
        InstalledPlugin apply(Connection connection, InstalledPlugin plugin) throws SQLException;
    }

    /** Runs a change of an installed plugin under its lock, with the plugin as it is now. */
    private InstalledPlugin change(String name, String what, Change change) {
        return database.transaction(what + " of tenant " + tenant, connection -> {
            if (PluginRepository.isPluginName(name)) {
                lock(connection, name);
            }
            Stored stored = (PluginRepository.isPluginName(name) ? load(connection, name) : List.<Stored>of())
                    .stream().findFirst().orElseThrow(() -> notFound(connection, name));
            return change.apply(connection, installed(stored));
        });
    }

    private InstalledPlugin installed(Stored stored) {
        PluginPackage files = stored.pluginPackage(tenant);
        PluginManifest manifest;
        try {
            manifest = files.manifest();
        } catch (VigilException e) {
            throw new VigilException(e.code(), e.getMessage(), "Install plugin " + stored.name() + " again with"
                    + " `vigil plugins install`, or remove it.", e);
        }
        return new InstalledPlugin(stored.name(), manifest, stored.enabled(), stored.settings(), stored.installedAt(),
                stored.installedBy());
    }

    /** The tenant's plugins, or the one named, with their settings and files. */
    private List<Stored> load(Connection connection, String only) throws SQLException {
        String filter = only == null ? "" : " AND name = ?";
        Map<String, Stored> plugins = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT name, manifest_file, enabled,"
                + " installed_at, installed_by FROM vigil_plugins WHERE tenant = ?" + filter
                + " ORDER BY name COLLATE \"C\"")) {
            bind(statement, only);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plugins.put(rows.getString(1), new Stored(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                            PostgresState.instant(rows, 4), rows.getString(5), new LinkedHashMap<>(),
                            new TreeMap<>()));
                }
            }
        }
        if (plugins.isEmpty()) {
            return List.of();
        }
        String pluginFilter = only == null ? "" : " AND plugin = ?";
        try (PreparedStatement statement = connection.prepareStatement("SELECT plugin, name, value FROM"
                + " vigil_plugin_settings WHERE tenant = ?" + pluginFilter + " ORDER BY plugin, position")) {
            bind(statement, only);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Stored plugin = plugins.get(rows.getString(1));
                    if (plugin != null) {
                        plugin.settings().put(rows.getString(2), rows.getString(3));
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT plugin, path, content FROM"
                + " vigil_plugin_files WHERE tenant = ?" + pluginFilter)) {
            bind(statement, only);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Stored plugin = plugins.get(rows.getString(1));
                    if (plugin != null) {
                        plugin.files().put(rows.getString(2), rows.getBytes(3));
                    }
                }
            }
        }
        return new ArrayList<>(plugins.values());
    }

    private void bind(PreparedStatement statement, String only) throws SQLException {
        statement.setString(1, tenant.value());
        if (only != null) {
            statement.setString(2, only);
        }
    }

    private List<String> names(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT name FROM vigil_plugins WHERE tenant = ? ORDER BY name COLLATE \"C\"")) {
            statement.setString(1, tenant.value());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    private void insertSettings(Connection connection, String name, Map<String, String> settings)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_plugin_settings"
                + " (tenant, plugin, position, name, value) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                statement.setString(1, tenant.value());
                statement.setString(2, name);
                statement.setInt(3, position++);
                statement.setString(4, setting.getKey());
                statement.setString(5, setting.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Deletes the plugin's rows of a table; how many there were. */
    private int delete(Connection connection, String table, String name) throws SQLException {
        String column = table.equals("vigil_plugins") ? "name" : "plugin";
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table
                + " WHERE tenant = ? AND " + column + " = ?")) {
            statement.setString(1, tenant.value());
            statement.setString(2, name);
            return statement.executeUpdate();
        }
    }

    /** Serializes the changes of one plugin of this tenant, across nodes, until the transaction ends. */
    private void lock(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('vigil_plugins:' || ? || '/' || ?, 0))")) {
            statement.setString(1, tenant.value());
            statement.setString(2, name);
            statement.execute();
        }
    }

    /** Makes the transaction's reads one snapshot: a plugin's rows as one change left them. */
    private static void snapshot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
    }

    private VigilException notFound(Connection connection, String name) {
        List<String> names;
        try {
            names = names(connection);
        } catch (SQLException e) {
            names = List.of();
        }
        return new VigilException(ErrorCode.PLUGIN_NOT_FOUND, "tenant '" + tenant + "' has no plugin '" + name + "'",
                "Installed: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ". "
                        + ErrorCode.PLUGIN_NOT_FOUND.fix(), null);
    }
}
