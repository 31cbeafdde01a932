package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts {@link RawEnvelope}s on the raw topic for a long-running process that takes records from many callers at once
 * ({@code vigil serve --mode scale}: the ingest API and the syslog listeners), and tells each caller when the broker
 * has acknowledged all of its records: {@link #sendAll} returns only then, and throws when any record was refused
 * or not acknowledged within the delivery timeout, so that a caller never reports as durable what may be lost.
 *
 * <p>The producer is the sender's ({@link #producerConfig}): idempotent, {@code acks=all}, keyed by tenant. A
 * tenant's records are spread over the raw topic's partitions in runs of {@value FileSender#RUN}, as
 * {@link FileSender} spreads them, so that every worker takes a share of a busy tenant's parsing and detection. One
 * instance is shared by every thread of the process; closing it flushes what is in flight.
 */
public final class RawTopicProducer implements AutoCloseable {
    private final StreamSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final Duration deliveryTimeout;
    private final Map<TenantId, AtomicLong> sentByTenant = new ConcurrentHashMap<>();
    private volatile int partitions;

    /**
     * A producer for the settings' raw topic. A record not acknowledged within twice {@code stream.connect-timeout}
     * fails, so a caller waits that long at most for a broker that went away.
     */
    public RawTopicProducer(StreamSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        Map<String, Object> config = producerConfig(settings);
        long timeout = settings.connectTimeout().toMillis();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (2 * timeout + 5));
        this.deliveryTimeout = Duration.ofMillis(2 * timeout + 5);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The producer settings of everything that writes the raw topic: idempotent, waiting for every in-sync replica,
     * batched and compressed, blocking at most {@code stream.connect-timeout} for a broker, and taking records up to
     * {@code ingest.max-record-bytes} with room for the envelope.
     */
    static Map<String, Object> producerConfig(StreamSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight per broker: a batch refused while a new partition's leader settles
        // (NOT_LEADER_OR_FOLLOWER) was seen to leave the batches sent behind it retrying OUT_OF_ORDER_SEQUENCE_NUMBER
        // until the delivery timeout; sent one at a time, batches cannot overtake each other.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Math.max(1 << 20, settings.limits().maxRecordBytes() + 4096));
        return config;
    }

    /** The raw topic written to. */
    public String topic() {
        return settings.topics().raw();
    }

    /**
     * Checks that a broker answers and the pipeline's topics exist (creating those that do not), and learns how many
     * partitions the raw topic has.
     *
     * @throws VigilException {@code BROKER_UNAVAILABLE} naming the address when no broker answers in time
     */
    public void connect() {
        Brokers.ensureTopics(settings);
        partitions();
    }

    /**
     * Sends the tenant's records, keyed by tenant and stamped with {@code timestampMillis} (a record without a time
     * of its own takes it as its time), and returns once the broker has acknowledged every one of them.
     *
     * @throws VigilException {@code BROKER_UNAVAILABLE} when a record was not acknowledged: the broker refused it,
     *     or no broker answered within the delivery timeout. Some of the records may be on the topic then; sending
     *     them all again is harmless downstream, where events keep their ids
     */
    public void sendAll(TenantId tenant, List<RawEnvelope> envelopes, long timestampMillis) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(envelopes, "envelopes is null");
        if (envelopes.isEmpty()) {
            return;
        }
        int count = partitions();
        AtomicLong sent = sentByTenant.computeIfAbsent(tenant, t -> new AtomicLong());
        int home = Math.floorMod(tenant.value().hashCode(), count);
        List<CompletableFuture<Void>> acknowledged = new ArrayList<>(envelopes.size());
        for (RawEnvelope envelope : envelopes) {
            if (!envelope.tenant().equals(tenant)) {
                throw new VigilException(ErrorCode.INTERNAL, "a record of tenant '" + envelope.tenant()
                        + "' was to be sent as tenant '" + tenant + "'");
            }
            int partition = (int) Math.floorMod(home + sent.getAndIncrement() / FileSender.RUN, (long) count);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                producer.send(new ProducerRecord<>(topic(), partition, timestampMillis, tenant.value(),
                        envelope.encode()), (metadata, e) -> {
                            if (e != null) {
                                ack.completeExceptionally(e);
                            } else {
                                ack.complete(null);
                            }
                        });
            } catch (TimeoutException e) {
                throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw refused(e);
            }
            acknowledged.add(ack);
        }
        try {
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
                    .get(deliveryTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while waiting for Kafka at "
                    + settings.bootstrap() + " to acknowledge " + envelopes.size() + " records");
        } catch (java.util.concurrent.TimeoutException e) {
            throw Brokers.unreachable(settings.bootstrap(), deliveryTimeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw Brokers.unreachable(settings.bootstrap(), deliveryTimeout, timeout);
            }
            throw refused(e.getCause());
        }
    }

    private VigilException refused(Throwable cause) {
        return new VigilException(ErrorCode.BROKER_UNAVAILABLE, "Kafka at " + settings.bootstrap()
                + " did not take every record for the raw topic " + topic() + ": " + cause, cause);
    }

    private int partitions() {
        int known = partitions;
        if (known > 0) {
            return known;
        }
        try {
            known = producer.partitionsFor(topic()).size();
        } catch (TimeoutException e) {
            throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
        }
        partitions = known;
        return known;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
