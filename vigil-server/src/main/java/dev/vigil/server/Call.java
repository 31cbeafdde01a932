package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * One authenticated, authorized request as a route's action sees it: who acts, on which tenant, and the request's
 * parameters and body, read with errors that name the parameter.
 */
public final class Call {
    /** The longest value kept in an audit record's detail; longer ones are cut. */
    static final int MAX_AUDIT_VALUE = 2_000;

    private final Context context;
    private final Credential credential;
    private final Principal principal;
    private final TenantId tenant;
    private final Map<String, String> audit = new LinkedHashMap<>();
    private String auditActor;

    Call(Context context, Credential credential, Principal principal, TenantId tenant) {
        this.context = requireNonNull(context, "context is null");
        this.credential = credential;
        this.principal = principal;
        this.tenant = tenant;
    }

    /** Who acts; an anonymous route (logging in) has no principal. */
    public Principal principal() {
        if (principal == null) {
            throw new IllegalStateException("an anonymous route has no principal");
        }
        return principal;
    }

    /** The credential the request came with, or null on an anonymous route called without one. */
    Credential credential() {
        return credential;
    }

    Context context() {
        return context;
    }

    /** The request attribute holding the client's address, as {@link ClientAddresses} resolved it. */
    static final String CLIENT = "vigil.client";

    /** The client's address: the connection's peer, or behind a trusted proxy the address it forwarded. */
    String clientAddress() {
        String client = context.attribute(CLIENT);
        return client != null ? client : context.ip();
    }

    /**
     * Adds what the request did to its audit record: the prompt asked, the query run, the fields changed, the action
     * approved. Never a secret: the audit log is for reading. Values longer than {@value #MAX_AUDIT_VALUE}
     * characters are cut.
     */
    public void audit(String key, String value) {
        requireNonNull(key, "key is null");
        if (value != null) {
            audit.put(key, value.length() > MAX_AUDIT_VALUE ? value.substring(0, MAX_AUDIT_VALUE) + "…" : value);
        }
    }

    /** Names the actor of an anonymous request in its audit record: the user name a login tried. */
    void auditActor(String actor) {
        this.auditActor = actor;
    }

    Map<String, String> auditDetail() {
        return audit;
    }

    String auditActor() {
        return auditActor;
    }

    /** The path's tenant (already checked against the token's). */
    public TenantId tenant() {
        if (tenant == null) {
            throw new IllegalStateException("the route has no {tenant}");
        }
        return tenant;
    }

    public String path(String name) {
        return context.pathParam(name);
    }

    /** A whole-number path parameter, or a 400 naming it. */
    public long pathNumber(String name) {
        String value = context.pathParam(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new VigilException(ErrorCode.USAGE, "path parameter '" + name + "' must be a number, not '" + value
                    + "'", "Use the number the listing shows, e.g. /incidents/3", null);
        }
    }

    /** A whole-number query parameter between the bounds, the default when absent, or a 400 naming it. */
    public int queryNumber(String name, int fallback, int minimum, int maximum) {
        String value = context.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= minimum && number <= maximum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new VigilException(ErrorCode.USAGE, "query parameter '" + name + "' must be a whole number from "
                + minimum + " to " + maximum + ", not '" + value + "'", "Pass ?" + name + "=N within the range", null);
    }

    public String query(String name) {
        return context.queryParam(name);
    }

    /** The request body as text (UTF-8), empty when there is none. */
    public String bodyText() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The body, within the limit of JSON bodies even when it came without a length (chunked). */
    private byte[] bytes() {
        byte[] bytes = context.bodyAsBytes();
        if (bytes.length > VigilServer.MAX_BODY_BYTES) {
            throw new VigilException(ErrorCode.REQUEST_TOO_LARGE, "the request body has " + bytes.length
                    + " bytes; the limit is " + VigilServer.MAX_BODY_BYTES);
        }
        return bytes;
    }

    /**
     * The JSON object body (empty when there is none), refusing members outside {@code allowed}. Malformed JSON is a
     * 400 naming the line and column where reading stopped.
     */
    public Map<String, Object> body(Set<String> allowed) {
        byte[] bytes = bytes();
        if (bytes.length == 0) {
            return Map.of();
        }
        Map<String, Object> body;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = ApiJson.MAPPER.readValue(bytes, LinkedHashMap.class);
            body = read;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr();
            throw new VigilException(ErrorCode.USAGE, "the request body is not a JSON object" + where + ": "
                    + firstLine(e.getOriginalMessage()), "Send a JSON object with Content-Type: application/json",
                    null);
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.USAGE, "the request body is not a JSON object: "
                    + firstLine(e.getMessage()), "Send a JSON object with Content-Type: application/json", null);
        }
        if (body == null) {
            return Map.of();
        }
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw new VigilException(ErrorCode.USAGE, "unknown member '" + key + "' in the request body",
                        "Use only " + String.join(", ", allowed.stream().sorted().toList())
                                + " (GET /api/v1/openapi.json describes each route)", null);
            }
        }
        return body;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
