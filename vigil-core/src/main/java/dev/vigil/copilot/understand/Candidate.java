package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;

/**
 * A mention the extractors propose, before overlaps are resolved, with where its evidence comes from.
 *
 * @param mention the proposed mention
 * @param source what found it, which decides between two proposals for the same span
 */
record Candidate(Mention mention, Source source) {
    /**
     * What found a mention, strongest first. For one span, a value the tenant's store holds (exactly or by an alias
     * such as its first DNS label) is the most specific reading: {@code jdoe@corp.com} is the user {@code jdoe}
     * before it is an e-mail address. Then the shape of a typed pattern, then a fuzzy link to a stored value, then
     * an ATT&amp;CK name, which prose uses as an ordinary word more often than not.
     */
    enum Source {
        STORE,
        PATTERN,
        FUZZY,
        KNOWLEDGE
    }

    static Candidate of(EntityType type, String value, String text, int start, int end, double confidence,
            Source source) {
        return new Candidate(new Mention(type, value, text, start, end, confidence), source);
    }

    int start() {
        return mention.start();
    }

    int end() {
        return mention.end();
    }

    int length() {
        return mention.end() - mention.start();
    }

    boolean sameSpan(Candidate other) {
        return start() == other.start() && end() == other.end();
    }

    boolean sameEntity(Candidate other) {
        return mention.type() == other.mention.type() && mention.value().equals(other.mention.value());
    }
}
