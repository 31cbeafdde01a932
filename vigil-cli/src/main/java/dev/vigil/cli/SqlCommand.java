package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil sql "SELECT ..."}: a read-only query over the tenant's own store. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a read-only SQL query (DuckDB dialect) over the tenant's tables.",
                "Only reads are allowed, and only this tenant's data is reachable: each tenant has its own database."},
        footer = {"", "Example:", "  vigil sql \"SELECT host, count(*) AS logons FROM SecurityEvent"
                + " WHERE event_code = '4624' GROUP BY host ORDER BY logons DESC LIMIT 10\""})
final class SqlCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. \"SELECT * FROM SysmonEvent LIMIT 5\".")
    String query;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000", description = "Most rows to return (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        QueryResult result;
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_ONLY)) {
            result = store.query(query, Math.max(1, maxRows));
        }
        Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("rows", result.rows().size())
                .log("sql query");
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("columns", result.columns());
            body.put("types", result.types());
            body.put("rows", result.rows());
            body.put("truncated", result.truncated());
            body.put("milliseconds", Math.round(result.milliseconds() * 10) / 10.0);
            out.println(Output.json(body));
            return 0;
        }
        out.print(Output.table(result.columns(), result.rows()));
        out.println("(" + result.rows().size() + (result.truncated() ? "+ rows, cut at --max-rows" : " rows") + ", "
                + Math.round(result.milliseconds()) + " ms, tenant '" + config.tenant() + "')");
        return 0;
    }

}
