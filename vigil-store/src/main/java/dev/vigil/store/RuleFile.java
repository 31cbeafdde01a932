package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Sigma rule file to store: its text as imported and one row per document it holds.
 *
 * @param source the file as named at import; it identifies the file, so importing it again replaces it
 * @param rows one per document, each with this source and a ref of its own
 */
public record RuleFile(String source, String yaml, List<RuleRow> rows) {
    public RuleFile {
        requireNonNull(source, "source is null");
        requireNonNull(yaml, "yaml is null");
        rows = List.copyOf(rows);
        Set<String> refs = new HashSet<>();
        for (RuleRow row : rows) {
            if (!row.source().equals(source)) {
                throw new IllegalArgumentException("rule " + row.ref() + " comes from " + row.source() + ", not from "
                        + source);
            }
            if (!refs.add(row.ref())) {
                throw new IllegalArgumentException("two documents of " + source + " have the ref " + row.ref());
            }
        }
    }
}
