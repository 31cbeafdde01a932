package dev.vigil.server;

import dev.vigil.model.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the API, generated from the same {@link Route} table the server serves and
 * authorizes, so the two cannot drift: each operation names the role it needs ({@code x-vigil-role}), its path
 * parameters, its example body and the error answers every route shares.
 */
final class OpenApi {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z]+)}");

    private OpenApi() {}

    static Map<String, Object> document(List<Route> routes) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", "Vigil REST API", "version", "1",
                "description", "Hunting, incidents, alerts, posture, the copilot and NDJSON ingest of a tenant."
                        + " Authenticate with an API token (`Authorization: Bearer vgl_...`, created with `vigil"
                        + " tokens create`; it opens one tenant with one role) or a login session (POST /api/v1/login"
                        + " sets the HttpOnly session cookie; every POST, PUT, PATCH and DELETE with the cookie sends"
                        + " the csrf_token of GET /api/v1/me in the X-CSRF-Token header; a user holds a role in each"
                        + " tenant it is a member of). Roles: reader < analyst < owner, and ingest, which may only"
                        + " send data (owners may too). x-vigil-role names the least role of each operation ('any':"
                        + " any credential; 'none': no credential needed). Errors are {code, message, fix}."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(),
                    p -> new LinkedHashMap<String, Object>());
            item.put(route.method().toLowerCase(java.util.Locale.ROOT), operation(route));
        }
        document.put("paths", paths);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "object");
        error.put("required", List.of("code", "message", "fix"));
        error.put("properties", Map.of(
                "code", Map.of("type", "string", "enum", java.util.Arrays.stream(ErrorCode.values())
                        .map(ErrorCode::id).toList()),
                "message", Map.of("type", "string"),
                "fix", Map.of("type", "string"),
                "line", Map.of("type", "integer", "description", "For query errors: the 1-based line"),
                "column", Map.of("type", "integer", "description", "For query errors: the 1-based column")));
        document.put("components", Map.of(
                "securitySchemes", Map.of("token", Map.of("type", "http", "scheme", "bearer",
                        "description", "An API token, vgl_ and 43 base64url characters"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", "vigil_session",
                                "description", "The login session cookie (__Host-vigil_session under TLS), set by"
                                        + " POST /api/v1/login or the OIDC callback; unsafe methods also need the"
                                        + " X-CSRF-Token header")),
                "schemas", Map.of("Error", error)));
        document.put("security", List.of(Map.of("token", List.of()), Map.of("session", List.of())));
        return document;
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("summary", route.summary());
        operation.put("operationId", operationId(route));
        operation.put("x-vigil-role", route.anonymous() ? "none" : route.role() == null ? "any"
                : route.role().toString());
        if (route.anonymous()) {
            operation.put("security", List.of());
        }
        List<Map<String, Object>> parameters = new java.util.ArrayList<>();
        Matcher matcher = PARAMETER.matcher(route.path());
        while (matcher.find()) {
            parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.example() != null && route.consumes().equals(Route.NDJSON)) {
            String line = ApiJson.MAPPER.writeValueAsString(route.example());
            operation.put("requestBody", Map.of("required", true, "content", Map.of(Route.NDJSON,
                    Map.of("schema", Map.of("type", "string", "description", "One JSON record per line"),
                            "example", line + "\n" + line + "\n"))));
        } else if (route.example() != null) {
            operation.put("requestBody", Map.of("required", true, "content", Map.of("application/json",
                    Map.of("schema", Map.of("type", "object"), "example", route.example()))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> content = new LinkedHashMap<>();
        for (String type : route.produces().split(",\\s*")) {
            content.put(type, Map.of("schema", type.startsWith(Route.JSON) ? Map.of("type", "object")
                    : Map.of("type", "string")));
        }
        responses.put("200", Map.of("description", route.produces().equals(Route.EVENT_STREAM)
                ? "Server-sent events, each an event name and one line of JSON data" : "OK", "content", content));
        Map<String, Object> errorContent = Map.of("application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        responses.put("400", Map.of("description", "Invalid request (a query error has line and column)",
                "content", errorContent));
        responses.put("401", Map.of("description", "No valid, unexpired, unrevoked token", "content", errorContent));
        responses.put("403", Map.of("description", "The token's tenant or role does not allow it",
                "content", errorContent));
        responses.put("404", Map.of("description", "Not found", "content", errorContent));
        responses.put("413", Map.of("description", "Body over 1 MiB (an ingest body: server.ingest.max-body-bytes),"
                + " a prompt over 64 KiB, or a query limit", "content", errorContent));
        responses.put("429", Map.of("description", "Too many requests: failed logins, a full ingest queue or an"
                + " ingest quota; the Retry-After header says when to try again", "content", errorContent));
        operation.put("responses", responses);
        return operation;
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(java.util.Locale.ROOT));
        for (String part : route.path().substring(Api.BASE.length()).split("[/.]")) {
            if (part.isEmpty() || part.startsWith("{") || part.equals("tenants")) {
                continue;
            }
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return route.path().endsWith("}") ? id.append("One").toString() : id.toString();
    }
}
