package dev.vigil.copilot.plugins;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.ApiOperation;
import dev.vigil.copilot.plugin.PluginManifest.ApiParameter;
import dev.vigil.copilot.plugin.PluginManifest.Authorization;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One operation of a plugin's OpenAPI specification as a skill: its inputs go into the path, the query string, headers
 * or a JSON body; the call authenticates as the plugin's {@link Authorization} says, with the tenant's settings; the
 * JSON answer becomes a table (a top-level array, else the first array property, else the object's fields) recorded as
 * evidence {@code api:<plugin>/<operationId>}.
 *
 * <p>Messages name the method and the URL without its query string, so that a key sent in the query never shows.
 * Every failure (unreachable, timeout, an HTTP error) is a {@link SkillResult.Status#FAILED} result saying what failed
 * and what to check.
 */
public final class ApiSkill implements Skill {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_ROWS = 200;
    private static final Pattern SETTING = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PluginManifest plugin;
    private final String baseUrl;
    private final ApiOperation operation;
    private final Map<String, String> settings;
    private final String tenant;
    private final HttpClient client;
    private final TokenCache tokens;
    private final Duration timeout;
    private final SkillSpec spec;

    /**
     * @param baseUrl the group's base URL, possibly a {@code {{Setting}}} reference
     * @param settings the tenant's settings of the plugin
     * @param timeout how long a call (and a token request) may take
     */
    public ApiSkill(PluginManifest plugin, String baseUrl, ApiOperation operation, Map<String, String> settings,
            String tenant, HttpClient client, Duration timeout) {
        this(plugin, baseUrl, operation, settings, tenant, client, TokenCache.shared(), timeout);
    }

    ApiSkill(PluginManifest plugin, String baseUrl, ApiOperation operation, Map<String, String> settings, String tenant,
            HttpClient client, TokenCache tokens, Duration timeout) {
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.operation = requireNonNull(operation, "operation is null");
        this.settings = Map.copyOf(settings);
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.client = requireNonNull(client, "client is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        List<SkillInput> inputs = new ArrayList<>();
        for (ApiParameter p : operation.parameters()) {
            inputs.add(new SkillInput(p.inputName(), p.type(), p.required(), false, p.description(), List.of()));
        }
        String description = operation.description().isBlank() ? operation.summary() : operation.description();
        this.spec = new SkillSpec(operation.skillName(), TemplateAnswers.CATEGORY, description, operation.examples(),
                inputs);
    }

    @Override
    public SkillSpec spec() {
        return spec;
    }

    /** The evidence reference of this operation's answers. */
    String reference() {
        return "api:" + plugin.name() + "/" + operation.operationId();
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        String where;
        HttpRequest request;
        try {
            String base = resolve(baseUrl, "the base URL");
            String path = operation.path();
            StringBuilder query = new StringBuilder();
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, Object> body = new LinkedHashMap<>();
            for (ApiParameter p : operation.parameters()) {
                Optional<String> value = call.first(p.inputName());
                if (value.isEmpty()) {
                    continue;
                }
                switch (p.location()) {
                    case PATH -> path = path.replace("{" + p.name() + "}", encode(value.get()).replace("+", "%20"));
                    case QUERY -> query.append(query.isEmpty() ? "" : "&").append(encode(p.name())).append('=')
                            .append(encode(value.get()));
                    case HEADER -> headers.put(p.name(), value.get());
                    case BODY -> body.put(p.name(), typed(p, value.get()));
                }
            }
            where = operation.method() + " " + stripSlash(base) + path;
            Authorization auth = plugin.descriptor().authorization();
            if (auth instanceof Authorization.ApiKey key && key.inQuery()) {
                query.append(query.isEmpty() ? "" : "&").append(encode(key.key())).append('=')
                        .append(encode(setting(key.valueSetting())));
            }
            URI uri = URI.create(stripSlash(base) + path + (query.isEmpty() ? "" : "?" + query));
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
            headers.forEach(builder::header);
            authenticate(builder, auth, false);
            if (body.isEmpty() && !operation.method().equals("POST") && !operation.method().equals("PUT")
                    && !operation.method().equals("PATCH")) {
                builder.method(operation.method(), HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", "application/json")
                        .method(operation.method(), HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            request = builder.build();
        } catch (VigilException e) {
            return SkillResult.failed(spec.name(), e.getMessage() + "\n\nFix: " + e.fix());
        } catch (IllegalArgumentException e) {
            return SkillResult.failed(spec.name(), "The URL of " + operation.operationId() + " is not valid: "
                    + e.getMessage() + "\n\nFix: check the plugin's base URL setting (`vigil plugins show "
                    + plugin.name() + "`).");
        }
        HttpResponse<String> response;
        try {
            response = send(request);
            if (response.statusCode() == 401 && plugin.descriptor().authorization()
                    instanceof Authorization.OAuthClientCredentials) {
                // the token may have been revoked before its expiry: fetch a new one once
                HttpRequest.Builder retry = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(
                        "Authorization"));
                authenticate(retry, plugin.descriptor().authorization(), true);
                response = send(retry.build());
            }
        } catch (VigilException e) {
            return SkillResult.failed(spec.name(), e.getMessage().replace("{where}", where) + "\n\nFix: " + e.fix());
        }
        if (response.statusCode() / 100 != 2) {
            return SkillResult.failed(spec.name(), "The API of plugin " + plugin.descriptor().displayName()
                    + " answered HTTP " + response.statusCode() + " to " + where + excerpt(response.body())
                    + "\n\nFix: " + fixFor(response.statusCode()));
        }
        return answer(response.body(), where);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "The call {where} did not answer within "
                    + timeout.toMillis() + " ms and was abandoned.", "Check that the service is up; a slow service"
                    + " can be given more time with the setting TimeoutSeconds (--setting TimeoutSeconds=60).", e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "The call {where} failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()) + ".",
                    ErrorCode.PLUGIN_CALL_FAILED.fix(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "The call {where} was interrupted.", e);
        }
    }

    private void authenticate(HttpRequest.Builder builder, Authorization auth, boolean fresh) {
        switch (auth) {
            case Authorization.None none -> {
            }
            case Authorization.ApiKey key -> {
                if (!key.inQuery()) {
                    builder.header(key.key(), (key.scheme().isBlank() ? "" : key.scheme() + " ")
                            + setting(key.valueSetting()));
                }
            }
            case Authorization.Basic basic -> builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((setting(basic.usernameSetting()) + ":" + setting(basic.passwordSetting()))
                            .getBytes(StandardCharsets.UTF_8)));
            case Authorization.OAuthClientCredentials oauth -> {
                String endpoint = resolve(oauth.tokenEndpoint(), "the token endpoint");
                String clientId = setting(oauth.clientIdSetting());
                if (fresh) {
                    tokens.invalidate(tenant, endpoint, clientId, oauth.scopes());
                }
                builder.header("Authorization", "Bearer " + tokens.token(client, tenant, endpoint, clientId,
                        setting(oauth.clientSecretSetting()), oauth.scopes(), timeout));
            }
        }
    }

    private String setting(String name) {
        String value = settings.get(name);
        if (value == null || value.isEmpty()) {
            value = plugin.descriptor().settings().stream().filter(s -> s.name().equals(name)).findFirst()
                    .flatMap(PluginManifest.Setting::defaultValue).orElse(null);
        }
        if (value == null || value.isEmpty()) {
            throw new VigilException(ErrorCode.PLUGIN_CALL_FAILED, "plugin " + plugin.name() + " has no value for"
                    + " its setting " + name + " in tenant " + tenant, "Give it with `vigil plugins install DIR"
                    + " --setting " + name + "=VALUE --tenant " + tenant + "`.", null);
        }
        return value;
    }

    /** A URL with {@code {{Setting}}} references replaced by the tenant's values. */
    private String resolve(String text, String what) {
        Matcher m = SETTING.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(setting(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object typed(ApiParameter p, String value) {
        try {
            return switch (p.schemaType()) {
                case "integer" -> Long.parseLong(value.strip());
                case "number" -> Double.parseDouble(value.strip());
                case "boolean" -> Boolean.parseBoolean(value.strip());
                default -> value;
            };
        } catch (NumberFormatException e) {
            throw new VigilException(ErrorCode.USAGE, "input " + p.inputName() + " is '" + value + "', not a "
                    + p.schemaType(), "Give " + p.inputName() + " as a " + p.schemaType() + ".", e);
        }
    }

    private SkillResult answer(String text, String where) {
        SkillResult.Builder out = SkillResult.builder(spec.name());
        String what = "**" + operation.summary() + "** (plugin " + plugin.descriptor().displayName() + ")";
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (RuntimeException e) {
            return out.paragraph(what + " answered with text, not JSON:" + excerpt(text)).fact("count", 0L)
                    .evidence(operation.summary(), List.of(reference())).build();
        }
        Table table = JsonTables.table(operation.summary(), json, MAX_ROWS);
        int n = table.rows().size();
        out.fact("count", (long) n);
        if (n == 0) {
            return out.status(SkillResult.Status.EMPTY).paragraph(what + " answered " + where.split(" ", 2)[0]
                    + " with no records.").build();
        }
        out.paragraph(what + " answered with " + n + (n == 1 ? " record" : " records") + ".");
        out.table(table);
        out.evidence(operation.summary() + ": " + n + (n == 1 ? " record" : " records"), List.of(reference()));
        for (ApiParameter p : operation.parameters()) {
            if (p.type() != EntityType.TEXT) {
                // the entities asked about, for the session's "that host"
                table.columns().stream().filter(c -> c.equalsIgnoreCase(p.name())).findFirst()
                        .ifPresent(c -> table.column(c).stream().filter(v -> v instanceof String).limit(1)
                                .forEach(v -> out.subject(p.type(), (String) v)));
            }
        }
        return out.build();
    }

    private static String fixFor(int status) {
        return switch (status) {
            case 401, 403 -> "The API refused the credentials: check the plugin's key, user name and password or client"
                    + " secret settings (`vigil plugins show NAME` lists them, masked).";
            case 404 -> "The API does not know this resource: check the input values and the base URL setting.";
            case 429 -> "The API limits how often it may be called: ask again in a while.";
            default -> status >= 500 ? "The service failed; ask again later, or check the service's own logs."
                    : "The API refused the request: check the input values against the API's documentation.";
        };
    }

    private static String excerpt(String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            return ".";
        }
        text = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return ":\n\n```\n" + text.replace("```", "'''") + "\n```";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
