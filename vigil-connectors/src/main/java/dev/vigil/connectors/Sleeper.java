package dev.vigil.connectors;

import java.time.Duration;

/** Waits between attempts; tests substitute one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = duration -> Thread.sleep(duration);
}
