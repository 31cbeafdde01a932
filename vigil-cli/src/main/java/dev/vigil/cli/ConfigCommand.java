package dev.vigil.cli;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
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

/** {@code vigil config}: every configuration key, its value in effect and where that value came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Show every configuration key with the value in effect, where it was set, and what it does.",
                "Keys are set in DIR/vigil.yaml (or --config FILE), as VIGIL_<KEY> environment variables, or with --set."})
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> keys = new ArrayList<>();
            for (ConfigKey key : ConfigKey.values()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", key.key());
                entry.put("value", String.valueOf(config.value(key)));
                entry.put("origin", config.origin(key));
                entry.put("default", key.defaultValue());
                entry.put("environment", key.environmentVariable());
                entry.put("description", key.description());
                keys.add(entry);
            }
            out.println(Output.json(Map.of("keys", keys)));
            return 0;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            rows.add(List.of(key.key(), String.valueOf(config.value(key)), config.origin(key), key.description()));
        }
        out.print(Output.table(List.of("key", "value", "set by", "description"), rows));
        return 0;
    }
}
