package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * What a worker and a sender need to know, from the {@code stream.*}, {@code ingest.*} and {@code incidents.*}
 * configuration keys: validated once, when the command starts.
 *
 * @param bootstrap the brokers, {@code host:port[,host:port...]}
 * @param applicationId the Kafka Streams application id; workers sharing it share the work
 * @param partitions partitions of the topics the pipeline creates
 * @param replication their replication factor
 * @param threads stream threads per worker
 * @param stateDir where the worker keeps its local state stores
 * @param connectTimeout how long to wait for a broker to answer before reporting it unreachable
 */
public record StreamSettings(String bootstrap, String applicationId, Topics topics, int partitions, int replication,
        int threads, Path stateDir, Duration connectTimeout, IngestLimits limits, ZoneId defaultZone,
        String defaultTable, CorrelationPolicy correlationPolicy) {
    public StreamSettings {
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(topics, "topics is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(defaultZone, "defaultZone is null");
        requireNonNull(defaultTable, "defaultTable is null");
        requireNonNull(correlationPolicy, "correlationPolicy is null");
        if (!bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "stream.bootstrap '" + bootstrap
                    + "' is not a list of HOST:PORT", "Name the brokers as HOST:PORT, comma-separated, e.g."
                            + " --bootstrap kafka-1:9092,kafka-2:9092.", null);
        }
    }

    /** The settings of a configuration, with the brokers from {@code --bootstrap} when given. */
    public static StreamSettings from(VigilConfig config, String bootstrap) {
        String stateDir = (String) config.value(ConfigKey.STREAM_STATE_DIR);
        return new StreamSettings(bootstrap != null ? bootstrap : (String) config.value(ConfigKey.STREAM_BOOTSTRAP),
                (String) config.value(ConfigKey.STREAM_APPLICATION_ID),
                Topics.withPrefix((String) config.value(ConfigKey.STREAM_TOPIC_PREFIX)),
                ((Number) config.value(ConfigKey.STREAM_PARTITIONS)).intValue(),
                ((Number) config.value(ConfigKey.STREAM_REPLICATION)).intValue(),
                ((Number) config.value(ConfigKey.STREAM_THREADS)).intValue(),
                stateDir.isBlank() ? config.dataDirectory().resolve("stream-state") : Path.of(stateDir),
                (Duration) config.value(ConfigKey.STREAM_CONNECT_TIMEOUT),
                config.ingestLimits(), config.defaultZone(), config.defaultTable(), config.correlationPolicy());
    }

    public StreamSettings withBootstrap(String value) {
        return new StreamSettings(value, applicationId, topics, partitions, replication, threads, stateDir,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }

    public StreamSettings withApplicationId(String value) {
        return new StreamSettings(bootstrap, value, topics, partitions, replication, threads, stateDir,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }

    public StreamSettings withTopics(Topics value) {
        return new StreamSettings(bootstrap, applicationId, value, partitions, replication, threads, stateDir,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }

    public StreamSettings withPartitions(int value) {
        return new StreamSettings(bootstrap, applicationId, topics, value, replication, threads, stateDir,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }

    public StreamSettings withThreads(int value) {
        return new StreamSettings(bootstrap, applicationId, topics, partitions, replication, value, stateDir,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }

    public StreamSettings withStateDir(Path value) {
        return new StreamSettings(bootstrap, applicationId, topics, partitions, replication, threads, value,
                connectTimeout, limits, defaultZone, defaultTable, correlationPolicy);
    }
}
