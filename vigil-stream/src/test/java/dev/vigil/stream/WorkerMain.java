package dev.vigil.stream;

import dev.vigil.config.VigilConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A pipeline worker in a JVM of its own, for the test that kills one: {@code BOOTSTRAP NAME STATE_DIR PARTITIONS}.
 * It runs until killed.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        StreamSettings settings = StreamSettings.from(VigilConfig.defaults(), args[0])
                .withTopics(Topics.withPrefix(args[1] + ".")).withApplicationId("vigil-" + args[1])
                .withStateDir(Path.of(args[2])).withPartitions(Integer.parseInt(args[3]));
        // the killed worker leaves the group when its session times out: 6 s (the broker's least) instead of 45
        StreamWorker worker = StreamWorker.start(settings, Map.of(
                StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
                StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000));
        System.out.println("worker started");
        while (true) {
            Thread.sleep(60_000);
            System.out.println("worker " + worker.state());
        }
    }
}
