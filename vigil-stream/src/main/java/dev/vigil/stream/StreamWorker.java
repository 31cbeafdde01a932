package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the pipeline: a Kafka Streams instance running {@link PipelineTopology} with
 * {@code exactly_once_v2}. Start as many as there are partitions to share; workers with the same application id
 * split the partitions between them, and take over a stopped worker's partitions (with its correlation state,
 * restored from the changelog) on the next rebalance.
 */
public final class StreamWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamWorker.class);

    private final KafkaStreams streams;

    private StreamWorker(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The Kafka Streams configuration of a worker. */
    public static Properties properties(StreamSettings settings) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replication());
        // parsing is cheap per record: fetch and write in large batches
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return properties;
    }

    /**
     * Creates the topics that are missing and starts a worker; returns once it is started (it then joins the group
     * and restores its state in the background).
     *
     * @throws dev.vigil.model.VigilException {@code BROKER_UNAVAILABLE} when no broker answers at the address
     */
    public static StreamWorker start(StreamSettings settings) {
        return start(settings, Map.of());
    }

    /**
     * Starts a worker with Kafka Streams, consumer or producer settings of its own on top of Vigil's (a shorter
     * session timeout, security settings for the cluster).
     */
    public static StreamWorker start(StreamSettings settings, Map<String, Object> overrides) {
        requireNonNull(settings, "settings is null");
        Brokers.ensureTopics(settings);
        Properties properties = properties(settings);
        properties.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(PipelineTopology.build(settings.topics(), settings.limits(),
                settings.correlationPolicy()), properties);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.atError().setCause(e).log("stream thread failed; it is replaced and its tasks start over from the"
                    + " last commit");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new StreamWorker(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the worker processes (its tasks assigned and restored), or the time is up; says whether it is. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (!state.isRunningOrRebalancing()) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Stops the worker, committing what it processed, and waits for it. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
