package dev.vigil.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, in one pass over a text, the registered literals it may contain. The candidate index keeps one per stored
 * field, so an event's field is scanned once for all the rules that need a literal in it, instead of once per rule.
 *
 * <p>A literal of 4 characters or more is found by its least common run of 4 (literals under 8 characters) or 8
 * (longer ones) characters: the scan slides both windows over the text and looks each up in a bit filter small enough
 * for the processor's first-level cache, and only on a hit in a hash table. A text holding a literal holds every run
 * of it, so no literal is missed; a text holding only the run gives a false candidate, which the full rule check
 * rejects. Choosing each literal's rarest run matters: {@code c:\windo} is in thousands of literals and most paths,
 * {@code rundll32} singles its literal out. The few 3-character literals go to an Aho-Corasick automaton, flattened
 * into a dense table. The scan folds case itself, so no lower-cased copy of a field is made.
 */
final class LiteralIndex {

    /** The field name under which keyword (field-less) literals are registered: they may occur in any field. */
    static final String ANY_FIELD = "*";

    private final Windows shortWindows = new Windows(4);
    private final Windows longWindows = new Windows(8);

    // the automaton, for literals shorter than the short window
    private char[][] labels = new char[16][];
    private int[][] children = new int[16][];
    private int[] fail = new int[16];
    /** Literal ids ending at each node, including those reached through suffix links; null when none. */
    private int[][] outputs = new int[16][];
    private int size = 1;
    /** Per node row and character class: the next row offset times two, plus one where literals end. */
    private int[] steps;
    private int classes;
    /** Alphabet class of each ASCII character; 0 for characters no literal holds. */
    private final int[] asciiClass = new int[128];
    private final Map<Character, Integer> otherClass = new HashMap<>();
    /** Alphabet class of each Latin-1 character, case folded. */
    private final int[] latinClass = new int[256];

    private int literals;
    /** Whether every literal is Latin-1, so that texts can be scanned as bytes. */
    private boolean latin1 = true;

    LiteralIndex() {
        labels[0] = new char[0];
        children[0] = new int[0];
    }

    /** Adds a literal (already lower-cased) of at least 3 characters and returns its id. */
    int add(String literal) {
        if (literal.chars().anyMatch(ch -> ch > 0xFF)) {
            latin1 = false;
        }
        int id = literals++;
        if (literal.length() >= longWindows.width) {
            longWindows.pending(literal, id);
        } else if (literal.length() >= shortWindows.width) {
            shortWindows.pending(literal, id);
        } else {
            addToAutomaton(literal, id);
        }
        return id;
    }

    /** Prepares the index for scanning; call once after the last {@link #add}. */
    void build() {
        shortWindows.build();
        longWindows.build();
        linkFailures();
        buildTable();
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

    /**
     * Adds to {@code hit} the id of every literal occurring in the text, and of literals whose chosen run of
     * characters occurs (ids may repeat).
     */
    void scan(String text, Hits hit) {
        if (latin1) {
            // A character beyond Latin-1 becomes '?', which no literal can need in its place: no literal is missed.
            scanBytes(text.getBytes(StandardCharsets.ISO_8859_1), hit);
        } else {
            scanChars(text, hit);
        }
    }

    private void scanBytes(byte[] text, Hits hit) {
        boolean automaton = size > 1;
        boolean small = shortWindows.count > 0;
        boolean large = longWindows.count > 0;
        int[] table = steps;
        int[] byteClass = latinClass;
        long[] smallFilter = shortWindows.filter;
        long[] largeFilter = longWindows.filter;
        int row = 0;
        long key = 0;
        for (int i = 0; i < text.length; i++) {
            int b = text[i] & 0xFF;
            if (automaton) {
                int k = byteClass[b];
                int step = k == 0 ? 0 : table[row + k];
                row = step >>> 1;
                if ((step & 1) != 0) {
                    hit.addAll(outputs[row / classes]);
                }
            }
            key = (key << 8) | FOLD[b];
            if (small && i >= 3) {
                long window = key & 0xFFFFFFFFL;
                int bit = filterBit(window);
                if ((smallFilter[bit >>> 6] & (1L << bit)) != 0) {
                    shortWindows.probe(window, hit);
                }
            }
            if (large && i >= 7) {
                int bit = filterBit(key);
                if ((largeFilter[bit >>> 6] & (1L << bit)) != 0) {
                    longWindows.probe(key, hit);
                }
            }
        }
    }

    private void scanChars(String text, Hits hit) {
        boolean automaton = size > 1;
        int row = 0;
        long key = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (automaton) {
                int k = classOf(c);
                int step = k == 0 ? 0 : steps[row + k];
                row = step >>> 1;
                if ((step & 1) != 0) {
                    hit.addAll(outputs[row / classes]);
                }
            }
            key = (key << 8) | fold(c);
            if (i >= 3 && shortWindows.mayHold(key & 0xFFFFFFFFL)) {
                shortWindows.probe(key & 0xFFFFFFFFL, hit);
            }
            if (i >= 7 && longWindows.mayHold(key)) {
                longWindows.probe(key, hit);
            }
        }
    }

    /** {@link #fold} of each Latin-1 character. */
    private static final long[] FOLD = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            FOLD[b] = fold((char) b);
        }
    }

    /** The character lower-cased (texts are scanned as they are) and squeezed into a byte. */
    private static long fold(char c) {
        char lower = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
        return (lower ^ (lower >>> 8)) & 0xFF;
    }

    private static int filterBit(long key) {
        return (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> (64 - FILTER_BITS_LOG));
    }

    private static final int FILTER_BITS_LOG = 17;

    /**
     * The literals found by a run of {@code width} of their characters: each literal's least common run (among the
     * literals of this index) goes into an open-addressed table, behind a bit filter of 16 KB.
     */
    private static final class Windows {
        final int width;
        final long[] filter = new long[(1 << FILTER_BITS_LOG) / 64];
        private long[] keys = new long[16];
        private int[][] ids = new int[16][];
        int count;
        private final List<String> literals = new ArrayList<>();
        private final List<Integer> literalIds = new ArrayList<>();

        Windows(int width) {
            this.width = width;
        }

        void pending(String literal, int id) {
            literals.add(literal);
            literalIds.add(id);
        }

        void build() {
            Map<Long, Integer> frequency = new HashMap<>();
            for (String literal : literals) {
                Set<Long> runs = new HashSet<>();
                for (int i = 0; i + width <= literal.length(); i++) {
                    runs.add(pack(literal, i));
                }
                runs.forEach(w -> frequency.merge(w, 1, Integer::sum));
            }
            for (int k = 0; k < literals.size(); k++) {
                String literal = literals.get(k);
                long best = pack(literal, 0);
                int bestCount = Integer.MAX_VALUE;
                for (int i = 0; i + width <= literal.length(); i++) {
                    long run = pack(literal, i);
                    int n = frequency.get(run);
                    if (n <= bestCount) {
                        best = run;
                        bestCount = n;
                    }
                }
                add(best, literalIds.get(k));
            }
            literals.clear();
            literalIds.clear();
        }

        private long pack(String s, int from) {
            long key = 0;
            for (int i = from; i < from + width; i++) {
                key = (key << 8) | fold(s.charAt(i));
            }
            return key;
        }

        boolean mayHold(long key) {
            int bit = filterBit(key);
            return (filter[bit >>> 6] & (1L << bit)) != 0;
        }

        private void add(long key, int id) {
            int bit = filterBit(key);
            filter[bit >>> 6] |= 1L << bit;
            if ((count + 1) * 2 > keys.length) {
                long[] oldKeys = keys;
                int[][] oldIds = ids;
                keys = new long[oldKeys.length * 2];
                ids = new int[oldKeys.length * 2][];
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldIds[i] != null) {
                        insert(oldKeys[i], oldIds[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            for (int i = slot(key, mask);; i = (i + 1) & mask) {
                if (ids[i] == null) {
                    keys[i] = key;
                    ids[i] = new int[] {id};
                    count++;
                    return;
                }
                if (keys[i] == key) {
                    ids[i] = append(ids[i], id);
                    return;
                }
            }
        }

        private void insert(long key, int[] list) {
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (ids[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            ids[i] = list;
        }

        void probe(long key, Hits hit) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ids[i] != null; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    hit.addAll(ids[i]);
                    return;
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 29)) & mask;
        }
    }

    // --- the automaton ----------------------------------------------------------------------------------------

    private void addToAutomaton(String literal, int id) {
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
        outputs[node] = outputs[node] == null ? new int[] {id} : append(outputs[node], id);
    }

    /** Links failures (breadth first) and folds each node's suffix outputs into its own. */
    private void linkFailures() {
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
    }

    /**
     * Turns the trie and its failure links into a dense table over the literals' alphabet, so that a scan takes one
     * array read per character. Characters that no literal holds share class 0, which always leads back to the root.
     */
    private void buildTable() {
        classes = 1;
        for (int node = 0; node < size; node++) {
            for (char c : labels[node]) {
                if (classOf(c) == 0) {
                    if (c < 128) {
                        asciiClass[c] = classes;
                        if (c >= 'a' && c <= 'z') {
                            asciiClass[c - 32] = classes; // an upper-case letter steps like its lower-case one
                        }
                        classes++;
                    } else {
                        otherClass.put(c, classes++);
                    }
                }
            }
        }
        int[] next = new int[size * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            int row = node * classes;
            int failRow = fail[node] * classes;
            for (int k = 1; k < classes; k++) {
                next[row + k] = node == 0 ? 0 : next[failRow + k];
            }
            char[] ls = labels[node];
            int[] cs = children[node];
            for (int k = 0; k < ls.length; k++) {
                next[row + classOf(ls[k])] = cs[k];
                queue.add(cs[k]);
            }
        }
        steps = new int[next.length];
        for (int e = 0; e < next.length; e++) {
            steps[e] = (next[e] * classes) << 1 | (outputs[next[e]] != null ? 1 : 0);
        }
        for (int b = 0; b < 256; b++) {
            latinClass[b] = classOf((char) b);
        }
        labels = null; // the table replaces the trie
        children = null;
        fail = null;
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
