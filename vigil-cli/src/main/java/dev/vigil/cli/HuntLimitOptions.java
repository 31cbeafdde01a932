package dev.vigil.cli;

import dev.vigil.store.HuntRunner;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How much one hunting query may return and how long it may run, for the commands that run a query now. */
final class HuntLimitOptions {
    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000",
            description = "Most rows to return (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Cancel the query after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    HuntRunner.Limits limits() {
        return limits(maxRows, timeoutSeconds);
    }

    /** The limits for these option values; values under 1 count as 1, as a query always may return a row. */
    static HuntRunner.Limits limits(int maxRows, int timeoutSeconds) {
        return new HuntRunner.Limits(Math.max(1, maxRows), Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    }
}
