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
    private final Context context;
    private final Principal principal;
    private final TenantId tenant;

    Call(Context context, Principal principal, TenantId tenant) {
        this.context = requireNonNull(context, "context is null");
        this.principal = requireNonNull(principal, "principal is null");
        this.tenant = tenant;
    }

    public Principal principal() {
        return principal;
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
        return new String(context.bodyAsBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The JSON object body (empty when there is none), refusing members outside {@code allowed}. Malformed JSON is a
     * 400 naming the line and column where reading stopped.
     */
    public Map<String, Object> body(Set<String> allowed) {
        byte[] bytes = context.bodyAsBytes();
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
