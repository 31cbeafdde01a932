package dev.vigil.connectors;

import java.util.function.Consumer;

/** A configured source that a run pulls from, resuming at its checkpoint. */
public interface Connector {
    /** The connector's settings. */
    ConnectorConfig config();

    /**
     * Pulls everything new since the checkpoint, page by page: each page is committed to the store, then the
     * checkpoint moves past it. A failure leaves what was committed, and the next run resumes after it.
     *
     * @param progress told a line after each page
     */
    RunSummary run(Consumer<String> progress);

    /**
     * Checks the connector without storing anything: gets a token and reads one page.
     *
     * @param ok told what worked, one line per step, as each step passes; a failing step throws with the fix
     */
    void test(Consumer<String> ok);
}
