package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One connector of a tenant, as stored in the tenant's connector file. It holds no secret in clear: {@code sealedSecret}
 * is the client secret encrypted by {@link SecretBox}.
 *
 * @param name the connector's name within the tenant (letters, digits, '-', '_')
 * @param kind what it pulls from
 * @param directoryTenant the Entra ID (Azure AD) tenant id the app registration lives in
 * @param clientId the app registration's client id
 * @param sealedSecret the client secret, encrypted
 * @param endpoint the API's base URL; empty for the vendor's public one (tests point it at a local server)
 * @param authority the token service's base URL; empty for {@code https://login.microsoftonline.com}
 * @param workspace the Log Analytics workspace id (log-analytics), or its ARM resource id (sentinel-incidents)
 * @param query the KQL query (log-analytics and defender-hunting)
 * @param table the table rows go to when the query names none (log-analytics and defender-hunting)
 * @param lookback how far back the first run reaches
 * @param pageSize the {@code $top} of each page (graph-security)
 */
public record ConnectorConfig(String name, Kind kind, String directoryTenant, String clientId, String sealedSecret,
        String endpoint, String authority, String workspace, String query, String table, Duration lookback,
        int pageSize) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    public ConnectorConfig {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        if (!NAME.matcher(name).matches()) {
            throw invalid("invalid connector name '" + name + "'",
                    "Use 1 to 63 letters, digits, '-' and '_', starting with a letter or digit.");
        }
        directoryTenant = orEmpty(directoryTenant);
        clientId = orEmpty(clientId);
        sealedSecret = orEmpty(sealedSecret);
        endpoint = stripSlash(orEmpty(endpoint));
        authority = stripSlash(orEmpty(authority));
        workspace = orEmpty(workspace);
        query = orEmpty(query);
        table = orEmpty(table);
        lookback = lookback == null ? Duration.ofDays(1) : lookback;
        pageSize = pageSize <= 0 ? 100 : pageSize;
        if (kind != Kind.SPLUNK_EXPORT && kind != Kind.WEBHOOK && (directoryTenant.isEmpty() || clientId.isEmpty())) {
            throw invalid("connector '" + name + "' needs --tenant-id and --client-id",
                    "Pass the Entra ID tenant id and the client id of the app registration that may read the API.");
        }
        if ((kind == Kind.LOG_ANALYTICS || kind == Kind.DEFENDER_HUNTING) && query.isEmpty()) {
            throw invalid("connector '" + name + "' of kind " + kind.id() + " needs --query",
                    "Pass the KQL query whose rows to pull, e.g. --query 'SigninLogs'.");
        }
        if (kind == Kind.SENTINEL_INCIDENTS && !workspace.matches(
                "/?subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.OperationalInsights/workspaces/[^/]+")) {
            throw invalid("connector '" + name + "' of kind sentinel-incidents needs --workspace as the workspace's"
                    + " resource id", "Pass /subscriptions/SUBSCRIPTION/resourceGroups/GROUP/providers/"
                    + "Microsoft.OperationalInsights/workspaces/NAME (the workspace's Properties page shows it).");
        }
        if (kind == Kind.SPLUNK_EXPORT && query.isEmpty()) {
            throw invalid("connector '" + name + "' of kind splunk-export needs --query",
                    "Pass the SPL search whose events to pull, e.g. --query 'search index=wineventlog'.");
        }
        if (kind == Kind.LOG_ANALYTICS && workspace.isEmpty()) {
            throw invalid("connector '" + name + "' of kind log-analytics needs --workspace",
                    "Pass the Log Analytics workspace id (a GUID, shown on the workspace's overview page).");
        }
    }

    /** The API's base URL: the configured one, else the vendor's. */
    public String endpointOrDefault() {
        return endpoint.isEmpty() ? kind.defaultEndpoint() : endpoint;
    }

    /** The Entra ID token URL of the directory tenant. */
    public String tokenUrl() {
        return (authority.isEmpty() ? "https://login.microsoftonline.com" : authority) + "/" + directoryTenant
                + "/oauth2/v2.0/token";
    }

    static VigilException invalid(String message, String fix) {
        return new VigilException(ErrorCode.CONNECTOR_INVALID, message, fix, null);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The sources a connector pulls from. */
    public enum Kind {
        GRAPH_SECURITY("graph-security", "https://graph.microsoft.com", "https://graph.microsoft.com/.default"),
        LOG_ANALYTICS("log-analytics", "https://api.loganalytics.io", "https://api.loganalytics.io/.default"),
        DEFENDER_HUNTING("defender-hunting", "https://api.security.microsoft.com",
                "https://api.security.microsoft.com/.default"),
        SENTINEL_INCIDENTS("sentinel-incidents", "https://management.azure.com",
                "https://management.azure.com/.default"),
        /** Splunk's search export; authenticated by a Splunk authentication token (the "secret"), not Entra ID. */
        SPLUNK_EXPORT("splunk-export", "https://localhost:8089", ""),
        /** A receiver that vendors push to; its "secret" is the bearer token senders must present. */
        WEBHOOK("webhook", "", "");

        private final String id;
        private final String defaultEndpoint;
        private final String scope;

        Kind(String id, String defaultEndpoint, String scope) {
            this.id = id;
            this.defaultEndpoint = defaultEndpoint;
            this.scope = scope;
        }

        public String id() {
            return id;
        }

        public String defaultEndpoint() {
            return defaultEndpoint;
        }

        /** The OAuth2 scope the token is asked for. */
        public String scope() {
            return scope;
        }

        public static Kind fromId(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id.toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw invalid("unknown connector kind '" + id + "'",
                    "Use one of graph-security, log-analytics, defender-hunting, sentinel-incidents, splunk-export, webhook.");
        }
    }
}
