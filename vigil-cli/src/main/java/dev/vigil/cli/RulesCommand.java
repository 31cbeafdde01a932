package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.AlertQuery;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil rules ...}: the tenant's Sigma rule set. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"Manage the tenant's Sigma rules: import them, list them with their statistics, enable and"
                + " disable them.",
                "Enabled rules run on every ingest (their alerts are stored with the events) and with 'vigil detect'"
                        + " over stored events; 'vigil alerts' lists what they found."},
        subcommands = {RulesImportCommand.class, RulesCommand.ListCommand.class, RulesCommand.EnableCommand.class,
                RulesCommand.DisableCommand.class},
        footer = {"", "Examples:", "  vigil rules import ./sigma/rules", "  vigil rules list --all",
                "  vigil rules disable 5f1d0b3e-7a7c-4b61-9d8c-2c3b4d5e6f70"})
final class RulesCommand {

    /** {@code vigil rules list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the tenant's rules that can run, enabled or not, with their hits, evaluations and mean"
                    + " cost per full check (sampled).",
                    "With --all also inactive rules (no table holds their log source), correlations and filters that"
                            + " do not run, and rules that failed to compile, each with the reason."})
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Also list inactive and failed rules, with the reason.")
        boolean all;

        @Option(names = "--json", description = "Print the rules as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            List<RuleRow> rows = CommonOptions.readIfPresent(config, TenantStore::rules, List.of());
            List<RuleRow> shown = rows.stream().filter(r -> all || r.state() == RuleRow.State.ACTIVE)
                    .sorted(Comparator.comparing(RuleRow::state)
                            .thenComparing(Comparator.comparingInt((RuleRow r) -> AlertQuery.rank(r.level())).reversed())
                            .thenComparing(RuleRow::title).thenComparing(RuleRow::ref))
                    .toList();
            Map<RuleRow.State, Long> counts = new LinkedHashMap<>();
            for (RuleRow.State state : RuleRow.State.values()) {
                counts.put(state, rows.stream().filter(r -> r.state() == state).count());
            }
            long disabled = rows.stream().filter(r -> r.state() == RuleRow.State.ACTIVE && !r.enabled()).count();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("counts", Map.of("active", counts.get(RuleRow.State.ACTIVE), "disabled", disabled,
                        "inactive", counts.get(RuleRow.State.INACTIVE), "failed", counts.get(RuleRow.State.FAILED)));
                body.put("rules", shown.stream().map(RulesCommand::toJson).toList());
                out.println(Output.json(body));
                return 0;
            }
            if (rows.isEmpty()) {
                out.println("Tenant '" + config.tenant() + "' has no rules yet. Import Sigma rules with:"
                        + " vigil rules import PATH");
                return 0;
            }
            List<List<Object>> table = new ArrayList<>();
            for (RuleRow row : shown) {
                List<Object> line = new ArrayList<>();
                line.add(row.ref());
                line.add(row.kind() == RuleRow.Kind.RULE ? row.title() : row.kind().id() + ": " + row.title());
                line.add(row.level());
                line.add(row.state().id());
                line.add(row.enabled() ? "yes" : "no");
                line.add(row.state() == RuleRow.State.ACTIVE ? String.join(", ", row.tables()) : row.reason());
                line.add(row.hits());
                line.add(row.evaluations());
                line.add(BigDecimal.valueOf(row.meanNanos() / 1000).setScale(1, RoundingMode.HALF_UP));
                table.add(line);
            }
            out.print(Output.table(List.of("id", "title", "level", "state", "enabled", all ? "tables / reason"
                    : "tables", "hits", "evaluations", "mean cost (us)"), table));
            out.println();
            out.printf(Locale.ROOT, "%s active (%s of them disabled), %s inactive, %s failed.%s%n",
                    Output.count(counts.get(RuleRow.State.ACTIVE)), Output.count(disabled),
                    Output.count(counts.get(RuleRow.State.INACTIVE)), Output.count(counts.get(RuleRow.State.FAILED)),
                    all ? "" : " 'vigil rules list --all' lists the inactive and failed ones with the reason.");
            return 0;
        }
    }

    static Map<String, Object> toJson(RuleRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.ref());
        json.put("kind", row.kind().id());
        json.put("title", row.title());
        json.put("level", row.level());
        json.put("status", row.status());
        json.put("state", row.state().id());
        json.put("enabled", row.enabled());
        json.put("tables", row.tables());
        json.put("reason", row.reason());
        json.put("source", row.source());
        json.put("hits", row.hits());
        json.put("evaluations", row.evaluations());
        json.put("mean_micros", Math.round(row.meanNanos()) / 1000.0);
        json.put("imported_at", row.importedAt() == null ? null : row.importedAt().toString());
        return json;
    }

    /** {@code vigil rules enable REF...}. */
    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable rules, so that they run on ingest and with 'vigil detect'.")
    static final class EnableCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "REF", description = "Rule ids (or names) as 'vigil rules list' shows them.")
        List<String> refs;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return setEnabled(common, spec, refs, true, json);
        }
    }

    /** {@code vigil rules disable REF...}. */
    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Disable rules: they stop running on ingest and with 'vigil detect'; their alerts stay.",
                    "A disabled rule stays disabled when its file is imported again."})
    static final class DisableCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "REF", description = "Rule ids (or names) as 'vigil rules list' shows them.")
        List<String> refs;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return setEnabled(common, spec, refs, false, json);
        }
    }

    private static int setEnabled(CommonOptions common, CommandSpec spec, List<String> refs, boolean enabled,
            boolean json) {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        int changed;
        try (TenantStore store = CommonOptions.open(config, TenantStore.Mode.READ_WRITE, () -> new VigilException(
                ErrorCode.RULE_NOT_FOUND, "tenant '" + config.tenant() + "' has no rules",
                "Import Sigma rules first: vigil rules import PATH --tenant " + config.tenant(), null))) {
            changed = store.setEnabled(refs, enabled);
            store.commit();
        }
        List<String> distinct = refs.stream().distinct().toList();
        Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("rules", distinct)
                .addKeyValue("enabled", enabled).log("rules {}", enabled ? "enabled" : "disabled");
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("enabled", enabled);
            body.put("rules", distinct);
            body.put("changed", changed);
            out.println(Output.json(body));
            return 0;
        }
        String verb = enabled ? "enabled" : "disabled";
        out.printf(Locale.ROOT, "%s %d rule%s of tenant '%s'%s: %s%n", enabled ? "Enabled" : "Disabled", distinct.size(),
                distinct.size() == 1 ? "" : "s", config.tenant(),
                changed == distinct.size() ? "" : " (" + (distinct.size() - changed) + " already " + verb + ")",
                String.join(", ", distinct));
        return 0;
    }
}
