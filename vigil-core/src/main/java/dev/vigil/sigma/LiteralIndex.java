package dev.vigil.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds, in one pass over a text, the registered literals it may contain. The candidate index keeps one per stored
 * field, so an event's field is scanned once for all the rules that need a literal in it, instead of once per rule.
 *
 * <p>Short literals go into an Aho-Corasick automaton, made a dense table over the literals' alphabet. A long literal
 * is found by its least common run of {@value #GRAM} characters instead: the scan slides a window of that width over
 * the text and looks each window up in a small hash table. A text holding the literal holds every run of it, so no
 * literal is missed; a text holding only the run gives a false candidate, which the full rule check then rejects. This
 * keeps the automaton small (thousands of 64-character hashes would make it tens of megabytes, and every step a cache
 * miss) and the scan cost per character constant.
 */
final class LiteralIndex {

    /** The field name under which keyword (field-less) literals are registered: they may occur in any field. */
    static final String ANY_FIELD = "*";

    private char[][] labels = new char[16][];
    private int[][] children = new int[16][];
    private int[] fail = new int[16];
    /** Literal ids ending at each node, including those reached through suffix links; null when none. */
    private int[][] outputs = new int[16][];
    private int size = 1;
    private int literals;
    /** After {@link #build}: the automaton as a dense table over the literals' alphabet, row per node. */
    private int[] delta;
    private int classes;
    /** Alphabet class of each ASCII character; 0 for characters no literal holds. */
    private final int[] asciiClass = new int[128];
    private final java.util.Map<Character, Integer> otherClass = new java.util.HashMap<>();

    LiteralIndex() {
        labels[0] = new char[0];
        children[0] = new int[0];
    }

    /** Literals at least this long are found by one run of this many of their characters. */
    static final int GRAM = 8;

    /** Open-addressed table of the long literals' packed windows; a null id list marks a free slot. */
    private long[] gramKeys = new long[16];
    private int[][] gramIds = new int[16][];
    private int gramCount;
    /**
     * One bit per hash of a registered window, small enough to stay in the processor's first-level cache: most
     * windows of a text are no literal's, and the bit rules them out without touching the larger table.
     */
    private final long[] gramFilter = new long[FILTER_BITS / 64];
    private static final int FILTER_BITS = 1 << 17;
    private final List<String> longLiterals = new ArrayList<>();
    private final List<Integer> longIds = new ArrayList<>();

    /**
     * Adds a literal (already lower-cased) and returns its id. Texts are scanned as they are, folding case character
     * by character, so scanning needs no lower-cased copy of every field.
     */
    int add(String literal) {
        if (literal.length() >= GRAM) {
            int id = literals++;
            longLiterals.add(literal);
            longIds.add(id);
            return id;
        }
        int node = 0;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            int child = child(node, c);
            if (child < 0) {
                child = newNode();
                insertChild(node, c, child);
            }
            node = child;
        }
        int id = literals++;
        outputs[node] = outputs[node] == null ? new int[] {id} : append(outputs[node], id);
        return id;
    }

    /** Links failures and folds suffix outputs; call once after the last {@link #add}. */
    void build() {
        chooseGrams();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : children[0]) {
            fail[child] = 0;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            char[] ls = labels[node];
            int[] cs = children[node];
            for (int k = 0; k < cs.length; k++) {
                int child = cs[k];
                int f = fail[node];
                while (f != 0 && child(f, ls[k]) < 0) {
                    f = fail[f];
                }
                int target = child(f, ls[k]);
                fail[child] = target >= 0 && target != child ? target : 0;
                int[] inherited = outputs[fail[child]];
                if (inherited != null) {
                    outputs[child] = outputs[child] == null ? inherited.clone() : concat(outputs[child], inherited);
                }
                queue.add(child);
            }
        }
        buildTable();
    }

    /**
     * Turns the trie and its failure links into a dense transition table, so that a scan takes one array read per
     * character instead of a search and a walk along failure links. Characters that no literal holds share class 0,
     * which always leads back to the root.
     */
    private void buildTable() {
        classes = 1;
        for (int node = 0; node < size; node++) {
            for (char c : labels[node]) {
                if (classOf(c) == 0) {
                    if (c < 128) {
                        asciiClass[c] = classes;
                        // the scan folds case itself: an upper-case letter steps like its lower-case one
                        if (c >= 'a' && c <= 'z') {
                            asciiClass[c - 32] = classes;
                        }
                        classes++;
                    } else {
                        otherClass.put(c, classes++);
                    }
                }
            }
        }
        delta = new int[size * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            int row = node * classes;
            int failRow = fail[node] * classes;
            for (int k = 1; k < classes; k++) {
                delta[row + k] = node == 0 ? 0 : delta[failRow + k];
            }
            char[] ls = labels[node];
            int[] cs = children[node];
            for (int k = 0; k < ls.length; k++) {
                delta[row + classOf(ls[k])] = cs[k];
                queue.add(cs[k]);
            }
        }
        labels = null; // the table replaces the trie
        children = null;
    }

    private int classOf(char c) {
        if (c < 128) {
            return asciiClass[c];
        }
        if (otherClass.isEmpty()) {
            return 0;
        }
        Integer k = otherClass.get(Character.toLowerCase(c));
        return k == null ? 0 : k;
    }

    /** Bytes the automaton holds, for the benchmark's memory figure. */
    long tableBytes() {
        return (long) delta.length * Integer.BYTES;
    }

    int literalCount() {
        return literals;
    }

    /**
     * Calls {@code hit} with the id of every literal occurring in the text, and of long literals whose chosen run
     * of characters occurs (ids may repeat).
     */
    void scan(String text, Hits hit) {
        boolean automaton = size > 1;
        boolean grams = gramCount > 0;
        int[] table = delta;
        int width = classes;
        int[] ascii = asciiClass;
        long[] filter = gramFilter;
        int node = 0;
        long key = 0;
        int length = text.length();
        // one pass for both: the automaton steps on every character, the window once GRAM characters are in it
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (automaton) {
                int k = c < 128 ? ascii[c] : classOf(c);
                node = k == 0 ? 0 : table[node * width + k];
                int[] out = outputs[node];
                if (out != null) {
                    hit.addAll(out);
                }
            }
            if (grams) {
                key = (key << 8) | fold(c);
                if (i >= GRAM - 1) {
                    int bit = filterBit(key);
                    if ((filter[bit >>> 6] & (1L << bit)) != 0) {
                        probe(key, hit);
                    }
                }
            }
        }
    }

    /**
     * Registers each long literal under its least common window: a window many literals share ("c:\\windo") would
     * make every path a candidate for all of them, while a literal's rarest window ("rundll32") singles it out.
     */
    private void chooseGrams() {
        java.util.Map<Long, Integer> frequency = new java.util.HashMap<>();
        for (String literal : longLiterals) {
            java.util.Set<Long> windows = new java.util.HashSet<>();
            for (int i = 0; i + GRAM <= literal.length(); i++) {
                windows.add(pack(literal, i));
            }
            windows.forEach(w -> frequency.merge(w, 1, Integer::sum));
        }
        for (int k = 0; k < longLiterals.size(); k++) {
            String literal = longLiterals.get(k);
            long best = pack(literal, 0);
            int bestCount = Integer.MAX_VALUE;
            for (int i = 0; i + GRAM <= literal.length(); i++) {
                long window = pack(literal, i);
                int count = frequency.get(window);
                if (count <= bestCount) {
                    best = window;
                    bestCount = count;
                }
            }
            addGram(best, longIds.get(k));
        }
        longLiterals.clear();
        longIds.clear();
    }

    /** Literal ids found by a scan, in a buffer reused from scan to scan. */
    static final class Hits {
        int[] ids = new int[64];
        int size;

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        void clear() {
            size = 0;
        }
    }

    /** Eight characters packed into a long, one byte each: exact for Latin-1, a harmless hash beyond it. */
    private static long pack(String s, int from) {
        long key = 0;
        for (int i = from; i < from + GRAM; i++) {
            key = (key << 8) | fold(s.charAt(i));
        }
        return key;
    }

    /** The character lower-cased (the scan reads texts as they are) and squeezed into a byte. */
    private static long fold(char c) {
        char lower = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
        return (lower ^ (lower >>> 8)) & 0xFF;
    }

    private static int filterBit(long key) {
        return (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> 47); // the top 17 bits
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void addGram(long key, int id) {
        int bit = filterBit(key);
        gramFilter[bit >>> 6] |= 1L << bit;
        if ((gramCount + 1) * 2 > gramKeys.length) {
            long[] oldKeys = gramKeys;
            int[][] oldIds = gramIds;
            gramKeys = new long[oldKeys.length * 2];
            gramIds = new int[oldKeys.length * 2][];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldIds[i] != null) {
                    insertGram(oldKeys[i], oldIds[i]);
                }
            }
        }
        int mask = gramKeys.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            if (gramIds[i] == null) {
                gramKeys[i] = key;
                gramIds[i] = new int[] {id};
                gramCount++;
                return;
            }
            if (gramKeys[i] == key) {
                gramIds[i] = append(gramIds[i], id);
                return;
            }
        }
    }

    private void insertGram(long key, int[] ids) {
        int mask = gramKeys.length - 1;
        int i = slot(key, mask);
        while (gramIds[i] != null) {
            i = (i + 1) & mask;
        }
        gramKeys[i] = key;
        gramIds[i] = ids;
    }

    private void probe(long key, Hits hit) {
        int mask = gramKeys.length - 1;
        for (int i = slot(key, mask); gramIds[i] != null; i = (i + 1) & mask) {
            if (gramKeys[i] == key) {
                hit.addAll(gramIds[i]);
                return;
            }
        }
    }

    private int child(int node, char c) {
        char[] ls = labels[node];
        int lo = 0;
        int hi = ls.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char m = ls[mid];
            if (m < c) {
                lo = mid + 1;
            } else if (m > c) {
                hi = mid - 1;
            } else {
                return children[node][mid];
            }
        }
        return -1;
    }

    private void insertChild(int node, char c, int child) {
        char[] ls = labels[node];
        int[] cs = children[node];
        int at = 0;
        while (at < ls.length && ls[at] < c) {
            at++;
        }
        char[] nl = new char[ls.length + 1];
        int[] nc = new int[cs.length + 1];
        System.arraycopy(ls, 0, nl, 0, at);
        System.arraycopy(cs, 0, nc, 0, at);
        nl[at] = c;
        nc[at] = child;
        System.arraycopy(ls, at, nl, at + 1, ls.length - at);
        System.arraycopy(cs, at, nc, at + 1, cs.length - at);
        labels[node] = nl;
        children[node] = nc;
    }

    private int newNode() {
        if (size == labels.length) {
            int n = size * 2;
            labels = Arrays.copyOf(labels, n);
            children = Arrays.copyOf(children, n);
            fail = Arrays.copyOf(fail, n);
            outputs = Arrays.copyOf(outputs, n);
        }
        labels[size] = new char[0];
        children[size] = new int[0];
        return size++;
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        List<Integer> all = new ArrayList<>();
        for (int v : a) {
            all.add(v);
        }
        for (int v : b) {
            if (!all.contains(v)) {
                all.add(v);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
