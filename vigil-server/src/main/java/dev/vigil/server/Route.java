package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import java.util.Map;

/**
 * One route of the REST API: its method and path, the role it needs, what it does, and an example request body.
 * The server registers, authorizes, audits and documents (OpenAPI) routes from this one table, so a route cannot be
 * served without its role check, nor checked differently from what the documentation says.
 *
 * @param method {@code GET}, {@code POST} or {@code PATCH}
 * @param path the full path, with {@code {name}} path parameters; a path with {@code {tenant}} is tenant-scoped: the
 *     token's tenant must be that tenant
 * @param role the least role the route needs, or null for any valid token (routes outside a tenant)
 * @param summary one line for the OpenAPI document
 * @param example a valid request body, or null when the route takes none
 * @param action what it does once the caller is authenticated and authorized
 */
public record Route(String method, String path, Role role, String summary, Map<String, Object> example,
        Action action) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(action, "action is null");
    }

    /** Whether the route works on one tenant's data ({@code {tenant}} in its path). */
    public boolean tenantScoped() {
        return path.contains("{tenant}");
    }

    /** The route's work; it returns the response body (a {@link Reply} to set another status than 200). */
    @FunctionalInterface
    public interface Action {
        Object handle(Call call) throws Exception;
    }

    /** A response body with a status other than 200. */
    public record Reply(int status, Object body) {}
}
