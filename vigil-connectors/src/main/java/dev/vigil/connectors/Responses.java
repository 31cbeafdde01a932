package dev.vigil.connectors;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/** Reads API responses as JSON, with errors that name the connector, the path and the position. */
final class Responses {
    private Responses() {}

    static JsonNode parse(String connector, Http.Response response) {
        try {
            JsonNode node = ConnectorRegistry.JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new ConnectorException("connector '" + connector + "': the response of "
                        + response.uri().getPath() + " is not a JSON object", "Check the connector's --endpoint: it"
                        + " should be the API's base URL. Nothing of this response was stored.");
            }
            return node;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConnectorException("connector '" + connector + "': the response of " + response.uri().getPath()
                    + " is not valid JSON" + where + ": " + e.getOriginalMessage(), "The API sent a truncated or"
                    + " malformed response; nothing of it was stored. Run the connector again: it resumes from the last"
                    + " stored page.", e);
        }
    }

    static ConnectorException missing(String connector, Http.Response response, String field) {
        return new ConnectorException("connector '" + connector + "': the response of " + response.uri().getPath()
                + " has no '" + field + "'", "Check the connector's --endpoint: it should be the API's base URL."
                + " Nothing of this response was stored.");
    }
}
