package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Ranks skills for a prompt by meaning and by what the prompt gives them. Meaning is the cosine similarity between
 * the prompt and each skill's example prompts and description under the embedding model (the best example counts
 * most), with entities replaced by their type so that "is 203.0.113.5 malicious" and "is 1.2.3.4 malicious" read
 * alike. Without a model, word overlap with the examples stands in. Entity compatibility then moves a skill up when
 * the prompt supplies its required inputs and down when it lacks them.
 */
public final class SkillRanker {
    /** One skill's standing for a prompt. */
    public record Ranked(SkillSpec spec, double score, double similarity, double compatibility) {}

    private record Indexed(SkillSpec spec, List<float[]> examples, float[] description, List<Set<String>> words) {}

    private final List<Indexed> skills;
    private final Optional<Embedder> embedder;

    /**
     * @param specs the skills to rank
     * @param embedder the embedding model; empty for word overlap only
     * @param masker replaces a text's entities by their type names, as for prompts
     */
    public SkillRanker(List<SkillSpec> specs, Optional<Embedder> embedder, UnaryOperator<String> masker) {
        this.embedder = requireNonNull(embedder, "embedder is null");
        requireNonNull(masker, "masker is null");
        List<Indexed> indexed = new ArrayList<>();
        for (SkillSpec spec : specs) {
            List<String> examples = spec.examples().stream().map(masker).toList();
            List<float[]> vectors = embedder.map(e -> e.embedAll(examples)).orElse(List.of());
            float[] description = embedder.map(e -> e.embed(spec.description())).orElse(null);
            indexed.add(new Indexed(spec, vectors, description, examples.stream().map(SkillRanker::words).toList()));
        }
        this.skills = List.copyOf(indexed);
    }

    /**
     * Ranks every skill, best first.
     *
     * @param maskedPrompt the prompt with its entities replaced by their type names
     * @param available the entity types the prompt (or the session) supplies
     */
    public List<Ranked> rank(String maskedPrompt, Set<EntityType> available) {
        float[] prompt = embedder.map(e -> e.embed(maskedPrompt)).orElse(null);
        Set<String> promptWords = words(maskedPrompt);
        List<Ranked> ranked = new ArrayList<>(skills.size());
        for (Indexed skill : skills) {
            double similarity;
            if (prompt != null && !skill.examples().isEmpty()) {
                double best = 0;
                for (float[] example : skill.examples()) {
                    best = Math.max(best, Embedder.cosine(prompt, example));
                }
                double description = Embedder.cosine(prompt, skill.description());
                similarity = 0.8 * best + 0.2 * description;
            } else {
                double best = 0;
                for (Set<String> example : skill.words()) {
                    best = Math.max(best, overlap(promptWords, example));
                }
                similarity = best;
            }
            double compatibility = compatibility(skill.spec(), available);
            ranked.add(new Ranked(skill.spec(), similarity + compatibility, similarity, compatibility));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed());
        return ranked;
    }

    /** Required inputs supplied move a skill up; required inputs missing move it down. */
    static double compatibility(SkillSpec spec, Set<EntityType> available) {
        double score = 0;
        for (SkillInput input : spec.inputs()) {
            if (!input.choices().isEmpty()) {
                continue;
            }
            boolean given = available.contains(input.type());
            if (input.required()) {
                score += given ? 0.05 : -0.10;
            } else if (given) {
                score += 0.03;
            }
        }
        return score;
    }

    private static double overlap(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return (double) both.size() / Math.sqrt((double) a.size() * b.size());
    }

    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "is", "are", "me",
            "my", "our", "and", "or", "what", "which", "how", "do", "does", "did", "i", "it", "this", "that", "with");

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty() && !STOP.contains(w)) {
                words.add(w.length() > 4 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w);
            }
        }
        return words;
    }
}
