package dev.vigil.connectors;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;

/**
 * A connector could not do its work: the message names the connector, what it was doing (the URL path, the position
 * in a response) and how to fix it. Nothing of the page being read when it is thrown has been stored.
 */
public final class ConnectorException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    public ConnectorException(String message, String fix, Throwable cause) {
        this(message, fix, cause, 0);
    }

    ConnectorException(String message, String fix, Throwable cause, int httpStatus) {
        super(ErrorCode.CONNECTOR_FAILED, message, fix, cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the API refused the request with; 0 when the failure was not such a refusal. */
    public int httpStatus() {
        return httpStatus;
    }

    public ConnectorException(String message, String fix) {
        this(message, fix, null);
    }
}
