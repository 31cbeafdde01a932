package dev.vigil.stream;

import dev.vigil.config.LakeSettings;
import dev.vigil.config.VigilConfig;
import dev.vigil.lake.LakeLayout;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * A lake sink in a JVM of its own, for the tests that kill one:
 * {@code BOOTSTRAP NAME LAKE_ROOT COMMIT_RECORDS [HALT_STEP HALT_COMMIT]}. With a step, the JVM halts right after that
 * step of that commit (no shutdown hook, nothing flushed: a crash there); without one it runs until killed.
 */
public final class SinkMain {
    private SinkMain() {}

    public static void main(String[] args) {
        StreamSettings stream = StreamSettings.from(VigilConfig.defaults(), args[0])
                .withTopics(Topics.withPrefix(args[1] + "."));
        SinkSettings sink = LakeSinkTest.sinkSettings(args[1]).withCommitRecords(Integer.parseInt(args[3]));
        LakeSink.StepHook hook = LakeSink.StepHook.NONE;
        if (args.length > 4) {
            LakeSink.Step haltStep = LakeSink.Step.valueOf(args[4]);
            int haltCommit = Integer.parseInt(args[5]);
            hook = (step, commit) -> {
                if (step == haltStep && commit == haltCommit) {
                    System.out.println("halting after " + step + " of commit " + commit);
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
            };
        }
        try (LakeSink lakeSink = new LakeSink(stream, sink, new LakeLayout(LakeSettings.local(args[2])),
                LakeSinkTest.FAST_FAILOVER, hook)) {
            System.out.println("sink started");
            lakeSink.run(null, (progress, files) -> System.out.println("committed " + progress));
        }
    }
}
