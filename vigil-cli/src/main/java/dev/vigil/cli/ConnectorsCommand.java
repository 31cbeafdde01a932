package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.connectors.Connector;
import dev.vigil.connectors.ConnectorConfig;
import dev.vigil.connectors.Connectors;
import dev.vigil.connectors.RunSummary;
import dev.vigil.connectors.SecretBox;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil connectors add|list|test|run}: pull alerts, incidents and events from vendors' APIs. */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = {"Pull from vendors' APIs into the tenant's store, resuming at a checkpoint: Microsoft Graph"
                + " Security (alerts_v2 and incidents), Azure Monitor Log Analytics (Sentinel tables), Microsoft"
                + " Defender advanced hunting, Sentinel incidents; and Splunk's search export. Authentication is OAuth2 client credentials against Entra ID (Splunk: an authentication token).",
                "Client secrets are stored encrypted (AES-GCM) under the key file DATA/" + SecretBox.KEY_FILE
                        + ": protect it and back it up; without it the secrets cannot be read."},
        subcommands = {ConnectorsCommand.Add.class, ConnectorsCommand.ListConnectors.class,
                ConnectorsCommand.Test.class, ConnectorsCommand.Run.class, ConnectorsCommand.Listen.class})
final class ConnectorsCommand extends CommandGroup {
    /** Where secrets are read from; the tests substitute their own environment. */
    static UnaryOperator<String> environment = System::getenv;

    static Connectors connectors(VigilConfig config) {
        return Connectors.standard(config.dataDirectory(), config.tenant());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a connector to the tenant, or replace the one of that name (its checkpoint stays).",
                    "The client secret is read from the environment variable named by --client-secret-env, never"
                            + " from the command line, and stored encrypted."},
            footer = {"", "Examples:",
                    "  GRAPH_SECRET=... vigil connectors add graph --kind graph-security --tenant-id TENANT_GUID"
                            + " --client-id APP_GUID --client-secret-env GRAPH_SECRET",
                    "  vigil connectors add signins --kind log-analytics --workspace WS_GUID --query SigninLogs"
                            + " --tenant-id ... --client-id ... --client-secret-env LA_SECRET"})
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The connector's name within the tenant.")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "graph-security, log-analytics, defender-hunting, sentinel-incidents, splunk-export or"
                        + " webhook.")
        String kind;

        @Option(names = "--tenant-id", paramLabel = "ID",
                description = "The Entra ID (directory) tenant id of the app registration (all kinds but splunk-export).")
        String directoryTenant;

        @Option(names = "--client-id", paramLabel = "ID",
                description = "The app registration's client id (all kinds but splunk-export).")
        String clientId;

        @Option(names = "--client-secret-env", required = true, paramLabel = "VAR",
                description = "The environment variable that holds the client secret (splunk-export: a Splunk"
                        + " authentication token; webhook: the bearer token senders must present).")
        String secretVariable;

        @Option(names = "--endpoint", paramLabel = "URL", description = "The API's base URL (default: the vendor's).")
        String endpoint;

        @Option(names = "--authority", paramLabel = "URL",
                description = "The token service's base URL (default: https://login.microsoftonline.com).")
        String authority;

        @Option(names = "--workspace", paramLabel = "ID", description = "The Log Analytics workspace id (log-analytics), or the workspace's resource id"
                + " /subscriptions/S/resourceGroups/G/providers/Microsoft.OperationalInsights/workspaces/W"
                + " (sentinel-incidents).")
        String workspace;

        @Option(names = "--query", paramLabel = "KQL", description = "The query whose rows to pull (log-analytics,"
                + " defender-hunting); its first table names the table the rows go to.")
        String query;

        @Option(names = "--table", paramLabel = "NAME", description = "Store rows in this table instead.")
        String table;

        @Option(names = "--lookback", paramLabel = "DURATION", defaultValue = "P1D",
                description = "How far back the first run reaches, ISO 8601 (default: ${DEFAULT-VALUE}).")
        Duration lookback;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "100",
                description = "Records per page (graph-security; default: ${DEFAULT-VALUE}).")
        int pageSize;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            String secret = environment.apply(secretVariable);
            if (secret == null || secret.isBlank()) {
                throw new VigilException(ErrorCode.CONNECTOR_INVALID, "the environment variable " + secretVariable
                        + " is not set or empty", "Set it to the app registration's client secret for this command"
                        + " only, e.g. `" + secretVariable + "=... vigil connectors add " + name + " ...`.", null);
            }
            Connectors connectors = connectors(config);
            ConnectorConfig settings = new ConnectorConfig(name, ConnectorConfig.Kind.fromId(kind), directoryTenant,
                    clientId, "", endpoint, authority, workspace, query, table, lookback, pageSize);
            connectors.add(settings, secret);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Connector '" + name + "' (" + settings.kind().id() + ") saved for tenant '" + config.tenant()
                    + "'; its secret is stored encrypted. Check it with 'vigil connectors test " + name + "'.");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the tenant's connectors and their checkpoints (never their secrets).")
    static final class ListConnectors implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the connectors as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            List<Map<String, Object>> rows = connectors(config).describe();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(Map.of("tenant", config.tenant().value(), "connectors", rows)));
            } else if (rows.isEmpty()) {
                out.println("No connectors in tenant '" + config.tenant() + "'; add one with 'vigil connectors add'.");
            } else {
                List<List<Object>> table = new ArrayList<>();
                for (Map<String, Object> row : rows) {
                    table.add(List.of(row.get("name"), row.get("kind"), row.get("endpoint"), row.get("watermark"),
                            row.get("secret")));
                }
                out.print(Output.table(List.of("name", "kind", "endpoint", "watermark", "secret"), table));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Check a connector without storing anything: get a token, read one page, say what worked"
                    + " and how to fix what did not.")
    static final class Test implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Connector connector = connectors(config).open(name, null);
            try {
                connector.test(line -> {
                    out.println("ok    " + line);
                    out.flush();
                });
                out.println("Connector '" + name + "' works.");
                out.flush();
                return 0;
            } catch (VigilException e) {
                out.println("FAILED " + e.getMessage());
                out.println("  fix: " + e.fix());
                out.flush();
                return e.code().category().exitCode();
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Pull what is new since the connector's checkpoint into the store, then place new alerts in"
                    + " incidents. Each page is committed before the checkpoint moves past it, so a run that is"
                    + " stopped resumes where it stopped, without gaps or duplicates.",
                    "Without --once, runs again every --every until stopped."})
    static final class Run implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--once", description = "Run once and exit.")
        boolean once;

        @Option(names = "--every", paramLabel = "DURATION", defaultValue = "PT5M",
                description = "The interval between runs without --once, ISO 8601 (default: ${DEFAULT-VALUE}).")
        Duration every;

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            while (true) {
                RunSummary summary;
                CorrelationSummary incidents = null;
                try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                        TenantStore.Mode.READ_WRITE)) {
                    Connector connector = connectors(config).open(name, store);
                    summary = connector.run(line -> {
                        err.println("connectors: " + line);
                        err.flush();
                    });
                    if (summary.alertsNew() > 0) {
                        incidents = Incidents.correlate(store, config, err);
                    }
                    store.checkpoint();
                }
                print(out, config, summary, incidents);
                if (once) {
                    return 0;
                }
                Thread.sleep(every);
            }
        }

        private void print(PrintWriter out, VigilConfig config, RunSummary summary, CorrelationSummary incidents) {
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("connector", name);
                body.put("pages", summary.pages());
                body.put("read", summary.read());
                body.put("stored_new", summary.storedNew());
                body.put("already_stored", summary.alreadyStored());
                body.put("skipped_at_checkpoint", summary.skipped());
                body.put("alerts_new", summary.alertsNew());
                body.put("quarantined", summary.quarantined());
                body.put("watermark", summary.watermark() == null ? null : summary.watermark().toString());
                if (incidents != null) {
                    body.put("incidents", incidents);
                }
                out.println(Output.json(body));
            } else {
                out.printf("Connector '%s': %d page(s), %s records read into tenant '%s'%n", name, summary.pages(),
                        Output.count(summary.read()), config.tenant());
                out.printf("  events       %12s  (new; %s already stored, %s skipped at the checkpoint)%n",
                        Output.count(summary.storedNew()), Output.count(summary.alreadyStored()),
                        Output.count(summary.skipped()));
                out.printf("  alerts       %12s  (new; see 'vigil alerts')%n", Output.count(summary.alertsNew()));
                out.printf("  quarantined  %12s%n", Output.count(summary.quarantined()));
                out.println("  checkpoint   " + (summary.watermark() == null ? "none yet" : summary.watermark()));
                if (incidents != null) {
                    out.println(Incidents.line(incidents));
                }
            }
            out.flush();
        }
    }

    @Command(name = "listen", mixinStandardHelpOptions = true,
            description = {"Receive a webhook connector's pushes until stopped: POST /webhook/NAME with"
                    + " 'Authorization: Bearer TOKEN' and a JSON object, array or NDJSON.",
                    "A batch is answered 200 only once it is stored; a retried batch stores nothing twice."})
    static final class Listen implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090", description = "Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all, behind TLS).")
        String bind;

        @Override
        public Integer call() throws InterruptedException {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                    TenantStore.Mode.READ_WRITE);
                    dev.vigil.connectors.WebhookReceiver receiver = connectors(config).receiver(name, store)) {
                int bound = receiver.start(bind, port);
                out.println("Listening on http://" + bind + ":" + bound + receiver.path() + " for tenant '"
                        + config.tenant() + "'; stop with Ctrl-C.");
                out.flush();
                Thread.currentThread().join();
            }
            return 0;
        }
    }
}
