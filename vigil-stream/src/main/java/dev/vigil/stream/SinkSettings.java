package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import java.time.Duration;

/**
 * How the lake sink batches, from the {@code stream.sink.*} keys: it commits (writes its files, then its offsets) when
 * a batch reaches {@code commitRecords} events or {@code commitBytes} bytes of event JSON, or has waited
 * {@code commitInterval}, whichever comes first.
 *
 * @param groupId the consumer group; sinks sharing it share the events topic's partitions
 */
public record SinkSettings(String groupId, int commitRecords, long commitBytes, Duration commitInterval) {
    public SinkSettings {
        requireNonNull(groupId, "groupId is null");
        requireNonNull(commitInterval, "commitInterval is null");
        if (commitRecords < 1 || commitBytes < 1 || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("a sink commits after at least one record, byte and millisecond");
        }
    }

    public static SinkSettings from(VigilConfig config) {
        return new SinkSettings((String) config.value(ConfigKey.STREAM_SINK_GROUP_ID),
                ((Number) config.value(ConfigKey.STREAM_SINK_COMMIT_RECORDS)).intValue(),
                ((Number) config.value(ConfigKey.STREAM_SINK_COMMIT_BYTES)).longValue(),
                (Duration) config.value(ConfigKey.STREAM_SINK_COMMIT_INTERVAL));
    }

    public SinkSettings withGroupId(String value) {
        return new SinkSettings(value, commitRecords, commitBytes, commitInterval);
    }

    public SinkSettings withCommitRecords(int value) {
        return new SinkSettings(groupId, value, commitBytes, commitInterval);
    }

    public SinkSettings withCommitInterval(Duration value) {
        return new SinkSettings(groupId, commitRecords, commitBytes, value);
    }
}
