package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil quarantine}: what ingest refused, where it came from and why. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "List quarantined records: where each came from, why it was refused, and its first bytes.")
final class QuarantineCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--reason", paramLabel = "REASON", description = "Only records quarantined for this reason, e.g. malformed_json.")
    String reason;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Most records to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        String filter = reason == null ? "" : " WHERE reason = '" + reason.replace("'", "''") + "'";
        QueryResult result;
        Map<String, Long> counts;
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_ONLY)) {
            counts = store.quarantineCounts();
            result = store.query("SELECT source, line, byte_offset, reason, detail, raw_length,"
                    + " substr(CAST(raw AS VARCHAR), 1, 120) AS raw_start FROM vigil_quarantine" + filter
                    + " ORDER BY quarantined_at, source, line LIMIT " + Math.max(1, limit), Math.max(1, limit));
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("counts", counts);
            body.put("columns", result.columns());
            body.put("rows", result.rows());
            out.println(Output.json(body));
            return 0;
        }
        if (counts.isEmpty()) {
            out.println("Nothing is quarantined for tenant '" + config.tenant() + "'.");
            return 0;
        }
        counts.forEach((r, n) -> out.printf("%-22s %10s%n", r, Output.count(n)));
        out.println();
        out.print(Output.table(List.of("source", "line", "offset", "reason", "detail", "bytes", "raw start"), result.rows()));
        return 0;
    }
}
