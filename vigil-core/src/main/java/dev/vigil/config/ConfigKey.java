package dev.vigil.config;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every configuration option Vigil reads, with its type, default and description. The description is the option's
 * documentation: {@code vigil config} prints this table, and the README lists it. A key is written the same way in
 * the file ({@code ingest.batch-size: 5000}), the environment ({@code VIGIL_INGEST_BATCH_SIZE=5000}) and on the
 * command line ({@code --set ingest.batch-size=5000}).
 */
public enum ConfigKey {
    DATA_DIR("data-dir", "./vigil-data", "Where Vigil keeps its data; VIGIL_HOME sets it too.", Parsers::text),
    TENANT("tenant", "default", "The tenant commands work on unless --tenant says otherwise.", Parsers::tenant),
    INGEST_MAX_RECORD_BYTES("ingest.max-record-bytes", "1048576",
            "The largest record accepted, in bytes; larger ones are quarantined (at most 1 GiB).", Parsers.intRange(64, 1 << 30)),
    INGEST_MAX_NESTING_DEPTH("ingest.max-nesting-depth", "64",
            "The deepest JSON nesting accepted; deeper records are quarantined.", Parsers.intRange(2, 10_000)),
    INGEST_MAX_FIELDS_PER_RECORD("ingest.max-fields-per-record", "1000",
            "The most fields one record may have after flattening; records with more are quarantined.", Parsers.intRange(1, 100_000)),
    INGEST_BATCH_SIZE("ingest.batch-size", "10000",
            "Records handed from the parser to the store at once; bounds the memory ingest holds.", Parsers.intRange(1, 1_000_000)),
    INGEST_MAX_BATCH_BYTES("ingest.max-batch-bytes", "33554432",
            "Bytes of raw records a batch may hold before it goes to the store; bounds ingest's memory (64 KiB to 1 GiB).",
            Parsers.intRange(1 << 16, 1 << 30)),
    INGEST_COMMIT_RECORDS("ingest.commit-records", "131072",
            "Records committed together at most (and at least every 2 s): larger commits ingest faster.", Parsers.intRange(1, 100_000_000)),
    INGEST_DEFAULT_ZONE("ingest.default-zone", "UTC",
            "The time zone of timestamps that carry none (BSD syslog, Sysmon UtcTime is UTC anyway).", Parsers::zone),
    INGEST_DEFAULT_TABLE("ingest.default-table", "JsonEvent",
            "The table for JSON records that no known producer claims.", Parsers::table),
    DETECTION_PLACEHOLDERS("detection.placeholders", "",
            "A YAML file giving the values of Sigma placeholders for the expand modifier (name: [value, ...]);"
                    + " rules using a placeholder it does not define are refused.", Parsers::optionalFile),
    INCIDENTS_JOIN_WINDOW("incidents.join-window", "3h",
            "Alerts that share an entity join one incident when at most this far apart (30m, 3h, 1d).",
            Parsers.duration(java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(30))),
    INCIDENTS_PROGRESSION_WINDOW("incidents.progression-window", "24h",
            "Alerts that share an entity and reach a later ATT&CK tactic join up to this far apart (at least the join"
                    + " window).", Parsers.duration(java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(90))),
    RESPONSE_WEBHOOK_URL("response.webhook-url", "",
            "Where approved response actions are sent, as a signed JSON POST (http or https); empty records approvals"
                    + " without carrying them out.", Parsers::optionalUrl),
    RESPONSE_WEBHOOK_SECRET("response.webhook-secret", "",
            "The shared secret that signs webhook payloads (HMAC-SHA256 in X-Vigil-Signature); set it through"
                    + " VIGIL_RESPONSE_WEBHOOK_SECRET rather than a file.", Parsers::optionalText),
    POSTURE_STALE_ACCOUNT_AFTER("posture.stale-account-after", "90d",
            "An enabled account with no sign-in for this long is reported as stale (7d to 3650d).",
            Parsers.duration(java.time.Duration.ofDays(7), java.time.Duration.ofDays(3650))),
    POSTURE_SILENT_AFTER("posture.silent-after", "7d",
            "An asset whose events stopped this long ago is reported as no longer sending telemetry (1h to 365d).",
            Parsers.duration(java.time.Duration.ofHours(1), java.time.Duration.ofDays(365))),
    POSTURE_EPSS_PERCENT("posture.epss-percent", "10",
            "The EPSS probability, in percent, from which exploitation counts as likely in the SSVC decision (1 to 100).",
            Parsers.intRange(1, 100)),
    STREAM_BOOTSTRAP("stream.bootstrap", "localhost:9092",
            "The Kafka brokers of the scale-out pipeline, host:port[,host:port...]; --bootstrap sets it too.",
            Parsers::text),
    STREAM_APPLICATION_ID("stream.application-id", "vigil-pipeline",
            "The Kafka Streams application id: workers with the same id share the work (and its consumer group and"
                    + " state); another id runs an independent pipeline.", Parsers::text),
    STREAM_TOPIC_PREFIX("stream.topic-prefix", "vigil.",
            "Prefix of the pipeline's topics (raw, events, quarantine, alerts, incidents, config).", Parsers::text),
    STREAM_PARTITIONS("stream.partitions", "4",
            "Partitions of the raw, events and alerts topics when the pipeline creates them: the most workers (stream"
                    + " threads) that can share the parsing and detection.", Parsers.intRange(1, 10_000)),
    STREAM_REPLICATION("stream.replication", "1",
            "Replication factor of the topics the pipeline creates (3 in production, 1 on a one-broker test cluster).",
            Parsers.intRange(1, 16)),
    STREAM_THREADS("stream.threads", "1",
            "Stream threads of one worker; each takes whole partitions (tasks).", Parsers.intRange(1, 256)),
    STREAM_CONNECT_TIMEOUT("stream.connect-timeout", "15s",
            "How long the pipeline's commands wait for a broker to answer before they report it unreachable.",
            Parsers.duration(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(10))),
    STREAM_STATE_DIR("stream.state-dir", "",
            "Where a worker keeps its local state stores (correlation); empty for DATA_DIR/stream-state.",
            Parsers::optionalText),
    STREAM_SINK_GROUP_ID("stream.sink.group-id", "vigil-lake-sink",
            "The consumer group of vigil stream sink: sinks with the same group share the events topic's partitions"
                    + " (and its committed offsets); another group writes everything again.", Parsers::text),
    STREAM_SINK_COMMIT_RECORDS("stream.sink.commit-records", "100000",
            "Events the lake sink writes at most per commit (one Parquet file per tenant, table and day of each"
                    + " commit, offsets committed after): larger commits make larger files.",
            Parsers.intRange(1, 10_000_000)),
    STREAM_SINK_COMMIT_BYTES("stream.sink.commit-bytes", "67108864",
            "Bytes of event JSON the lake sink holds at most before it commits; bounds its memory (64 KiB to 1 GiB).",
            Parsers.intRange(1 << 16, 1 << 30)),
    STREAM_SINK_COMMIT_INTERVAL("stream.sink.commit-interval", "30s",
            "The longest the lake sink holds events before it commits them, however few (1s to 1h): how far the"
                    + " lake may trail the events topic.",
            Parsers.duration(java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(1))),
    SERVER_SESSION_IDLE("server.session.idle-timeout", "30m",
            "A login session ends after this long without a request (1m to 7d).",
            Parsers.duration(java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(7))),
    SERVER_SESSION_LIFETIME("server.session.lifetime", "12h",
            "A login session ends this long after the login, used or not (1m to 30d).",
            Parsers.duration(java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(30))),
    SERVER_TLS_KEYSTORE("server.tls.keystore", "",
            "A PKCS#12 keystore with the server's certificate and key: vigil serve then speaks HTTPS only, sends HSTS"
                    + " and marks the session cookie Secure. Empty serves plain HTTP (behind a TLS proxy).",
            Parsers::optionalFile),
    SERVER_TLS_KEYSTORE_PASSWORD_ENV("server.tls.keystore-password-env", "VIGIL_TLS_KEYSTORE_PASSWORD",
            "The environment variable that holds the keystore's password (never the password itself).",
            Parsers::text),
    SERVER_OIDC_ISSUER("server.oidc.issuer", "",
            "The OpenID Connect issuer URL (its /.well-known/openid-configuration is read at the first sign-in); empty turns OIDC"
                    + " login off.", Parsers::optionalUrl),
    SERVER_OIDC_CLIENT_ID("server.oidc.client-id", "", "The client id Vigil is registered with at the provider.",
            Parsers::optionalText),
    SERVER_OIDC_CLIENT_SECRET_ENV("server.oidc.client-secret-env", "VIGIL_OIDC_CLIENT_SECRET",
            "The environment variable that holds the client secret (never the secret itself); unset for a public"
                    + " client, which PKCE protects.", Parsers::text),
    SERVER_OIDC_REDIRECT_URI("server.oidc.redirect-uri", "",
            "The callback URL registered at the provider: https://HOST/api/v1/oidc/callback.", Parsers::optionalUrl),
    SERVER_OIDC_USERNAME_CLAIM("server.oidc.username-claim", "email",
            "The ID token claim that names the Vigil user (email, preferred_username, sub).", Parsers::text),
    SERVER_OIDC_ALLOWED_DOMAINS("server.oidc.allowed-domains", "",
            "E-mail domains (comma-separated) whose users are created at their first OIDC login; empty admits only"
                    + " users added beforehand with vigil users add.", Parsers::optionalText),
    SERVER_OIDC_DEFAULT_TENANT("server.oidc.default-tenant", "default",
            "The tenant a user created at the first OIDC login joins.", Parsers::tenant),
    SERVER_OIDC_DEFAULT_ROLE("server.oidc.default-role", "reader",
            "The role a user created at the first OIDC login gets in that tenant.",
            Parsers.oneOf("reader", "analyst", "owner", "ingest")),
    SERVER_INGEST_MAX_BODY_BYTES("server.ingest.max-body-bytes", "8388608",
            "The largest NDJSON body one ingest request may send (64 KiB to 256 MiB); larger ones are refused with 413.",
            Parsers.intRange(1 << 16, 1 << 28)),
    SERVER_INGEST_CONCURRENT("server.ingest.concurrent-requests", "4",
            "Ingest requests the server works on at once; more are refused with 429 and Retry-After (backpressure).",
            Parsers.intRange(1, 256)),
    SERVER_INGEST_EVENTS_PER_MINUTE("server.ingest.events-per-minute", "0",
            "Records one tenant may send per minute over the ingest API; 0 for no quota.",
            Parsers.intRange(0, Integer.MAX_VALUE)),
    SERVER_INGEST_EVENTS_PER_DAY("server.ingest.events-per-day", "0",
            "Records one tenant may send per day (UTC) over the ingest API; 0 for no quota.",
            Parsers.intRange(0, Integer.MAX_VALUE)),
    SERVER_INGEST_TENANT_QUOTAS("server.ingest.tenant-quotas", "",
            "Quotas of single tenants, overriding the two above: TENANT=PER_MINUTE/PER_DAY, comma-separated"
                    + " (acme=1000/500000); 0 for none.", Parsers::optionalText),
    SERVER_SYSLOG_LISTENERS("server.syslog.listeners", "",
            "Syslog listeners of vigil serve, each port feeding one tenant: udp:PORT=TENANT or tcp:PORT=TENANT,"
                    + " comma-separated (udp:5514=acme,tcp:6514=acme); TCP takes octet-counted or newline framing.",
            Parsers::optionalText),
    SERVER_MODE("server.mode", "embedded",
            "How vigil serve runs: embedded (each tenant's DuckDB store in the data directory) or scale (a stateless"
                    + " API node: ingest to Kafka at stream.bootstrap, events read from the lake at lake.root, state in"
                    + " PostgreSQL with store.state: postgresql); --mode sets it too.", Parsers.oneOf("embedded", "scale")),
    SERVER_TRUSTED_PROXIES("server.trusted-proxies", "",
            "Reverse proxies in front of vigil serve, as IP addresses or CIDR ranges, comma-separated"
                    + " (10.0.0.5,192.168.0.0/16); from them the client's address is read from X-Forwarded-For for the"
                    + " login throttle and the audit log. Empty: the connection's peer is the client.",
            Parsers::optionalText),
    STORE_STATE("store.state", "embedded",
            "Where shared state lives (incidents, copilot sessions, users, API tokens, audit): embedded (the data directory) or"
                    + " postgresql (the database at store.postgresql.url, shared by the nodes of vigil serve --mode"
                    + " scale).", Parsers.oneOf("embedded", "postgresql")),
    STORE_POSTGRESQL_URL("store.postgresql.url", "",
            "The JDBC URL of the PostgreSQL database for store.state: postgresql"
                    + " (jdbc:postgresql://HOST:5432/vigil); Vigil creates and migrates its tables there.",
            Parsers::optionalPostgresUrl),
    STORE_POSTGRESQL_USER("store.postgresql.user", "vigil", "The PostgreSQL user Vigil connects as.", Parsers::text),
    STORE_POSTGRESQL_PASSWORD_ENV("store.postgresql.password-env", "VIGIL_POSTGRESQL_PASSWORD",
            "The environment variable that holds the PostgreSQL password (never the password itself); unset for"
                    + " trust or peer authentication.", Parsers::text),
    STORE_POSTGRESQL_POOL_SIZE("store.postgresql.pool-size", "10",
            "Connections to PostgreSQL one Vigil process keeps open at most (1 to 200).", Parsers.intRange(1, 200)),
    LAKE_ROOT("lake.root", "",
            "The event lake's root for scale-out: a local folder, or an object-storage URL (s3://bucket/prefix);"
                    + " empty is the folder lake inside the data directory.", Parsers::lakeRoot),
    LAKE_TARGET_FILE_MB("lake.target-file-mb", "128",
            "Compaction merges a partition's Parquet files smaller than this many MiB into files of about this size"
                    + " (1 to 4096).", Parsers.intRange(1, 4096)),
    LAKE_S3_ENDPOINT("lake.s3.endpoint", "",
            "The S3-compatible endpoint (host[:port], e.g. minio.internal:9000); empty is AWS S3.", Parsers::optionalText),
    LAKE_S3_REGION("lake.s3.region", "us-east-1", "The S3 region of the lake's bucket.", Parsers::text),
    LAKE_S3_URL_STYLE("lake.s3.url-style", "vhost",
            "How bucket names go into S3 URLs: vhost (AWS) or path (MinIO and most S3-compatible stores).",
            Parsers.oneOf("vhost", "path")),
    LAKE_S3_USE_SSL("lake.s3.use-ssl", "true", "Whether the S3 endpoint is reached over HTTPS.",
            Parsers.oneOf("true", "false")),
    LAKE_S3_KEY_ID_ENV("lake.s3.access-key-id-env", "VIGIL_S3_ACCESS_KEY_ID",
            "The environment variable that holds the S3 access key id (never the key itself); unset uses no"
                    + " credentials.", Parsers::text),
    LAKE_S3_SECRET_ENV("lake.s3.secret-access-key-env", "VIGIL_S3_SECRET_ACCESS_KEY",
            "The environment variable that holds the S3 secret access key (never the key itself).", Parsers::text),
    SPARK_MASTER("spark.master", "local[2]",
            "Where hunts with --engine spark run: local[N] in the Vigil process, or a cluster URL (spark://host:7077).",
            Parsers::text),
    LOG_LEVEL("log.level", "info", "The level of the log file: error, warn, info, debug or trace.",
            Parsers.oneOf("error", "warn", "info", "debug", "trace")),
    LOG_FORMAT("log.format", "json", "The log file's format: json (one object per line) or text.",
            Parsers.oneOf("json", "text"));

    private final String key;
    private final String defaultValue;
    private final String description;
    private final Function<String, Object> parser;

    ConfigKey(String key, String defaultValue, String description, Function<String, Object> parser) {
        this.key = requireNonNull(key, "key is null");
        this.defaultValue = requireNonNull(defaultValue, "defaultValue is null");
        this.description = requireNonNull(description, "description is null");
        this.parser = requireNonNull(parser, "parser is null");
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable that sets this key: {@code VIGIL_} and the key in upper case with '_' separators. */
    public String environmentVariable() {
        return "VIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Parses and validates a value; throws IllegalArgumentException naming what is wrong. */
    Object parse(String value) {
        return parser.apply(value.strip());
    }

    public static ConfigKey byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst().orElse(null);
    }

    static final class Parsers {
        private Parsers() {}

        static Object text(String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return value;
        }

        /** Any text, or empty for none. */
        static Object optionalText(String value) {
            return value.strip();
        }

        /** A file path, or empty for none; the file is read where it is used, with errors naming it. */
        static Object optionalFile(String value) {
            return value.strip();
        }

        /** A duration as people write it: {@code 90s}, {@code 30m}, {@code 3h}, {@code 2d}, or ISO-8601 {@code PT3H}. */
        static Function<String, Object> duration(java.time.Duration min, java.time.Duration max) {
            return value -> {
                java.time.Duration parsed;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})\\s*([smhd])")
                        .matcher(value.toLowerCase(Locale.ROOT));
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    parsed = switch (m.group(2)) {
                        case "s" -> java.time.Duration.ofSeconds(n);
                        case "m" -> java.time.Duration.ofMinutes(n);
                        case "h" -> java.time.Duration.ofHours(n);
                        default -> java.time.Duration.ofDays(n);
                    };
                } else {
                    try {
                        parsed = java.time.Duration.parse(value.toUpperCase(Locale.ROOT));
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new IllegalArgumentException("'" + value + "' is not a duration; write 30m, 3h or 2d");
                    }
                }
                if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                    throw new IllegalArgumentException(value + " is out of range; use " + min.toMinutes()
                            + " minutes to " + max.toDays() + " days");
                }
                return parsed;
            };
        }

        /** An http or https URL, or empty for none. */
        static Object optionalUrl(String value) {
            String url = value.strip();
            if (url.isEmpty()) {
                return url;
            }
            try {
                java.net.URI uri = new java.net.URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException("'" + value + "' is not an http or https URL with a host");
                }
                return url;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("'" + value + "' is not a URL: " + e.getReason());
            }
        }

        /** A {@code jdbc:postgresql:} URL, or empty for none. */
        static Object optionalPostgresUrl(String value) {
            String url = value.strip();
            if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("'" + value + "' is not a PostgreSQL JDBC URL; write"
                        + " jdbc:postgresql://HOST:5432/DATABASE");
            }
            return url;
        }

        /** A local folder, or an s3:// URL with a bucket; empty for the default folder. */
        static Object lakeRoot(String value) {
            String root = value.strip();
            if (root.contains("://") && !root.matches("(s3|s3a|gcs|gs|r2)://[A-Za-z0-9][A-Za-z0-9.\\-_]*(/.*)?")) {
                throw new IllegalArgumentException("'" + value + "' is not a lake root; use a folder or an object"
                        + " storage URL such as s3://bucket/prefix");
            }
            if (root.contains("*") || root.contains("?") || root.contains("[")) {
                throw new IllegalArgumentException("'" + value + "' holds a wildcard; a lake root names one folder");
            }
            return root;
        }

        static Object tenant(String value) {
            return dev.vigil.model.TenantId.of(value);
        }

        static Object zone(String value) {
            try {
                return ZoneId.of(value);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("'" + value + "' is not a time zone; use an id such as UTC,"
                        + " Europe/Paris or +02:00");
            }
        }

        static Object table(String value) {
            if (!value.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("'" + value + "' is not a table name; use letters, digits and '_',"
                        + " starting with a letter");
            }
            return value;
        }

        static Function<String, Object> intRange(int min, int max) {
            return value -> {
                int parsed;
                try {
                    parsed = Integer.parseInt(value.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + value + "' is not a whole number");
                }
                if (parsed < min || parsed > max) {
                    throw new IllegalArgumentException(parsed + " is out of range; use " + min + " to " + max);
                }
                return parsed;
            };
        }

        static Function<String, Object> oneOf(String... choices) {
            return value -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!Arrays.asList(choices).contains(lower)) {
                    throw new IllegalArgumentException("'" + value + "' is not one of " + String.join(", ", choices));
                }
                return lower;
            };
        }
    }
}
