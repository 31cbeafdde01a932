package dev.vigil.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Defender advanced-hunting tables Vigil provides as views over stored tables, read from
 * {@code defender-views.yaml}: each view's columns, and for each source table the rows it selects and the KQL
 * expression that computes each column.
 */
public final class DefenderViews {
    /** One source of a view: a stored table, a KQL predicate (or null) and a KQL expression per view column. */
    public record Source(String table, String where, Map<String, String> map, boolean passthrough) {}

    public record View(String name, List<Plan.Column> columns, List<Source> sources) {}

    /**
     * The column every view ends with: the id of the stored event a row comes from, as stored tables name it. It is
     * not a Defender column; scheduled queries need it to cite their evidence.
     */
    public static final String EVENT_ID = "event_id";

    private static final DefenderViews BUILT_IN = load();

    private final Map<String, View> views;

    private DefenderViews(Map<String, View> views) {
        this.views = views;
    }

    public static DefenderViews builtIn() {
        return BUILT_IN;
    }

    public Optional<View> view(String name) {
        View exact = views.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return views.values().stream().filter(v -> v.name().equalsIgnoreCase(name)).findFirst();
    }

    public Collection<String> names() {
        return views.keySet();
    }

    @SuppressWarnings("unchecked")
    private static DefenderViews load() {
        try (InputStream in = DefenderViews.class.getResourceAsStream("defender-views.yaml")) {
            Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            Map<String, String> definitions = (Map<String, String>) root.getOrDefault("definitions", Map.of());
            Map<String, View> views = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) root.get("views")).entrySet()) {
                Map<String, Object> body = (Map<String, Object>) entry.getValue();
                List<Plan.Column> columns = new ArrayList<>();
                for (String declaration : ((String) body.get("columns")).split(",")) {
                    String[] parts = declaration.strip().split(":");
                    KqlType type = KqlType.of(parts[1].strip());
                    if (type == null) {
                        throw new IllegalStateException("view " + entry.getKey() + ": unknown type in " + declaration);
                    }
                    columns.add(new Plan.Column(parts[0].strip(), parts[0].strip(), type));
                }
                if (entry.getKey().startsWith("Device")) {
                    // remote-session facts of the initiating process: none of the stored sources carries them
                    for (String remote : List.of("InitiatingProcessRemoteSessionDeviceName:string",
                            "InitiatingProcessRemoteSessionIP:string", "IsInitiatingProcessRemoteSession:bool")) {
                        String[] parts = remote.split(":");
                        if (columns.stream().noneMatch(c -> c.name().equals(parts[0]))) {
                            int at = Math.max(0, columns.size() - 2);
                            columns.add(at, new Plan.Column(parts[0], parts[0], KqlType.of(parts[1])));
                        }
                    }
                }
                // Sentinel's copies of these tables name the event time TimeGenerated
                columns.add(1, new Plan.Column("TimeGenerated", "TimeGenerated", KqlType.DATETIME));
                // Vigil's id of the stored event behind the row, which an alert of a scheduled query cites
                columns.add(new Plan.Column(EVENT_ID, EVENT_ID, KqlType.STRING));
                List<Source> sources = new ArrayList<>();
                for (Map<String, Object> source : (List<Map<String, Object>>) body.get("sources")) {
                    Map<String, String> map = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> m : ((Map<String, Object>) source.getOrDefault("map", Map.of())).entrySet()) {
                        String expression = String.valueOf(m.getValue());
                        for (Map.Entry<String, String> definition : definitions.entrySet()) {
                            expression = expression.replace("${" + definition.getKey() + "}", definition.getValue());
                        }
                        if (columns.stream().noneMatch(c -> c.name().equals(m.getKey()))) {
                            throw new IllegalStateException("view " + entry.getKey() + " maps unknown column " + m.getKey());
                        }
                        map.put(m.getKey(), expression);
                    }
                    if (!Boolean.TRUE.equals(source.get("passthrough"))) {
                        map.put(EVENT_ID, EVENT_ID);
                    }
                    if (map.containsKey("Timestamp")) {
                        map.put("TimeGenerated", map.get("Timestamp"));
                    } else if (Boolean.TRUE.equals(source.get("passthrough"))) {
                        map.put("TimeGenerated", "Timestamp");
                    }
                    sources.add(new Source((String) source.get("table"), (String) source.get("where"), map,
                            Boolean.TRUE.equals(source.get("passthrough"))));
                }
                views.put(entry.getKey(), new View(entry.getKey(), List.copyOf(columns), List.copyOf(sources)));
            }
            return new DefenderViews(views);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
