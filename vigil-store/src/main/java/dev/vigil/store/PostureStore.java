package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Identity;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.inventory.Service;
import dev.vigil.posture.inventory.Software;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's posture data, reached through {@link TenantStore#posture()}: its inventory ({@code vigil_inventory}: one
 * row per asset, software, identity or service record, with the file it came from and the record as JSON), the
 * latest findings ({@code vigil_findings}) and the exposure score history ({@code vigil_exposure_history}). Writes join
 * the store's unit of work and become durable at {@link TenantStore#commit()}.
 *
 * <p>Importing a file replaces what an earlier import of the same file stored, so re-importing an updated export
 * drops what it no longer lists. Records observed in events are kept under the source {@code events} and refreshed
 * by {@link #observe}; an import's fields win over an observation's when the inventory is read.
 */
public final class PostureStore {
    /** The source under which records observed in events are kept. */
    public static final String OBSERVED_SOURCE = "events";
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final TenantStore store;
    private final DuckDBConnection connection;

    PostureStore(TenantStore store, DuckDBConnection connection) {
        this.store = requireNonNull(store, "store is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_inventory (
                    kind VARCHAR NOT NULL, record_key VARCHAR NOT NULL, asset_id VARCHAR, source_file VARCHAR NOT NULL,
                    origin VARCHAR NOT NULL, record JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_findings (
                    id VARCHAR NOT NULL, kind VARCHAR NOT NULL, asset_id VARCHAR, subject VARCHAR NOT NULL,
                    decision VARCHAR NOT NULL, confidence VARCHAR NOT NULL, risk DOUBLE NOT NULL,
                    known_exploited BOOLEAN NOT NULL, finding JSON NOT NULL, analyzed_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_exposure_history (
                    analyzed_at TIMESTAMPTZ NOT NULL, scope VARCHAR NOT NULL, score DOUBLE NOT NULL,
                    findings INTEGER NOT NULL, act INTEGER NOT NULL, attend INTEGER NOT NULL,
                    known_exploited INTEGER NOT NULL)""");
    }

    /** What a replacement stored: rows written and rows of the earlier import of the same file removed. */
    public record Replaced(int written, int removed) {}

    /**
     * Replaces the records the source gave before with these ones (in the open unit of work).
     *
     * @param source the file the records come from, as the user named it
     */
    public Replaced replace(String source, Inventory inventory) {
        requireNonNull(source, "source is null");
        requireNonNull(inventory, "inventory is null");
        return store.write("storing the inventory of " + source, () -> {
            int removed;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM vigil_inventory WHERE source_file = ?")) {
                delete.setString(1, source);
                removed = delete.executeUpdate();
            }
            int written = 0;
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO vigil_inventory VALUES (?, ?, ?, ?, ?, ?::JSON, ?)")) {
                for (Asset asset : inventory.assets()) {
                    written += add(insert, "asset", asset.id(), asset.id(), source, asset.origin(), asset, now);
                }
                for (Software item : inventory.software()) {
                    written += add(insert, "software", item.key(), item.assetId(), source, item.origin(), item, now);
                }
                for (Identity identity : inventory.identities()) {
                    written += add(insert, "identity", Identity.key(identity.name()), null, source, identity.origin(),
                            identity, now);
                }
                for (Service service : inventory.services()) {
                    written += add(insert, "service", service.key(), service.assetId(), source, service.origin(),
                            service, now);
                }
                insert.executeBatch();
            }
            return new Replaced(written, removed);
        });
    }

    private static int add(PreparedStatement insert, String kind, String key, String assetId, String source,
            Origin origin, Object record, Timestamp now) throws SQLException {
        insert.setString(1, kind);
        insert.setString(2, key);
        insert.setString(3, assetId);
        insert.setString(4, source);
        insert.setString(5, origin.name().toLowerCase(java.util.Locale.ROOT));
        insert.setString(6, JSON.writeValueAsString(record));
        insert.setTimestamp(7, now);
        insert.addBatch();
        return 1;
    }

    /**
     * The inventory: observed records first, then imports in the order they were stored, merged so that later and
     * imported records win field by field.
     */
    public Inventory inventory() {
        return inventory("true");
    }

    /** The assets alone, merged as {@link #inventory()} merges them, without reading their software and accounts. */
    public List<Asset> assets() {
        return inventory("kind = 'asset'").assets();
    }

    private Inventory inventory(String where) {
        return store.read("reading the inventory", "vigil_inventory", Inventory.empty(), () -> {
            List<Inventory> parts = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT kind, CAST(record AS VARCHAR) FROM vigil_inventory"
                            + " WHERE " + where + " ORDER BY origin = 'imported', updated_at, source_file, kind")) {
                while (rows.next()) {
                    String json = rows.getString(2);
                    parts.add(switch (rows.getString(1)) {
                        case "asset" -> new Inventory(List.of(JSON.readValue(json, Asset.class)), List.of(), List.of(),
                                List.of());
                        case "software" -> new Inventory(List.of(), List.of(JSON.readValue(json, Software.class)),
                                List.of(), List.of());
                        case "identity" -> new Inventory(List.of(), List.of(),
                                List.of(JSON.readValue(json, Identity.class)), List.of());
                        case "service" -> new Inventory(List.of(), List.of(), List.of(),
                                List.of(JSON.readValue(json, Service.class)));
                        default -> Inventory.empty();
                    });
                }
            }
            return Inventory.merge(parts);
        });
    }

    /** Rows per source file and kind, for {@code vigil inventory list}. */
    public List<Map<String, Object>> sources() {
        return store.read("reading the inventory sources", "vigil_inventory", List.of(), () -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT source_file, kind, count(*), max(updated_at)::VARCHAR"
                            + " FROM vigil_inventory GROUP BY ALL ORDER BY 1, 2")) {
                while (rows.next()) {
                    out.add(Map.of("source", rows.getString(1), "kind", rows.getString(2), "records", rows.getLong(3),
                            "updated_at", rows.getString(4)));
                }
            }
            return out;
        });
    }

    /**
     * Refreshes what the tenant's events reveal: every host and user named by an event table (with the time of the
     * latest event, which the silent-asset check reads) and the programs seen running per host. Stored under
     * {@link #OBSERVED_SOURCE}, replacing the previous observation.
     *
     * @return the observed inventory
     */
    public Inventory observe() {
        List<String> tables = store.read("listing the event tables", "vigil_events", List.<String>of(), () -> {
            List<String> names = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE"
                            + " table_schema = 'main' AND table_type = 'VIEW' ORDER BY 1")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        });
        List<Asset> assets = new ArrayList<>();
        List<Identity> identities = new ArrayList<>();
        List<Software> software = new ArrayList<>();
        if (!tables.isEmpty()) {
            StringBuilder union = new StringBuilder();
            for (String table : tables) {
                union.append(union.isEmpty() ? "" : " UNION ALL ").append("SELECT host, \"user\", process, time FROM ")
                        .append(Catalog.quote(table));
            }
            store.read("observing the inventory in events", "vigil_events", null, () -> {
                try (Statement statement = connection.createStatement()) {
                    try (ResultSet rows = statement.executeQuery("SELECT host, max(time) FROM (" + union + ") WHERE"
                            + " host IS NOT NULL AND host <> '' GROUP BY host")) {
                        while (rows.next()) {
                            Asset named = Asset.named(rows.getString(1), Origin.OBSERVED, OBSERVED_SOURCE);
                            Timestamp last = rows.getTimestamp(2);
                            assets.add(new Asset(named.id(), named.hostname(), List.of(), null, null, null, null, null,
                                    List.of(), Origin.OBSERVED, OBSERVED_SOURCE + ": host " + rows.getString(1),
                                    last == null ? null : last.toInstant()));
                        }
                    }
                    try (ResultSet rows = statement.executeQuery("SELECT \"user\", max(time) FROM (" + union + ")"
                            + " WHERE \"user\" IS NOT NULL AND \"user\" <> '' GROUP BY 1")) {
                        while (rows.next()) {
                            identities.add(new Identity(rows.getString(1), "", List.of(), List.of(), null, null, null,
                                    null, Origin.OBSERVED, OBSERVED_SOURCE + ": user " + rows.getString(1)));
                        }
                    }
                    // Spellings of one host (WS-7.corp.local, ws-7) are one asset: count a program's runs per
                    // asset key, so that it is one record whose evidence counts all of them.
                    Map<String, Long> runs = new LinkedHashMap<>();
                    Map<String, String> paths = new LinkedHashMap<>();
                    try (ResultSet rows = statement.executeQuery("SELECT host, process, count(*) FROM (" + union + ")"
                            + " WHERE host IS NOT NULL AND host <> '' AND process IS NOT NULL AND process <> ''"
                            + " GROUP BY 1, 2 ORDER BY 1, 2")) {
                        while (rows.next()) {
                            String process = rows.getString(2);
                            String key = Asset.key(rows.getString(1)) + "\n" + process;
                            runs.merge(key, rows.getLong(3), Long::sum);
                            paths.putIfAbsent(key, process);
                        }
                    }
                    for (Map.Entry<String, Long> run : runs.entrySet()) {
                        String process = paths.get(run.getKey());
                        String name = process.substring(Math.max(process.lastIndexOf('\\'),
                                process.lastIndexOf('/')) + 1);
                        software.add(new Software(run.getKey().substring(0, run.getKey().indexOf('\n')), name, "",
                                "", null, null, Origin.OBSERVED, OBSERVED_SOURCE + ": " + run.getValue()
                                + " events ran " + process));
                    }
                }
                return null;
            });
        }
        // Events name a host or user in several spellings (WS-7.corp.local and ws-7, CORP\\bob and bob): merged
        // here, each is one observed record, with the latest time any spelling was seen.
        Inventory observed = Inventory.merge(List.of(new Inventory(assets, software, identities, List.of())));
        replace(OBSERVED_SOURCE, observed);
        return observed;
    }

    /** Stores the report's findings (replacing the previous ones) and appends its scores to the history. */
    public void record(PostureReport report) {
        requireNonNull(report, "report is null");
        store.write("storing the posture", () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM vigil_findings");
            }
            Timestamp at = Timestamp.from(report.at());
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO vigil_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?)")) {
                for (Finding finding : report.findings()) {
                    insert.setString(1, finding.id());
                    insert.setString(2, finding.kind());
                    insert.setString(3, finding.assetId());
                    insert.setString(4, finding.subject());
                    insert.setString(5, finding.decision().label());
                    insert.setString(6, finding.confidence().name().toLowerCase(java.util.Locale.ROOT));
                    insert.setDouble(7, finding.risk());
                    insert.setBoolean(8, finding.knownExploited());
                    insert.setString(9, JSON.writeValueAsString(finding));
                    insert.setTimestamp(10, at);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO vigil_exposure_history VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                history(insert, at, "organization", report.organizationScore(), report.findings(), null);
                for (Map.Entry<String, Double> asset : report.assetScores().entrySet()) {
                    history(insert, at, "asset:" + asset.getKey(), asset.getValue(), report.findings(), asset.getKey());
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    private static void history(PreparedStatement insert, Timestamp at, String scope, double score,
            List<Finding> findings, String assetId) throws SQLException {
        List<Finding> mine = assetId == null ? findings
                : findings.stream().filter(f -> assetId.equals(f.assetId())).toList();
        insert.setTimestamp(1, at);
        insert.setString(2, scope);
        insert.setDouble(3, score);
        insert.setInt(4, mine.size());
        insert.setInt(5, (int) mine.stream().filter(f -> f.decision() == dev.vigil.posture.Decision.ACT).count());
        insert.setInt(6, (int) mine.stream().filter(f -> f.decision() == dev.vigil.posture.Decision.ATTEND).count());
        insert.setInt(7, (int) mine.stream().filter(Finding::knownExploited).count());
        insert.addBatch();
    }

    /** One point of the exposure score history. */
    public record HistoryPoint(Instant at, double score, int findings, int act, int attend, int knownExploited) {}

    /** The scope's history ({@code organization} or {@code asset:ID}), oldest first, at most {@code limit} points. */
    public List<HistoryPoint> history(String scope, int limit) {
        return store.read("reading the exposure history", "vigil_exposure_history", List.of(), () -> {
            List<HistoryPoint> points = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM (SELECT analyzed_at, score,"
                    + " findings, act, attend, known_exploited FROM vigil_exposure_history WHERE scope = ? ORDER BY"
                    + " analyzed_at DESC LIMIT ?) ORDER BY analyzed_at")) {
                query.setString(1, scope);
                query.setInt(2, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        points.add(new HistoryPoint(rows.getTimestamp(1).toInstant(), rows.getDouble(2), rows.getInt(3),
                                rows.getInt(4), rows.getInt(5), rows.getInt(6)));
                    }
                }
            }
            return points;
        });
    }
}
