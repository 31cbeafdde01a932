package dev.vigil.store;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's rule set as detection runs it: the stored files of its enabled documents, parsed and compiled again, so
 * that a newer engine or log-source mapping applies to rules imported before it.
 *
 * <p>A document is loaded when its row is enabled, did not fail, and names this file as its source (a ref taken over
 * by a later import of another file is loaded from that file only). Filters come along with the rules they name;
 * correlations run over the matches of the rules they name.
 *
 * @param rules the compiled set; null when no document is enabled, so that a tenant without rules costs ingest nothing
 *     (not even reading the log-source mapping)
 * @param problems stored files that no longer parse, or documents that no longer compile, each with its reason
 */
public record TenantRules(RuleSet rules, List<String> problems) {
    public TenantRules {
        problems = List.copyOf(problems);
    }

    /** Whether there is anything to run. */
    public boolean isEmpty() {
        return rules == null || rules.rules().isEmpty();
    }

    /** Every enabled rule of the tenant. */
    public static TenantRules load(TenantStore store, Placeholders placeholders) {
        return load(store, List.of(), placeholders);
    }

    /**
     * The enabled rules of the tenant, or only those named.
     *
     * @param only refs of the rules to run; empty for all
     * @param placeholders the values of the expand modifier's placeholders
     * @throws VigilException {@code RULE_NOT_FOUND} for a ref the tenant does not have, {@code USAGE} for one that is
     *     disabled or cannot run, each saying what to do
     */
    public static TenantRules load(TenantStore store, Collection<String> only, Placeholders placeholders) {
        Map<String, RuleRow> rows = new HashMap<>();
        for (RuleRow row : store.rules()) {
            rows.put(row.ref(), row);
        }
        Set<String> wanted = new LinkedHashSet<>(only);
        for (String ref : wanted) {
            check(store, ref, rows.get(ref));
        }
        Set<String> disabled = store.disabledRuleRefs();
        List<SigmaDocument> documents = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> file : store.enabledRuleFiles().entrySet()) {
            List<SigmaDocument> parsed;
            try {
                parsed = SigmaParser.parse(file.getValue(), file.getKey());
            } catch (SigmaRuleException e) {
                problems.addAll(e.problems());
                continue;
            }
            for (SigmaDocument document : parsed) {
                String ref = document.meta().reference();
                RuleRow row = ref == null ? null : rows.get(ref);
                boolean runs = row != null && row.enabled() && !disabled.contains(ref)
                        && row.state() != RuleRow.State.FAILED && row.source().equals(file.getKey());
                boolean keep = switch (document) {
                    case SigmaDocument.Rule rule -> wanted.isEmpty() || wanted.contains(ref);
                    case SigmaDocument.Filter filter -> true;
                    case SigmaDocument.Correlation correlation -> wanted.isEmpty() || wanted.contains(ref);
                };
                if (runs && keep) {
                    documents.add(document);
                }
            }
        }
        if (documents.isEmpty()) {
            return new TenantRules(null, problems);
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), placeholders);
        rules.failures().forEach(f -> problems.add(f.source() + ": " + f.reference() + ": " + f.reason()));
        return new TenantRules(rules, problems);
    }

    private static void check(TenantStore store, String ref, RuleRow row) {
        if (row == null) {
            throw new VigilException(ErrorCode.RULE_NOT_FOUND, "no rule '" + ref + "' in tenant '" + store.tenant()
                    + "'");
        }
        if (row.kind() != RuleRow.Kind.RULE) {
            throw new VigilException(ErrorCode.USAGE, "'" + ref + "' is a " + row.kind().id() + ", not a detection rule",
                    "Name detection rules with --rule; `vigil rules list --all` shows each document's kind.", null);
        }
        if (!row.enabled()) {
            throw new VigilException(ErrorCode.USAGE, "rule '" + ref + "' is disabled",
                    "Enable it first: vigil rules enable " + ref, null);
        }
        if (row.state() != RuleRow.State.ACTIVE) {
            throw new VigilException(ErrorCode.USAGE, "rule '" + ref + "' cannot run: " + row.reason(),
                    row.state() == RuleRow.State.FAILED ? "Fix the rule in " + row.source()
                            + " and import it again: vigil rules import " + row.source()
                            : "Its log source has no table in Vigil yet; `vigil rules list --all` shows why.", null);
        }
    }
}
