package dev.vigil.connectors;

/** Bearer tokens for a connector's API calls. */
public interface TokenProvider {
    /** A token valid for a while yet; fetched when there is none cached or it is about to expire. */
    String token();

    /** Forgets the cached token, after the API refused it. */
    void invalidate();
}
