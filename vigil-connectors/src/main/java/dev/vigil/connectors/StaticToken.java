package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

/** A bearer token that does not expire by itself (a Splunk authentication token); a refusal is final. */
final class StaticToken implements TokenProvider {
    private final String token;

    StaticToken(String token) {
        this.token = requireNonNull(token, "token is null");
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public void invalidate() {
        // nothing to refresh: the same token is sent again once, and a second 401 fails with the fix
    }
}
