package dev.vigil.sigma;

import static dev.vigil.sigma.Modifier.*;

import dev.vigil.sigma.SigmaDocument.Item;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Which modifier chains make sense, checked once when a rule is read so that matching never meets a bad one. */
final class Modifiers {
    private Modifiers() {}

    private static final Set<Modifier> STRING_SHAPE = EnumSet.of(STARTSWITH, ENDSWITH, CONTAINS);

    /** @return what is wrong with the item's modifiers and values, or null when nothing is */
    static String check(Item item) {
        List<Modifier> mods = item.modifiers();
        EnumSet<Modifier> set = mods.isEmpty() ? EnumSet.noneOf(Modifier.class) : EnumSet.copyOf(mods);
        long shapes = mods.stream().filter(STRING_SHAPE::contains).count();
        if (shapes > 1) {
            return "use only one of startswith, endswith and contains";
        }
        if ((set.contains(I) || set.contains(M) || set.contains(S)) && !set.contains(RE)) {
            return "the i, m and s modifiers only refine 're'; add '|re' before them";
        }
        if (set.contains(RE) && (shapes > 0 || set.contains(WINDASH) || mods.stream().anyMatch(Modifier::isEncoding)
                || set.contains(CIDR) || set.contains(EXPAND))) {
            return "'re' cannot be combined with string, encoding or cidr modifiers; write the regular expression"
                    + " to say it";
        }
        if (set.contains(EXISTS)) {
            if (mods.size() != 1 || item.values().size() != 1 || !(item.values().getFirst() instanceof SigmaValue.Bool)) {
                return "'exists' stands alone and takes one value, true or false";
            }
        }
        boolean comparison = mods.stream().anyMatch(Modifier::isComparison);
        if (comparison && mods.stream().filter(Modifier::isComparison).count() > 1) {
            return "use only one of lt, lte, gt and gte per item; write a second item for a range";
        }
        if (comparison && (shapes > 0 || set.contains(RE) || set.contains(CIDR))) {
            return "lt, lte, gt and gte compare numbers and cannot be combined with string modifiers";
        }
        if (comparison || mods.stream().anyMatch(Modifier::isTimePart)) {
            for (SigmaValue v : item.values()) {
                if (!(v instanceof SigmaValue.Number) && !(v instanceof SigmaValue.Text t && isNumber(t.text()))) {
                    return "'" + v.asText() + "' is not a number, which this comparison needs";
                }
            }
        }
        if (set.contains(CIDR) && (shapes > 0 || mods.stream().anyMatch(Modifier::isEncoding))) {
            return "'cidr' takes network ranges and cannot be combined with string or encoding modifiers";
        }
        if (set.contains(FIELDREF) && (mods.stream().anyMatch(Modifier::isEncoding) || set.contains(RE)
                || set.contains(CIDR))) {
            return "'fieldref' compares with another field and cannot be combined with encodings, re or cidr";
        }
        for (SigmaValue v : item.values()) {
            if (v instanceof SigmaValue.Null && item.values().size() > 1) {
                return "null cannot be part of a list of values; put 'field: null' in a selection of its own";
            }
            if (v instanceof SigmaValue.Null && !mods.isEmpty()) {
                return "null takes no modifiers";
            }
        }
        if (item.field() == null && (set.contains(FIELDREF) || set.contains(EXISTS) || set.contains(CIDR) || comparison)) {
            return "keyword searches (no field name) take only string modifiers";
        }
        return null;
    }

    private static boolean isNumber(String s) {
        try {
            new java.math.BigDecimal(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** "; did you mean 'contains'?" for a misspelt modifier, or a list of all when nothing is close. */
    static String suggest(String name) {
        List<String> names = java.util.Arrays.stream(Modifier.values()).map(Modifier::sigmaName).toList();
        return SigmaValidator.nearest(name, names).map(best -> "; did you mean '" + best + "'?")
                .orElse("; known modifiers: " + String.join(", ", names));
    }
}
