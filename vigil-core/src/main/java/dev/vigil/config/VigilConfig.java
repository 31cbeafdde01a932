package dev.vigil.config;

import static java.util.Objects.requireNonNull;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.model.TenantId;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/**
 * Vigil's configuration, validated once at start-up. Values come, each overriding the one before, from the defaults,
 * the configuration file, the environment and the command line; {@link #origin(ConfigKey)} says which one set a key,
 * so that an error can point at it.
 */
public final class VigilConfig {
    private final Map<ConfigKey, Object> values;
    private final Map<ConfigKey, String> origins;

    VigilConfig(Map<ConfigKey, Object> values, Map<ConfigKey, String> origins) {
        this.values = new EnumMap<>(values);
        this.origins = new EnumMap<>(origins);
        for (ConfigKey key : ConfigKey.values()) {
            requireNonNull(this.values.get(key), () -> "no value for " + key.key());
        }
    }

    /** The configuration with every key at its default. */
    public static VigilConfig defaults() {
        return ConfigLoader.load(null, Map.of(), Map.of());
    }

    public Path dataDirectory() {
        return Path.of((String) values.get(ConfigKey.DATA_DIR));
    }

    public TenantId tenant() {
        return (TenantId) values.get(ConfigKey.TENANT);
    }

    public IngestLimits ingestLimits() {
        return new IngestLimits(intValue(ConfigKey.INGEST_MAX_RECORD_BYTES), intValue(ConfigKey.INGEST_MAX_NESTING_DEPTH),
                intValue(ConfigKey.INGEST_MAX_FIELDS_PER_RECORD), intValue(ConfigKey.INGEST_BATCH_SIZE),
                intValue(ConfigKey.INGEST_COMMIT_RECORDS), intValue(ConfigKey.INGEST_MAX_BATCH_BYTES));
    }

    public ZoneId defaultZone() {
        return (ZoneId) values.get(ConfigKey.INGEST_DEFAULT_ZONE);
    }

    public String defaultTable() {
        return (String) values.get(ConfigKey.INGEST_DEFAULT_TABLE);
    }

    /** The placeholder values for Sigma's expand modifier, read from the file the configuration names. */
    public dev.vigil.sigma.Placeholders placeholders() {
        String file = (String) values.get(ConfigKey.DETECTION_PLACEHOLDERS);
        return file == null || file.isBlank() ? dev.vigil.sigma.Placeholders.none()
                : dev.vigil.sigma.Placeholders.load(java.nio.file.Path.of(file));
    }

    /** How incidents are correlated, from the {@code incidents.*} keys. */
    public dev.vigil.incident.CorrelationPolicy correlationPolicy() {
        dev.vigil.incident.CorrelationPolicy defaults = dev.vigil.incident.CorrelationPolicy.defaults();
        java.time.Duration join = (java.time.Duration) value(ConfigKey.INCIDENTS_JOIN_WINDOW);
        java.time.Duration progression = (java.time.Duration) value(ConfigKey.INCIDENTS_PROGRESSION_WINDOW);
        if (progression.compareTo(join) < 0) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID,
                    "incidents.progression-window (" + progression + ") is shorter than incidents.join-window ("
                            + join + ")");
        }
        return new dev.vigil.incident.CorrelationPolicy(join, progression, defaults.commonPartners(),
                defaults.commonShare(), defaults.postingsPerEntity());
    }

    /** How posture judges accounts, telemetry and exploitation, from the {@code posture.*} keys. */
    public dev.vigil.posture.PosturePolicy posturePolicy() {
        return new dev.vigil.posture.PosturePolicy((java.time.Duration) value(ConfigKey.POSTURE_STALE_ACCOUNT_AFTER),
                (java.time.Duration) value(ConfigKey.POSTURE_SILENT_AFTER),
                ((Number) value(ConfigKey.POSTURE_EPSS_PERCENT)).intValue() / 100.0);
    }

    /**
     * Where shared state lives, from the {@code store.*} keys.
     *
     * @throws dev.vigil.model.VigilException {@link dev.vigil.model.ErrorCode#CONFIG_INVALID} for
     *     {@code store.state: postgresql} without {@code store.postgresql.url}
     */
    public SharedStateConfig sharedState() {
        SharedStateConfig.Kind kind = SharedStateConfig.Kind.parse((String) value(ConfigKey.STORE_STATE));
        String url = (String) value(ConfigKey.STORE_POSTGRESQL_URL);
        if (kind == SharedStateConfig.Kind.POSTGRESQL && url.isEmpty()) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID,
                    "store.state is postgresql (" + origin(ConfigKey.STORE_STATE) + ") but store.postgresql.url is"
                            + " not set", "Set store.postgresql.url (or " + ConfigKey.STORE_POSTGRESQL_URL
                            .environmentVariable() + ") to jdbc:postgresql://HOST:5432/DATABASE, or set store.state"
                            + " back to embedded.", null);
        }
        return new SharedStateConfig(kind, url, (String) value(ConfigKey.STORE_POSTGRESQL_USER),
                (String) value(ConfigKey.STORE_POSTGRESQL_PASSWORD_ENV), intValue(ConfigKey.STORE_POSTGRESQL_POOL_SIZE));
    }

    /** Where the event lake is and how to reach it, from the {@code lake.*} keys. */
    public LakeSettings lake() {
        String root = (String) values.get(ConfigKey.LAKE_ROOT);
        return new LakeSettings(root.isEmpty() ? dataDirectory().resolve("lake").toString() : root,
                intValue(ConfigKey.LAKE_TARGET_FILE_MB) * 1024L * 1024L,
                new LakeSettings.ObjectStorage((String) values.get(ConfigKey.LAKE_S3_ENDPOINT),
                        (String) values.get(ConfigKey.LAKE_S3_REGION), (String) values.get(ConfigKey.LAKE_S3_URL_STYLE),
                        Boolean.parseBoolean((String) values.get(ConfigKey.LAKE_S3_USE_SSL)),
                        (String) values.get(ConfigKey.LAKE_S3_KEY_ID_ENV), (String) values.get(ConfigKey.LAKE_S3_SECRET_ENV)),
                (String) values.get(ConfigKey.SPARK_MASTER));
    }

    public String logLevel() {
        return (String) values.get(ConfigKey.LOG_LEVEL);
    }

    public String logFormat() {
        return (String) values.get(ConfigKey.LOG_FORMAT);
    }

    public Object value(ConfigKey key) {
        return values.get(key);
    }

    /** {@code default}, the file and line, {@code environment VIGIL_...} or {@code command line}. */
    public String origin(ConfigKey key) {
        return origins.getOrDefault(key, "default");
    }

    private int intValue(ConfigKey key) {
        return (Integer) values.get(key);
    }
}
