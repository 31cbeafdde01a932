package dev.vigil.model;

/**
 * The Levenshtein distance behind the "did you mean" of error messages (configuration keys, KQL tables, columns and
 * functions): the fewest single-character insertions, deletions and substitutions that turn one name into the other,
 * letters compared ignoring case. Names are short, so two rows of the table suffice.
 */
public final class EditDistance {
    private EditDistance() {}

    public static int ignoringCase(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
