package dev.vigil.spark;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.LakeSettings;
import dev.vigil.lake.LakeHuntEngine;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeSnapshot;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlType;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryResult;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * Hunting over one tenant's part of the lake on Spark SQL: the tenant's tables become temporary views of a Spark
 * session of their own (temporary views belong to a session, so tenants never see each other's), each a Parquet
 * read of that tenant's files only with the partition columns ({@code tenant}, {@code table}, {@code day}) from the
 * path; the hunting language compiles through {@link SparkDialect} and runs there.
 *
 * <p>The tenant's session cannot read files by path ({@code spark.sql.runSQLOnFiles=false}), so SQL run on it reaches
 * the tenant's views and nothing else. The files are a {@link LakeSnapshot} taken when this object is made.
 */
public final class SparkHunts implements LakeHuntEngine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final SparkSession session;
    private final TenantId tenant;
    private final LakeSnapshot snapshot;
    private final HuntCatalog catalog;

    /**
     * @param spark a session made by {@link #session(String)} (or configured alike); a new session is derived from it
     * @param tables the tables to read, or null for all of the tenant's (a local lake only)
     */
    public SparkHunts(SparkSession spark, LakeLayout layout, TenantId tenant, List<String> tables) {
        requireNonNull(spark, "spark is null");
        requireNonNull(layout, "layout is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.snapshot = LakeSnapshot.of(layout, tenant, tables);
        this.session = spark.newSession();
        session.conf().set("spark.sql.runSQLOnFiles", "false");
        List<HuntCatalog.Table> catalogTables = new ArrayList<>();
        try {
            for (LakeSnapshot.Table table : snapshot.tables().values()) {
                Dataset<Row> rows = session.read().option("mergeSchema", "true")
                        .option("basePath", hadoopPath(layout.root()))
                        .parquet(table.paths().stream().map(SparkHunts::hadoopPath).toArray(String[]::new))
                        .withColumn("day", functions.col("day").cast(DataTypes.DateType));
                rows.createOrReplaceTempView(table.name());
                List<HuntCatalog.Column> columns = new ArrayList<>();
                for (StructField field : rows.schema().fields()) {
                    columns.add(new HuntCatalog.Column(LakeWriter.fieldName(field.name()), field.name(), type(field.dataType())));
                }
                catalogTables.add(new HuntCatalog.Table(table.name(), columns));
            }
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "Spark could not read the lake " + layout + " for tenant "
                    + tenant + ": " + firstLine(e.getMessage()), e);
        }
        this.catalog = HuntCatalog.of(catalogTables);
    }

    /**
     * A Spark session for hunts: UTC, KQL's null-on-failure conversions (ANSI mode off), Java 8 time values, no UI,
     * few shuffle partitions (hunts are interactive), and partition values read as text (a tenant id of digits stays
     * text).
     *
     * @param master {@code local[N]} or a cluster URL
     */
    public static SparkSession session(String master) {
        return session(master, Map.of());
    }

    /**
     * A session for hunts with further settings, e.g. {@code spark.sql.codegen.wholeStage=false} where queries are
     * many and small (tests), since code generation costs more than it saves on little data.
     */
    public static SparkSession session(String master, Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder();
        settings.forEach(builder::config);
        return builder.master(master).appName("vigil-hunt")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.ansi.enabled", "false")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** The path as Hadoop's file systems take it: an {@code s3://} lake is read through S3A ({@code s3a://}). */
    static String hadoopPath(String path) {
        return path.regionMatches(true, 0, "s3://", 0, 5) ? "s3a://" + path.substring(5) : path;
    }

    /**
     * The session settings that let Spark read an object-storage lake through S3A (hadoop-aws): endpoint, region,
     * path-style addressing and TLS from the {@code lake.s3.*} settings, and the keys from the environment variables
     * they name (none set: anonymous requests). Empty for a local lake.
     */
    public static Map<String, String> objectStorage(LakeSettings lake, Function<String, String> environment) {
        if (!lake.isObjectStorage()) {
            return Map.of();
        }
        LakeSettings.ObjectStorage s3 = lake.objectStorage();
        Map<String, String> settings = new LinkedHashMap<>();
        String prefix = "spark.hadoop.fs.s3a.";
        if (!s3.endpoint().isEmpty()) {
            settings.put(prefix + "endpoint", s3.endpoint().contains("://") ? s3.endpoint()
                    : (s3.useSsl() ? "https://" : "http://") + s3.endpoint());
        }
        settings.put(prefix + "endpoint.region", s3.region());
        settings.put(prefix + "path.style.access", Boolean.toString(s3.urlStyle().equals("path")));
        settings.put(prefix + "connection.ssl.enabled", Boolean.toString(s3.useSsl()));
        String keyId = environment.apply(s3.keyIdEnv());
        if (keyId == null || keyId.isEmpty()) {
            settings.put(prefix + "aws.credentials.provider",
                    "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        } else {
            String secret = environment.apply(s3.secretEnv());
            if (secret == null || secret.isEmpty()) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "the S3 access key id is set in " + s3.keyIdEnv()
                        + " but its secret key is not in " + s3.secretEnv(), "Set " + s3.secretEnv()
                        + " (or name another variable with lake.s3.secret-access-key-env).", null);
            }
            settings.put(prefix + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            settings.put(prefix + "access.key", keyId);
            settings.put(prefix + "secret.key", secret);
        }
        return settings;
    }

    public TenantId tenant() {
        return tenant;
    }

    @Override
    public String engine() {
        return "spark";
    }

    public LakeSnapshot snapshot() {
        return snapshot;
    }

    public HuntCatalog catalog() {
        return catalog;
    }

    @Override
    public KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters) {
        return new KqlCompiler(catalog, SparkDialect.INSTANCE).compile(kql, tenant.value(), parameters);
    }

    @Override
    public HuntRunner.Result run(String kql, Map<String, Object> parameters, HuntRunner.Limits limits) {
        KqlCompiler.Compiled compiled = compile(kql, parameters);
        return new HuntRunner.Result(compiled, execute(compiled.sql(), limits));
    }

    /**
     * Has Spark analyze compiled SQL without running it: names, types and functions resolve (or it throws, as a run
     * would), no job starts.
     *
     * @return the result's column types in Spark SQL
     */
    public List<String> analyze(String sql) {
        try {
            List<String> types = new ArrayList<>();
            for (StructField field : session.sql(sql).schema().fields()) {
                types.add(field.name() + " " + field.dataType().sql());
            }
            return types;
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, and undeclared
            throw new VigilException(ErrorCode.QUERY_INVALID, "Spark cannot analyze the hunt: " + firstLine(e.getMessage()), e);
        }
    }

    /** Runs Spark SQL on the tenant's session under the limits: at most maxRows rows, cancelled past the timeout. */
    public QueryResult execute(String sql, HuntRunner.Limits limits) {
        long start = System.nanoTime();
        String group = "vigil-hunt-" + UUID.randomUUID();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "spark-hunt-timeout");
            thread.setDaemon(true);
            return thread;
        });
        session.sparkContext().setJobGroup(group, "hunt of tenant " + tenant, true);
        try {
            ScheduledFuture<?> cancel = timer.schedule(() -> {
                timedOut.set(true);
                session.sparkContext().cancelJobGroup(group);
            }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            Dataset<Row> result = session.sql(sql);
            List<Row> rows = result.limit(limits.maxRows() + 1).collectAsList();
            cancel.cancel(false);
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (StructField field : result.schema().fields()) {
                columns.add(field.name());
                types.add(field.dataType().sql());
            }
            List<List<Object>> values = new ArrayList<>();
            for (int i = 0; i < Math.min(rows.size(), limits.maxRows()); i++) {
                Row row = rows.get(i);
                List<Object> line = new ArrayList<>(row.size());
                for (int j = 0; j < row.size(); j++) {
                    line.add(plain(row.get(j)));
                }
                values.add(line);
            }
            return new QueryResult(columns, types, values, rows.size() > limits.maxRows(),
                    (System.nanoTime() - start) / 1e6);
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, and undeclared
            if (timedOut.get()) {
                throw new VigilException(ErrorCode.QUERY_LIMIT, "the query ran longer than the timeout of "
                        + limits.timeout().toSeconds() + " s and was cancelled", "Narrow the query (a time range,"
                        + " fewer joins), or raise --timeout.", e);
            }
            throw new VigilException(ErrorCode.QUERY_INVALID, "the hunt failed on Spark: " + firstLine(e.getMessage()), e);
        } finally {
            session.sparkContext().clearJobGroup();
            timer.shutdownNow();
        }
    }

    /** Spark's values as the plain values results hold, times written as the DuckDB results write them. */
    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case Boolean b -> b;
            case java.math.BigDecimal d -> d;
            case Instant t -> OffsetDateTime.ofInstant(t, ZoneOffset.UTC).format(TIME);
            case java.sql.Timestamp t -> OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC).format(TIME);
            case java.time.LocalDate d -> d.toString();
            case java.sql.Date d -> d.toLocalDate().toString();
            case byte[] bytes -> java.util.HexFormat.of().formatHex(bytes);
            default -> value.toString();
        };
    }

    static KqlType type(DataType type) {
        if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)
                || type.equals(DataTypes.DateType)) {
            return KqlType.DATETIME;
        }
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)
                || type.equals(DataTypes.ByteType)) {
            return KqlType.LONG;
        }
        if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType) || type instanceof DecimalType) {
            return KqlType.REAL;
        }
        if (type.equals(DataTypes.BooleanType)) {
            return KqlType.BOOL;
        }
        return KqlType.STRING;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Drops the tenant's views; the shared Spark context stays for other hunts. */
    @Override
    public void close() {
        for (String table : snapshot.tables().keySet()) {
            session.catalog().dropTempView(table);
        }
    }
}
