package dev.vigil.copilot;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a vector whose cosine similarity to another text's vector measures how close their meanings are.
 * The embedded planner ranks skills and maps unknown words to concepts with it. The default implementation is the
 * all-MiniLM-L6-v2 model that ships inside a jar (module {@code vigil-ai}); the core only sees this port.
 *
 * <p>Implementations return unit-length vectors, so the dot product is the cosine similarity, and are safe for use
 * from several threads.
 */
public interface Embedder {
    /** The vector of one text, of unit length. */
    float[] embed(String text);

    /** The vectors of several texts, in order. Implementations may batch. */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
        }
        return vectors;
    }

    /** Length of every vector this embedder returns. */
    int dimensions();

    /** Cosine similarity of two unit-length vectors. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different length: " + a.length + " and " + b.length);
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
