package dev.vigil.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds, in one pass over a text, every registered literal it contains (Aho-Corasick). The candidate index keeps one
 * per stored field, so an event's field is scanned once for all the rules that need a literal in it, instead of once
 * per rule.
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

    LiteralIndex() {
        labels[0] = new char[0];
        children[0] = new int[0];
    }

    /** Adds a literal (already lower-cased) and returns its id. */
    int add(String literal) {
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

    int literalCount() {
        return literals;
    }

    /** Calls {@code hit} with the id of every literal occurring in the text (ids may repeat). */
    void scan(String text, java.util.function.IntConsumer hit) {
        int node = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int next = child(node, c);
            while (next < 0 && node != 0) {
                node = fail[node];
                next = child(node, c);
            }
            node = next < 0 ? 0 : next;
            int[] out = outputs[node];
            if (out != null) {
                for (int id : out) {
                    hit.accept(id);
                }
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
