package dev.vigil.sigma;

import dev.vigil.sigma.SigmaDocument.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A detection rule compiled for each table its log source maps to. Each {@link Plan} holds the log-source constraint
 * (e.g. {@code EventID = 1} on {@code SysmonEvent}), the condition with the rule's field names mapped onto the table's,
 * and what the candidate index needs to know.
 */
public final class CompiledRule {

    private final Rule rule;
    private final List<Plan> plans;

    CompiledRule(Rule rule, List<Plan> plans) {
        this.rule = rule;
        this.plans = List.copyOf(plans);
    }

    public Rule rule() {
        return rule;
    }

    public String id() {
        return rule.meta().reference();
    }

    public List<String> tables() {
        return plans.stream().map(Plan::table).distinct().toList();
    }

    List<Plan> plans() {
        return plans;
    }

    /**
     * @param selector values of a selecting field (EventID) that the log source requires, or empty for any
     * @param requirement literal texts of which a matching event holds at least one, per stored field; null when
     *     the condition gives no such guarantee
     * @param positives the items whose match is reported as the evidence (not those under a negation)
     */
    record Plan(String table, String selectorField, List<String> selector, Matcher constraint, Matcher condition,
            Map<String, List<String>> requirement, List<ItemCompiler.Compiled> positives) {

        boolean matches(EventView event) {
            return constraint.test(event) && condition.test(event);
        }

        /** The fields and values that made the rule match, for the alert. */
        Map<String, String> matchedFields(EventView event) {
            Map<String, String> out = new LinkedHashMap<>();
            for (ItemCompiler.Compiled item : positives) {
                if (item.field() != null && !out.containsKey(item.field()) && item.matcher().test(event)) {
                    String text = event.text(item.field());
                    if (text != null) {
                        out.put(item.field(), text);
                    }
                }
            }
            return out;
        }
    }
}
