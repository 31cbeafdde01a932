package dev.vigil.incident;

import java.util.List;

/**
 * An incident as an analyst reads it: what happened in order, who and what was involved and how, how far it got and
 * how much it matters, where it likely came from, a summary, and what to do next. Every statement carries the ids of
 * the records or knowledge behind it ({@code alert:<uuid>}, {@code event:<id>}, {@code attack:T1059.001},
 * {@code indicator:<key>}, {@code incident:<n>}).
 */
public record IncidentView(Incident incident, List<TimelineEntry> timeline, List<EntityNode> entities,
        List<EntityEdge> edges, List<TacticReached> tactics, Impact impact, Source source, List<Sentence> summary,
        List<ResponseCard> cards) {

    /** One line of the timeline: an alert or an event behind one. */
    public record TimelineEntry(long timeMicros, String kind, String title, String level, String host, String user,
            String detail, List<String> techniques, String evidence) {}

    /** Who took part, and as what. */
    public enum Role {
        ATTACKER, VICTIM, INVOLVED;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An entity of the incident.
     *
     * @param role attacker (external sources, indicator matches), victim (hosts and users acted on), or involved
     * @param why the grounds of the role
     * @param common whether it is common in the organization (it did not tie alerts together)
     */
    public record EntityNode(EntityKey key, Role role, String why, int alerts, long firstMicros, long lastMicros,
            boolean common, boolean privileged) {}

    /** Two entities that appear in the same alerts. */
    public record EntityEdge(EntityKey from, EntityKey to, int alerts) {}

    /** A tactic the incident reached, with the techniques seen and when first. */
    public record TacticReached(String tactic, String name, List<String> techniques, long firstMicros,
            List<String> evidence) {}

    /** How much the incident matters, and why. */
    public record Impact(List<String> hosts, List<String> users, List<String> mailboxes, List<String> privileged,
            String criticality, long spanMicros, int score, List<Factor> factors) {}

    /** One part of the impact score. */
    public record Factor(String name, int points, String why, List<String> evidence) {}

    /**
     * Where the incident likely came from.
     *
     * @param initialAccess the earliest activity and the delivery signs seen, earliest first
     * @param externalAddresses public addresses that took part
     * @param intelMatches threat-intelligence matches
     * @param actors threat actors whose known techniques overlap the incident's, best first: hypotheses
     */
    public record Source(List<Sentence> initialAccess, List<String> externalAddresses, List<Sentence> intelMatches,
            List<ActorHypothesis> actors) {}

    /** A threat actor whose known techniques overlap the incident's. */
    public record ActorHypothesis(String groupId, String name, List<String> overlap, int groupTechniques,
            double score) {}

    /** A statement with its evidence. */
    public record Sentence(String text, List<String> evidence) {
        public Sentence {
            evidence = List.copyOf(evidence);
        }
    }
}
