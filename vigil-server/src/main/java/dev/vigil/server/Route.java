package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import java.util.Map;

/**
 * One route of the REST API: its method and path, the role it needs, what it does, and an example request body.
 * The server registers, authorizes, audits and documents (OpenAPI) routes from this one table, so a route cannot be
 * served without its role check, nor checked differently from what the documentation says.
 *
 * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * @param path the full path, with {@code {name}} path parameters; a path with {@code {tenant}} is tenant-scoped: the
 *     token's tenant must be that tenant
 * @param role the least role the route needs, or null for any valid credential (routes outside a tenant)
 * @param summary one line for the OpenAPI document
 * @param example a valid request body, or null when the route takes none
 * @param produces the media type of a successful answer: {@code application/json}, or {@code text/event-stream} for
 *     a route that answers with {@link Events}, or another for a route that answers with {@link Text}
 * @param consumes the media type of the request body: {@code application/json}, or {@code application/x-ndjson} for
 *     the ingest route, whose example is then one record of it
 * @param anonymous the route needs no credential at all (logging in, the OIDC redirects); its role is null. A
 *     credential sent anyway is still checked and recorded
 * @param action what it does once the caller is authenticated and authorized
 */
public record Route(String method, String path, Role role, String summary, Map<String, Object> example,
        String produces, String consumes, boolean anonymous, Action action) {
    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";
    public static final String EVENT_STREAM = "text/event-stream";

    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(produces, "produces is null");
        requireNonNull(consumes, "consumes is null");
        requireNonNull(action, "action is null");
        if (anonymous && role != null) {
            throw new IllegalArgumentException("an anonymous route needs no role: " + method + " " + path);
        }
    }

    /** A route that needs a credential. */
    public Route(String method, String path, Role role, String summary, Map<String, Object> example,
            String produces, Action action) {
        this(method, path, role, summary, example, produces, JSON, false, action);
    }

    /** A route that answers with JSON. */
    public Route(String method, String path, Role role, String summary, Map<String, Object> example, Action action) {
        this(method, path, role, summary, example, JSON, action);
    }

    /** Whether the route works on one tenant's data ({@code {tenant}} in its path). */
    public boolean tenantScoped() {
        return path.contains("{tenant}");
    }

    /**
     * The route's work; it returns the response body: an object written as JSON, a {@link Reply} to set another
     * status than 200, a {@link Text} for a body that is not JSON, or {@link Events} to stream the answer.
     */
    @FunctionalInterface
    public interface Action {
        Object handle(Call call) throws Exception;
    }

    /** A route anyone may call, without a credential: logging in, and the OIDC redirects. */
    public static Route anonymous(String method, String path, String summary, Map<String, Object> example,
            Action action) {
        return new Route(method, path, null, summary, example, JSON, JSON, true, action);
    }

    /** An answer that sends the browser elsewhere: {@code 302 Found} with the location. */
    public record Redirect(String location) {
        public Redirect {
            requireNonNull(location, "location is null");
        }
    }

    /** A response body with a status other than 200. */
    public record Reply(int status, Object body) {}

    /** A response body sent as it is, with its media type ({@code text/markdown}, JSON already written). */
    public record Text(String contentType, String text) {
        public Text {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(text, "text is null");
        }
    }

    /** A binary response body (a PDF), sent as it is with its media type and, as an attachment, its file name. */
    public record Bytes(String contentType, String fileName, byte[] bytes) {
        public Bytes {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(fileName, "fileName is null");
            requireNonNull(bytes, "bytes is null");
        }
    }

    /**
     * A response sent as server-sent events while it is made. The response starts with the first event: an error
     * thrown before it answers with the error's status, as any route does; an error thrown after it is sent as an
     * {@code error} event, and the stream ends.
     */
    @FunctionalInterface
    public interface Events {
        void send(EventSink sink) throws Exception;
    }
}
