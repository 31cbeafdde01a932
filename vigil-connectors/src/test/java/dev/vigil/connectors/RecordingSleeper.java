package dev.vigil.connectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the waits a connector asks for instead of waiting, so retry tests run in milliseconds. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}
