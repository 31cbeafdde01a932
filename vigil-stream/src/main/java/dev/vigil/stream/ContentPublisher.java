package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a tenant's detection content to the config topic, after compiling it here first so that a rule that
 * does not parse is refused with its file and line before any worker sees it. The value replaces the tenant's
 * previous content; workers pick it up within {@code DetectProcessor.REFRESH}.
 */
public final class ContentPublisher {
    private ContentPublisher() {}

    /**
     * @return what the workers will run: rule and indicator counts, and rules that compile to nothing (with why)
     * @throws VigilException {@code RULE_INVALID} for a rule file that does not parse, {@code BROKER_UNAVAILABLE}
     *     when the brokers do not take the value
     */
    public static TenantContent.Compiled publish(StreamSettings settings, TenantId tenant, TenantContent content) {
        requireNonNull(settings, "settings is null");
        requireNonNull(tenant, "tenant is null");
        TenantContent.Compiled compiled = content.compile(tenant, Instant.now());
        Brokers.ensureTopics(settings);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Brokers.CONTENT_MAX_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(settings.topics().config(), tenant.value(), content.encode()))
                    .get(settings.connectTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw Brokers.unreachable(settings.bootstrap(), settings.connectTimeout(), e);
        } catch (ExecutionException e) {
            throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "Kafka at " + settings.bootstrap()
                    + " refused tenant '" + tenant + "''s content on " + settings.topics().config() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while publishing to " + settings.bootstrap());
        }
        return compiled;
    }
}
