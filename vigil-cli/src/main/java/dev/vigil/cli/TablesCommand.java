package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.store.TableInfo;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil tables}: the tenant's event tables, row counts and columns. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "List the tenant's event tables with their row counts and columns.")
final class TablesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the tables as JSON.")
    boolean json;

    @Option(names = "--columns", description = "Also list every column with its type (always included with --json).")
    boolean columns;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        // a tenant with no data yet has no tables: an answer, not an error
        List<TableInfo> tables = CommonOptions.readIfPresent(config, TenantStore::tables, List.of());
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (TableInfo table : tables) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("table", table.name());
                entry.put("rows", table.rows());
                entry.put("columns", table.columns().stream().map(c -> {
                    Map<String, Object> column = new LinkedHashMap<>();
                    column.put("name", c.name());
                    column.put("type", c.type());
                    column.put("kind", c.kind());
                    column.put("field", c.field());
                    return column;
                }).toList());
                list.add(entry);
            }
            out.println(Output.json(Map.of("tenant", config.tenant().value(), "tables", list)));
            return 0;
        }
        if (tables.isEmpty()) {
            out.println("Tenant '" + config.tenant() + "' has no tables yet. Ingest data with: vigil ingest PATH");
            return 0;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (TableInfo table : tables) {
            List<String> natives = table.columns().stream().filter(c -> c.kind().equals("native"))
                    .map(TableInfo.ColumnInfo::name).toList();
            String preview = String.join(", ", natives.subList(0, Math.min(6, natives.size())))
                    + (natives.size() > 6 ? ", … (+" + (natives.size() - 6) + ")" : "");
            rows.add(List.of(table.name(), table.rows(), (long) natives.size(), preview));
        }
        out.print(Output.table(List.of("table", "rows", "fields", "first fields"), rows));
        out.println();
        out.println("Every table also has the common columns: time, tenant, table, host, user, src_ip, dst_ip, process,"
                + " parent_process, command_line, file_hash, url, domain, action, outcome, severity, event_code, raw.");
        if (columns) {
            for (TableInfo table : tables) {
                out.println();
                out.println(table.name());
                List<List<Object>> columnRows = new ArrayList<>();
                for (TableInfo.ColumnInfo column : table.columns()) {
                    columnRows.add(List.of(column.name(), column.type(), column.kind(),
                            column.field().equals(column.name()) ? "" : column.field()));
                }
                out.print(Output.table(List.of("column", "type", "kind", "native field"), columnRows));
            }
        } else {
            out.println("Run 'vigil tables --columns' for every column and its type.");
        }
        return 0;
    }
}
