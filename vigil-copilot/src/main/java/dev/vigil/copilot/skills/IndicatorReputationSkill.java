package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.store.QueryResult;
import dev.vigil.store.Sightings;
import dev.vigil.store.TenantStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code indicator-reputation}: what the tenant knows about IP addresses, domains, URLs, file hashes and e-mail
 * addresses. For each value: the threat-intelligence indicators that match it (exactly, or a network, parent domain
 * or host around it) with their provenance; where it appears in the tenant's events and alerts; whether it is in a
 * special-purpose range; and a verdict.
 *
 * <p>Verdicts, most severe first: {@code known-malicious} (an indicator valid now lists it), {@code formerly-listed}
 * (only expired or not yet valid indicators list it), {@code seen-in-data} (no feed lists it, but events or alerts
 * mention it), {@code unknown} (neither). Vigil keeps no reputation of its own: a value no feed lists is never called
 * malicious or clean, and the answer says which data would tell.
 */
final class IndicatorReputationSkill implements Skill {
    static final String NAME = "indicator-reputation";
    private static final int RECENT_ALERTS = 5;
    private static final int SAMPLE_EVENTS = 3;
    private static final List<String> VERDICT_ORDER = List.of("known-malicious", "formerly-listed", "seen-in-data",
            "unknown");

    private static final SkillSpec SPEC = new SkillSpec(NAME, "intel",
            "Reputation of IP addresses, domains, URLs, file hashes or e-mail addresses: threat-intelligence matches"
                    + " with their feeds, confidence and validity, and where the values appear in your events and"
                    + " alerts.",
            List.of("is 45.137.21.9 malicious?", "what do we know about evil-cdn[.]example", "reputation of this hash"
                    + " 44d88612fea8a8f36de82e1278abb02f", "have we seen login-micros0ft.com?",
                    "check these IPs against threat intel"),
            List.of(SkillInput.optionalMany("ip", EntityType.IP, "IP addresses or networks (defanged forms accepted)"),
                    SkillInput.optionalMany("domain", EntityType.DOMAIN, "domain names"),
                    SkillInput.optionalMany("url", EntityType.URL, "URLs"),
                    SkillInput.optionalMany("hash", EntityType.HASH, "MD5, SHA-1, SHA-256 or SHA-512 file hashes"),
                    SkillInput.optionalMany("email", EntityType.EMAIL, "e-mail addresses")));

    private static final List<String> INPUTS = List.of("ip", "domain", "url", "hash", "email");

    private final Workspace workspace;

    IndicatorReputationSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    /** What the tenant holds about one value. */
    private record Report(IndicatorValues.Value value, List<Indicator> matches, boolean active, Sightings sightings,
            Optional<String> range, String verdict) {}

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read threat intelligence");
        List<IndicatorValues.Value> values = values(call);
        TenantStore store = workspace.store();
        String tenant = store.tenant().value();
        Instant now = context.now();
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        List<Report> reports = new ArrayList<>();
        for (IndicatorValues.Value value : values) {
            List<Indicator> matches = store.indicatorsByKey(IndicatorValues.matchingKeys(value));
            boolean active = matches.stream().anyMatch(i -> i.provenance().isActiveAt(now));
            Sightings sightings = store.sightings(value.type(), value.value(), RECENT_ALERTS);
            String verdict = active ? "known-malicious" : !matches.isEmpty() ? "formerly-listed"
                    : sightings.events() > 0 || sightings.alerts() > 0 ? "seen-in-data" : "unknown";
            reports.add(new Report(value, matches, active, sightings, AddressScope.of(value), verdict));
        }
        long intel = store.indicatorCounts(now).active();
        result.fact("intel_indicators", intel);

        compose(result, reports, tenant, intel, now);
        tables(result, reports, now);
        for (Report report : reports) {
            evidence(result, report, store);
            result.subject(entityType(report.value().type()), report.value().value());
        }
        Map<String, String> verdicts = new LinkedHashMap<>();
        reports.forEach(r -> verdicts.put(r.value().value(), r.verdict()));
        String overall = reports.stream().map(Report::verdict).min(java.util.Comparator.comparingInt(
                VERDICT_ORDER::indexOf)).orElse("unknown");
        Map<String, Long> verdictCounts = new LinkedHashMap<>();
        VERDICT_ORDER.forEach(v -> verdictCounts.put(v, reports.stream().filter(r -> r.verdict().equals(v)).count()));
        result.fact("verdict", overall)
                .fact("verdicts", verdicts)
                .fact("verdict_counts", verdictCounts)
                .fact("checked", reports.size())
                .fact("indicators", reports.stream().map(r -> r.value().value()).toList())
                .fact("matches", reports.stream().mapToLong(r -> r.matches().size()).sum())
                .fact("sightings", reports.stream().mapToLong(r -> r.sightings().events()).sum())
                .fact("alerts", reports.stream().mapToLong(r -> r.sightings().alerts()).sum())
                .fact("special_ranges", reports.stream().filter(r -> r.range().isPresent())
                        .map(r -> r.value().value()).toList());
        if (reports.stream().allMatch(r -> r.verdict().equals("unknown"))) {
            result.status(SkillResult.Status.EMPTY);
        }
        Report first = reports.get(0);
        if (!first.verdict().equals("unknown")) {
            result.followUp("show the events that mention " + first.value().value());
        }
        result.followUp("which hosts communicated with " + first.value().value() + " in the last 7 days?");
        if (first.active()) {
            result.followUp("which incidents involve " + first.value().value() + "?");
        }
        result.followUp("what threat intelligence do we have?");
        return result.build();
    }

    /** The values of every input, refanged and in normal form; refuses a call with none or with a malformed one. */
    private static List<IndicatorValues.Value> values(SkillCall call) {
        List<IndicatorValues.Value> values = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String input : INPUTS) {
            for (String text : call.all(input)) {
                String refanged = IndicatorValues.refang(text);
                IndicatorValues.Value value = IndicatorValues.detect(refanged);
                if (value == null) {
                    problems.add(IndicatorValues.whyNot(refanged));
                } else if (!values.contains(value)) {
                    values.add(value);
                }
            }
        }
        if (!problems.isEmpty() || values.isEmpty()) {
            throw new VigilException(ErrorCode.USAGE, problems.isEmpty()
                    ? NAME + " needs at least one indicator: an ip, domain, url, hash or email"
                    : String.join("; ", problems), "Give an IP address or network, a domain, a URL, a file hash (MD5,"
                    + " SHA-1, SHA-256, SHA-512) or an e-mail address, e.g. /" + NAME + " ip=45.137.21.9", null);
        }
        return values;
    }

    private static void compose(SkillResult.Builder result, List<Report> reports, String tenant, long intel,
            Instant now) {
        if (reports.size() == 1) {
            result.paragraph(sentence(reports.get(0), tenant, now));
        } else {
            Map<String, List<String>> byVerdict = new LinkedHashMap<>();
            VERDICT_ORDER.forEach(v -> byVerdict.put(v, new ArrayList<>()));
            reports.forEach(r -> byVerdict.get(r.verdict()).add(r.value().value()));
            List<String> parts = new ArrayList<>();
            byVerdict.forEach((verdict, members) -> {
                if (!members.isEmpty()) {
                    parts.add(members.size() + " " + switch (verdict) {
                        case "known-malicious" -> (members.size() == 1 ? "is" : "are") + " known malicious";
                        case "formerly-listed" -> (members.size() == 1 ? "was" : "were")
                                + " listed by threat intelligence no longer valid";
                        case "seen-in-data" -> (members.size() == 1 ? "is" : "are")
                                + " in your data without any feed listing " + (members.size() == 1 ? "it" : "them");
                        default -> (members.size() == 1 ? "is" : "are") + " unknown to Vigil";
                    } + " (" + and(members, 5) + ")");
                }
            });
            result.paragraph("Of the " + reports.size() + " indicators, " + and(parts) + ".");
            StringBuilder list = new StringBuilder();
            for (Report report : reports) {
                list.append(list.isEmpty() ? "" : "\n").append("- ").append(sentence(report, tenant, now));
            }
            result.paragraph(list.toString());
        }
        if (intel == 0) {
            result.paragraph("Tenant '" + tenant + "' has 0 active threat-intelligence indicators, so no value can be"
                    + " matched against a feed yet: import one with " + KnowledgeHints.IMPORT_INTEL + ".");
        }
        result.paragraph("Scope: the threat-intelligence indicators, events and alerts of tenant '" + tenant
                + "', over all stored data. Vigil keeps no reputation of its own; a verdict rests only on the feeds"
                + " imported into this tenant and on its own data.");
    }

    /** One value's answer, opening with its verdict. */
    private static String sentence(Report report, String tenant, Instant now) {
        String value = report.value().value();
        Sightings s = report.sightings();
        StringBuilder text = new StringBuilder();
        switch (report.verdict()) {
            case "known-malicious" -> {
                Indicator best = strongest(report.matches(), now);
                text.append(value).append(" is known malicious: the threat intelligence of tenant '").append(tenant)
                        .append("' lists ").append(relation(report.value(), best)).append(provenance(best, now))
                        .append('.');
            }
            case "formerly-listed" -> {
                Indicator best = strongest(report.matches(), now);
                Provenance p = best.provenance();
                String through = relation(report.value(), best);
                text.append(value).append(" was listed by threat intelligence").append(through.equals("it") ? ""
                        : " through " + through).append(provenance(best, now))
                        .append(", but the listing is not valid now: ")
                        .append(p.isExpiredAt(now) ? "it expired " + Phrasing.time(p.validUntil())
                                : "it is valid from " + Phrasing.time(p.validFrom()))
                        .append('.');
            }
            case "seen-in-data" -> text.append("Vigil has no reputation for ").append(value)
                    .append(": no threat-intelligence indicator of tenant '").append(tenant)
                    .append("' matches it, but it is in your data.");
            default -> text.append("Vigil has no reputation for ").append(value)
                    .append(": no threat-intelligence indicator of tenant '").append(tenant)
                    .append("' matches it, and none of your events or alerts mention it.");
        }
        if (s.events() > 0) {
            text.append(" It appears in ").append(count(s.events(), "event")).append(" from ")
                    .append(Phrasing.time(s.firstSeen())).append(" to ").append(Phrasing.time(s.lastSeen()))
                    .append(" (").append(and(new ArrayList<>(s.byTable().keySet()), 3)).append(')');
            if (!s.hosts().isEmpty()) {
                text.append(", on ").append(and(s.hosts().stream().map(Sightings.Count::value).toList(), 3));
            }
            if (!s.users().isEmpty()) {
                text.append(", for ").append(and(s.users().stream().map(Sightings.Count::value).toList(), 3));
            }
            text.append('.');
        }
        if (s.alerts() > 0) {
            text.append(' ').append(Phrasing.capitalized(count(s.alerts(), "alert"))).append(s.alerts() == 1
                    ? " involves it" : " involve it").append(", the newest ")
                    .append(s.recentAlerts().isEmpty() ? "" : "'" + s.recentAlerts().get(0).title() + "' at "
                            + Phrasing.time(s.recentAlerts().get(0).time())).append('.');
        }
        report.range().ifPresent(range -> text.append(' ').append(value).append(" is ").append(range)
                .append(": no public reputation feed rates such addresses, so look at which of your hosts use it."));
        if (report.verdict().equals("unknown") && report.range().isEmpty()) {
            text.append(" A threat-intelligence feed that covers it would tell: import one with ")
                    .append(KnowledgeHints.IMPORT_INTEL).append('.');
        }
        if (s.note() != null) {
            text.append(" (").append(s.note()).append(')');
        }
        return text.toString();
    }

    private static Indicator strongest(List<Indicator> matches, Instant now) {
        return matches.stream().max(java.util.Comparator.comparing((Indicator i) -> i.provenance().isActiveAt(now))
                .thenComparingInt(i -> i.provenance().confidence())).orElseThrow();
    }

    /** "it", or how the listed indicator relates to the value ("its parent domain evil.example"). */
    private static String relation(IndicatorValues.Value subject, Indicator indicator) {
        if (indicator.type() == subject.type() && indicator.value().equals(subject.value())) {
            return "it";
        }
        return switch (indicator.type()) {
            case CIDR -> "the network " + indicator.value() + " around it";
            case DOMAIN -> (subject.type() == IndicatorType.DOMAIN ? "its parent domain " : "its domain ")
                    + indicator.value();
            case URL -> "the same URL as " + indicator.value();
            case IPV4, IPV6 -> "its host " + indicator.value();
            default -> indicator.value();
        };
    }

    private static String relationWord(IndicatorValues.Value subject, Indicator indicator) {
        if (indicator.type() == subject.type() && indicator.value().equals(subject.value())) {
            return "exact";
        }
        return switch (indicator.type()) {
            case CIDR -> "network around it";
            case DOMAIN -> subject.type() == IndicatorType.DOMAIN ? "parent domain" : "its domain";
            case URL -> "same URL, other scheme or query";
            case IPV4, IPV6 -> "its host";
            default -> "related";
        };
    }

    private static String provenance(Indicator indicator, Instant now) {
        Provenance p = indicator.provenance();
        List<String> parts = new ArrayList<>();
        parts.add((p.feeds().size() == 1 ? "feed " : "feeds ") + and(p.feeds(), 3));
        parts.add("confidence " + p.confidence());
        if (p.firstSeen() != null) {
            parts.add("first seen " + Phrasing.time(p.firstSeen()));
        }
        if (p.lastSeen() != null) {
            parts.add("last seen " + Phrasing.time(p.lastSeen()));
        }
        if (p.validUntil() != null && p.isActiveAt(now)) {
            parts.add("valid until " + Phrasing.time(p.validUntil()));
        }
        if (!p.actors().isEmpty()) {
            parts.add("linked to " + and(p.actors(), 3));
        }
        if (!p.campaigns().isEmpty()) {
            parts.add("campaign " + and(p.campaigns(), 3));
        }
        return " (" + String.join(", ", parts) + ")";
    }

    private static void tables(SkillResult.Builder result, List<Report> reports, Instant now) {
        List<List<Object>> verdicts = new ArrayList<>();
        List<List<Object>> matches = new ArrayList<>();
        List<List<Object>> sightings = new ArrayList<>();
        List<List<Object>> alerts = new ArrayList<>();
        for (Report report : reports) {
            String value = report.value().value();
            Sightings s = report.sightings();
            verdicts.add(List.of(value, report.value().type().id(), report.verdict(), report.range().orElse(""),
                    report.matches().size(), s.events(), s.alerts()));
            for (Indicator indicator : report.matches()) {
                Provenance p = indicator.provenance();
                matches.add(java.util.Arrays.asList(value, indicator.key(), relationWord(report.value(), indicator),
                        String.join(", ", p.feeds()), p.confidence(), Phrasing.time(p.firstSeen()),
                        Phrasing.time(p.lastSeen()), Phrasing.time(p.validUntil()),
                        p.isActiveAt(now) ? "active" : p.isExpiredAt(now) ? "expired" : "not yet valid",
                        String.join(", ", p.actors()), String.join(", ", p.campaigns()),
                        String.join(", ", p.techniques())));
            }
            if (s.events() > 0) {
                sightings.add(List.of(value, s.events(), Phrasing.time(s.firstSeen()), Phrasing.time(s.lastSeen()),
                        String.join(", ", s.byTable().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue()
                                + ")").toList()),
                        String.join(", ", s.hosts().stream().map(c -> c.value() + " (" + c.events() + ")").toList()),
                        String.join(", ", s.users().stream().map(c -> c.value() + " (" + c.events() + ")").toList())));
            }
            for (Sightings.AlertMention alert : s.recentAlerts()) {
                alerts.add(List.of(value, String.valueOf(alert.id()), Phrasing.time(alert.time()),
                        String.valueOf(alert.level()), String.valueOf(alert.title()), String.valueOf(alert.ruleId())));
            }
        }
        result.table(new Table("Verdicts", List.of("indicator", "type", "verdict", "range", "intel_matches", "events",
                "alerts"), verdicts));
        if (!matches.isEmpty()) {
            result.table(new Table("Threat-intelligence matches", List.of("indicator", "listed", "match", "feeds",
                    "confidence", "first_seen", "last_seen", "valid_until", "status", "actors", "campaigns",
                    "techniques"), matches));
        }
        if (!sightings.isEmpty()) {
            result.table(new Table("Sightings in your events", List.of("indicator", "events", "first_seen",
                    "last_seen", "tables", "hosts", "users"), sightings));
        }
        if (!alerts.isEmpty()) {
            result.table(new Table("Newest alerts that involve them", List.of("indicator", "alert", "time", "level",
                    "title", "rule"), alerts));
        }
    }

    private static void evidence(SkillResult.Builder result, Report report, TenantStore store) {
        String value = report.value().value();
        result.evidence(value + " is listed by threat intelligence", report.matches().stream()
                .map(i -> "indicator:" + i.type().id() + ":" + i.value()).toList());
        Sightings s = report.sightings();
        if (s.events() > 0 && !s.byTable().isEmpty()) {
            String table = s.byTable().keySet().iterator().next();
            String sql = sampleSql(table, report.value());
            QueryResult rows = store.query(sql, SAMPLE_EVENTS);
            result.query(new ExecutedQuery("sql", sql, rows.rows().size(), Math.round(rows.milliseconds())));
            List<String> refs = new ArrayList<>();
            rows.rows().forEach(row -> refs.add("event:" + table + ":" + row.get(0)));
            refs.add("query:" + (result.queryCount() - 1));
            result.evidence(value + " appears in " + count(s.events(), "event") + " of your data", refs);
        }
        result.evidence(value + " is named by " + count(s.alerts(), "alert"), s.recentAlerts().stream()
                .map(a -> "alert:" + a.id()).toList());
    }

    /** The newest events of a table whose raw record holds the value as a whole word, as the sightings count them. */
    static String sampleSql(String table, IndicatorValues.Value value) {
        String text = value.value();
        if (value.type() == IndicatorType.URL && text.contains("://")) {
            text = text.substring(text.indexOf("://") + 3);
        }
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                regex.append('\\');
            }
            regex.append(c);
        }
        String pattern = value.type() == IndicatorType.URL ? regex.toString()
                : "(^|[^A-Za-z0-9_.-])" + (value.type() == IndicatorType.DOMAIN ? "([A-Za-z0-9_-]+\\.)*" : "")
                        + regex + "($|[^A-Za-z0-9_-]|\\.($|[^A-Za-z0-9]))";
        return "SELECT CAST(event_id AS VARCHAR) AS event_id, \"time\" FROM main.\"" + table.replace("\"", "\"\"")
                + "\" WHERE contains(lower(raw), " + literal(text.toLowerCase(Locale.ROOT)) + ") AND regexp_matches(raw, "
                + literal(pattern) + ", 'i') ORDER BY \"time\" DESC LIMIT " + SAMPLE_EVENTS;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static EntityType entityType(IndicatorType type) {
        return switch (type) {
            case IPV4, IPV6 -> EntityType.IP;
            case CIDR -> EntityType.CIDR;
            case DOMAIN -> EntityType.DOMAIN;
            case URL -> EntityType.URL;
            case EMAIL -> EntityType.EMAIL;
            case MD5, SHA1, SHA256, SHA512 -> EntityType.HASH;
        };
    }
}
