package dev.vigil.stream;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Talks to the cluster before the pipeline runs: checks the brokers answer, and creates the topics it needs. */
public final class Brokers {
    /** The largest tenant content the config topic takes. */
    static final int CONTENT_MAX_BYTES = 64 << 20;
    private Brokers() {}

    /**
     * Creates the pipeline's topics that do not exist yet: raw, events and alerts with the configured partitions,
     * quarantine and incidents likewise, config compacted with one partition (every worker reads all of it) and values
     * of up to 64 MiB.
     *
     * @throws VigilException {@code BROKER_UNAVAILABLE} naming the address when no broker answers in time
     */
    public static void ensureTopics(StreamSettings settings) {
        ensureTopics(settings, settings.connectTimeout());
    }

    /**
     * Waits until every partition of newly created topics has a leader. A record produced before that is refused
     * with {@code NOT_LEADER_OR_FOLLOWER}, and an idempotent producer with several requests in flight can then be
     * left retrying out-of-order sequence numbers until its delivery timeout.
     */
    private static void awaitLeaders(Admin admin, List<String> topics, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean led;
            try {
                led = admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .values().stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                led = false; // created, not yet known to the broker answering
            }
            if (led) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new TimeoutException("the new topics " + topics + " have partitions without a leader");
            }
            Thread.sleep(100);
        }
    }

    static void ensureTopics(StreamSettings settings, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Topics topics = settings.topics();
            List<NewTopic> missing = new ArrayList<>();
            short replication = (short) settings.replication();
            for (String topic : topics.all()) {
                if (existing.contains(topic)) {
                    continue;
                }
                boolean isConfig = topic.equals(topics.config());
                NewTopic created = new NewTopic(topic, isConfig ? 1 : settings.partitions(), replication);
                if (isConfig) {
                    // one value holds all of a tenant's rules and indicators: a big Sigma corpus is several MiB
                    created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(CONTENT_MAX_BYTES)));
                }
                missing.add(created);
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // another worker made it first
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList(), timeout);
            }
        } catch (TimeoutException e) {
            throw unreachable(settings.bootstrap(), timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(settings.bootstrap(), timeout, e.getCause());
            }
            throw new VigilException(ErrorCode.BROKER_UNAVAILABLE, "Kafka at " + settings.bootstrap()
                    + " refused to create the pipeline's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "interrupted while reaching Kafka at "
                    + settings.bootstrap());
        }
    }

    static VigilException unreachable(String bootstrap, Duration timeout, Throwable cause) {
        return new VigilException(ErrorCode.BROKER_UNAVAILABLE, "no Kafka broker answered at " + bootstrap
                + " within " + timeout.toSeconds() + " s", cause);
    }
}
