package dev.vigil.intel.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * BM25 over ATT&amp;CK objects, with names weighing more than descriptions (a simple BM25F): a term in the name, an
 * alias or the id counts {@value #NAME_WEIGHT} times. Postings are packed {@code int} pairs (document, weighted term
 * frequency), so the index of the whole enterprise matrix is a few megabytes. Immutable once built.
 */
final class SearchIndex {
    private static final int NAME_WEIGHT = 3;
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final AttackObject[] documents;
    private final float[] lengths;
    private final double averageLength;
    private final Map<String, int[]> postings;

    /**
     * @param fields for each document, its name-like texts (weighed {@value #NAME_WEIGHT}) and its body texts
     */
    SearchIndex(List<? extends AttackObject> documents, java.util.function.Function<AttackObject, Fields> fields) {
        this.documents = documents.toArray(AttackObject[]::new);
        this.lengths = new float[this.documents.length];
        Map<String, int[]> growing = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        long total = 0;
        for (int document = 0; document < this.documents.length; document++) {
            Map<String, Integer> frequencies = new HashMap<>();
            Fields text = fields.apply(this.documents[document]);
            int length = 0;
            for (String name : text.names()) {
                for (String token : AttackText.tokens(name)) {
                    frequencies.merge(token, NAME_WEIGHT, Integer::sum);
                    length += NAME_WEIGHT;
                }
            }
            for (String body : text.bodies()) {
                for (String token : AttackText.tokens(body)) {
                    frequencies.merge(token, 1, Integer::sum);
                    length++;
                }
            }
            lengths[document] = length;
            total += length;
            for (Map.Entry<String, Integer> entry : frequencies.entrySet()) {
                int size = sizes.getOrDefault(entry.getKey(), 0);
                int[] list = growing.get(entry.getKey());
                if (list == null || list.length < size + 2) {
                    list = list == null ? new int[4] : Arrays.copyOf(list, list.length * 2);
                    growing.put(entry.getKey(), list);
                }
                list[size] = document;
                list[size + 1] = entry.getValue();
                sizes.put(entry.getKey(), size + 2);
            }
        }
        growing.replaceAll((token, list) -> Arrays.copyOf(list, sizes.get(token)));
        this.postings = Map.copyOf(growing);
        this.averageLength = this.documents.length == 0 ? 1 : Math.max(1, (double) total / this.documents.length);
    }

    /** The texts of one document. */
    record Fields(List<String> names, List<String> bodies) {}

    /** The best {@code limit} documents that {@code accept} lets through, best first; ties by id. */
    List<SearchHit> search(String text, int limit, Predicate<AttackObject> accept) {
        List<String> terms = AttackText.tokens(text).stream().distinct().toList();
        if (terms.isEmpty() || limit == 0) {
            return List.of();
        }
        double[] scores = new double[documents.length];
        for (String term : terms) {
            int[] list = postings.get(term);
            if (list == null) {
                continue;
            }
            int frequency = list.length / 2;
            double idf = Math.log(1 + (documents.length - frequency + 0.5) / (frequency + 0.5));
            for (int i = 0; i < list.length; i += 2) {
                int document = list[i];
                double tf = list[i + 1];
                double norm = K1 * (1 - B + B * lengths[document] / averageLength);
                scores[document] += idf * tf * (K1 + 1) / (tf + norm);
            }
        }
        List<SearchHit> hits = new ArrayList<>();
        for (int document = 0; document < documents.length; document++) {
            if (scores[document] > 0 && accept.test(documents[document])) {
                hits.add(new SearchHit(documents[document], scores[document]));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed()
                .thenComparing(hit -> hit.object().id()));
        return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
    }
}
