package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import dev.vigil.csv.Csv;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads MISP's CSV export of attributes (restSearch with {@code returnFormat: csv}): a header naming the columns,
 * of which {@code type} and {@code value} are required and {@code uuid}, {@code event_id}, {@code category},
 * {@code to_ids}, {@code date} (epoch seconds or a date), {@code comment}, {@code attribute_tag},
 * {@code event_info}, {@code event_tag}, {@code first_seen} and {@code last_seen} are used when present; columns are
 * found by name in any order. Rows are read as {@link MispEvents} reads attributes: the same types, {@code to_ids}
 * false skipped, galaxy tags as actors and techniques, {@code event_info} as the campaign.
 */
public final class MispCsv {
    private MispCsv() {}

    public static IndicatorImport read(String source, String text, ImportOptions options) {
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        List<Csv.Record> rows = Csv.records(text);
        if (rows.isEmpty()) {
            return IndicatorImport.problem(source, IntelFormat.MISP_CSV, "the file is empty");
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = rows.get(0).fields();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        if (!columns.containsKey("type") || !columns.containsKey("value")) {
            return IndicatorImport.problem(source, IntelFormat.MISP_CSV, "the header " + header + " has no 'type' and"
                    + " 'value' columns, as MISP's CSV export has");
        }
        ImportCollector collector = new ImportCollector(source, IntelFormat.MISP_CSV, options);
        String feed = options.feed(null, source);
        for (Csv.Record row : rows.subList(1, rows.size())) {
            collector.entry();
            String location = "line " + row.line();
            if (row.fields().size() != header.size()) {
                collector.reject(location, "has " + row.fields().size() + " columns, the header " + header.size());
                continue;
            }
            Map<String, String> field = new HashMap<>();
            columns.forEach((name, index) -> field.put(name, row.fields().get(index)));
            row(field, location, feed, collector);
        }
        return collector.build();
    }

    private static void row(Map<String, String> field, String location, String feed, ImportCollector collector) {
        String type = field.get("type");
        String value = field.get("value");
        String uuid = blankToNull(field.get("uuid"));
        if (uuid != null) {
            location = location + " (" + uuid + ")";
        }
        if (field.containsKey("to_ids") && !MispAttributes.flag(field.get("to_ids").strip())) {
            collector.other("to_ids false (not for detection)");
            return;
        }
        List<MispAttributes.Typed> typed = MispAttributes.values(type, value);
        if (typed.isEmpty()) {
            collector.other(MispAttributes.skipReason(type));
            return;
        }
        if (value == null || value.isBlank()) {
            collector.reject(location, "a " + type + " attribute without a value");
            return;
        }
        List<String> rawTags = new ArrayList<>(MispAttributes.split(field.get("attribute_tag")));
        rawTags.addAll(MispAttributes.split(field.get("event_tag")));
        List<String> tags = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        List<String> techniques = new ArrayList<>();
        MispAttributes.classifyTags(rawTags, tags, actors, techniques);
        String category = blankToNull(field.get("category"));
        if (category != null) {
            tags.add("category:" + category);
        }
        Instant date = MispAttributes.time(field.get("date"));
        Instant firstSeen = MispAttributes.time(field.get("first_seen"));
        Instant lastSeen = MispAttributes.time(field.get("last_seen"));
        String info = blankToNull(field.get("event_info"));
        Provenance provenance = new Provenance(List.of(feed), collector.options().confidence(null),
                firstSeen != null ? firstSeen : date, lastSeen != null ? lastSeen : date, null, null, tags, actors,
                info == null ? List.of() : List.of(info), techniques, uuid == null ? List.of() : List.of(uuid));
        for (MispAttributes.Typed part : typed) {
            try {
                IndicatorValues.Value normal = IndicatorValues.canonical(part.type(), part.value());
                collector.add(location, new Indicator(normal.type(), normal.value(), provenance));
            } catch (IllegalArgumentException e) {
                collector.reject(location, type + " " + e.getMessage());
            }
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
