package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Phrasing.and;
import static dev.vigil.copilot.skills.Phrasing.count;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Technique;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.intel.text.Extraction;
import dev.vigil.intel.text.Found;
import dev.vigil.intel.text.TechniqueNames;
import dev.vigil.intel.text.TextIndicators;
import dev.vigil.model.Role;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.vuln.KevEntry;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.store.Sightings;
import dev.vigil.store.TenantStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code article-analysis}: the impact of a threat article on the tenant. It finds the article's indicators (defanged
 * ones too), CVE ids and ATT&amp;CK techniques (ids, and names when ATT&amp;CK is imported) with
 * {@link TextIndicators}, then checks each against the tenant: indicators against its events, alerts and threat
 * intelligence; CVEs against its inventory (the posture findings); techniques against its enabled rules and alerts.
 *
 * <p>At most {@value #MAX_INDICATORS} indicators are looked up, since each is a search of every stored event; the
 * answer says how many more the article holds.
 */
final class ArticleAnalysisSkill implements Skill {
    static final String NAME = "article-analysis";
    static final int MAX_INDICATORS = 100;

    private static final SkillSpec SPEC = new SkillSpec(NAME, "intel",
            "Impact of a pasted threat article or advisory: extracts its indicators, CVEs and ATT&CK techniques and"
                    + " checks which were seen in your data, which CVEs affect your assets and which techniques your"
                    + " rules cover.",
            List.of("what does this report mean for us: <article>", "analyze this threat advisory",
                    "are we affected by this campaign? <text>", "check the IOCs in this blog post"),
            List.of(SkillInput.required("text", EntityType.TEXT, "the article's text, pasted")));

    private final Workspace workspace;

    ArticleAnalysisSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    private record IndicatorCheck(Found found, IndicatorValues.Value value, List<Indicator> listed, boolean active,
            Sightings sightings) {
        boolean seen() {
            return sightings.events() > 0 || sightings.alerts() > 0;
        }
    }

    private record CveCheck(String cve, KevEntry kev, List<Finding> findings) {
        List<String> assets() {
            return findings.stream().map(Finding::assetId).filter(java.util.Objects::nonNull).distinct().toList();
        }
    }

    private record TechniqueCheck(String id, String name, int rules, TechniqueActivity.Fired fired) {}

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read threat intelligence");
        String text = String.join("\n\n", call.all("text"));
        TenantStore store = workspace.store();
        String tenant = store.tenant().value();
        Instant now = context.now();
        Optional<AttackKnowledge> attack = workspace.attack();
        Extraction extraction = TextIndicators.extract(text, attack.map(a -> TechniqueNames.of(a.techniqueNames()))
                .orElse(TechniqueNames.none()));
        SkillResult.Builder result = SkillResult.builder(NAME).fact("tenant", tenant);
        attack.ifPresent(a -> KnowledgeHints.attackFacts(result, a));

        List<IndicatorCheck> indicators = new ArrayList<>();
        int found = 0;
        for (Found f : extraction.all()) {
            IndicatorType type = indicatorType(f.kind());
            if (type == null) {
                continue;
            }
            IndicatorValues.Value value;
            try {
                value = IndicatorValues.canonical(type, f.value());
            } catch (IllegalArgumentException e) {
                continue; // the extractor's form of a value the indicator store would not hold
            }
            found++;
            if (indicators.size() < MAX_INDICATORS) {
                context.progress().accept("checking " + value.value() + " (" + found + ")");
                List<Indicator> listed = store.indicatorsByKey(IndicatorValues.matchingKeys(value));
                indicators.add(new IndicatorCheck(f, value, listed, listed.stream()
                        .anyMatch(i -> i.provenance().isActiveAt(now)), store.sightings(value.type(), value.value(),
                        3)));
            }
        }
        List<String> cveIds = extraction.values(Found.Kind.CVE);
        List<CveCheck> cves = new ArrayList<>();
        PostureReport posture = cveIds.isEmpty() ? null : workspace.posture(now);
        VulnKnowledge vulns = cveIds.isEmpty() ? null : workspace.vulnerabilities().knowledge();
        for (String cve : cveIds) {
            cves.add(new CveCheck(cve, vulns.kev(cve), posture.findings().stream()
                    .filter(f -> f.subject().equals(cve)).toList()));
        }
        List<String> techniqueIds = extraction.values(Found.Kind.ATTACK_TECHNIQUE);
        List<TechniqueCheck> techniques = new ArrayList<>();
        if (!techniqueIds.isEmpty()) {
            TechniqueActivity activity = TechniqueActivity.read(store);
            activity.queries().forEach(result::query);
            for (String id : techniqueIds) {
                String name = attack.flatMap(a -> a.technique(id)).map(Technique::name).orElse("");
                techniques.add(new TechniqueCheck(id, name, activity.rules(id).size(), activity.fired(id)));
            }
        }

        if (found == 0 && cves.isEmpty() && techniques.isEmpty()) {
            result.status(SkillResult.Status.EMPTY)
                    .paragraph("Vigil found no indicator, CVE id or ATT&CK technique in the text, so there is nothing"
                            + " to check against the data of tenant '" + tenant + "'.")
                    .paragraph("Searched for: IP addresses and networks, domains, URLs, e-mail addresses, MD5, SHA1"
                            + " and SHA256 hashes (defanged forms such as hxxp:// and [.] too), CVE ids and ATT&CK"
                            + " technique ids" + (attack.isPresent() ? " and names." : "; technique names are"
                                    + " recognized once ATT&CK is imported with " + KnowledgeHints.IMPORT_ATTACK + "."))
                    .fact("indicators", 0).fact("cves", List.of()).fact("techniques", List.of())
                    .followUp("is 45.137.21.9 malicious?").followUp("what is our posture summary?");
            return result.build();
        }
        compose(result, indicators, found, cves, posture, techniques, tenant, attack);
        tables(result, indicators, cves, techniques);
        evidence(result, indicators, cves, techniques);
        return result.build();
    }

    private static void compose(SkillResult.Builder result, List<IndicatorCheck> indicators, int found,
            List<CveCheck> cves, PostureReport posture, List<TechniqueCheck> techniques, String tenant,
            Optional<AttackKnowledge> attack) {
        List<IndicatorCheck> seen = indicators.stream().filter(IndicatorCheck::seen).toList();
        List<IndicatorCheck> listed = indicators.stream().filter(i -> !i.listed().isEmpty()).toList();
        List<String> paragraphs = new ArrayList<>();
        if (found > 0) {
            String of = found == 1 ? "the 1 indicator" : "the " + found + " indicators";
            StringBuilder text = new StringBuilder();
            if (seen.isEmpty()) {
                text.append(found == 1 ? "The 1 indicator in the article does" : "None of the " + found
                        + " indicators in the article").append(found == 1 ? " not appear" : " appear")
                        .append(" in the events or alerts of tenant '").append(tenant).append("'");
            } else {
                text.append(seen.size()).append(" of ").append(of).append(" in the article ")
                        .append(seen.size() == 1 ? "was" : "were").append(" seen in your data: ")
                        .append(and(seen.stream().map(ArticleAnalysisSkill::seenPhrase).toList(), 6));
            }
            text.append('.');
            if (!listed.isEmpty()) {
                text.append(' ').append(listed.size()).append(listed.size() == 1 ? " is" : " are")
                        .append(" listed by your threat intelligence: ")
                        .append(and(listed.stream().map(i -> i.value().value()).toList(), 6)).append('.');
            }
            if (found > indicators.size()) {
                text.append(" Only the first ").append(indicators.size()).append(" were checked; ")
                        .append(found - indicators.size()).append(" more were not.");
            }
            paragraphs.add(text.toString());
        }
        if (!cves.isEmpty()) {
            List<CveCheck> affecting = cves.stream().filter(c -> !c.findings().isEmpty()).toList();
            StringBuilder text = new StringBuilder();
            int assets = posture.counts().getOrDefault("assets", 0);
            if (assets == 0) {
                text.append("The article names ").append(count(cves.size(), "CVE")).append(" (")
                        .append(and(cves.stream().map(CveCheck::cve).toList(), 6)).append("), but tenant '")
                        .append(tenant).append("' has no inventory, so Vigil cannot tell whether they affect you:")
                        .append(" import one with ").append(KnowledgeHints.IMPORT_INVENTORY).append('.');
            } else if (affecting.isEmpty()) {
                text.append(cves.size() == 1 ? "Its CVE, " + cves.get(0).cve() + ", affects" : "None of its "
                        + cves.size() + " CVEs (" + and(cves.stream().map(CveCheck::cve).toList(), 6) + ") affects")
                        .append(cves.size() == 1 ? " none of the " : " any of the ").append(assets)
                        .append(" assets in your inventory, as far as the imported vulnerability knowledge can tell.");
            } else if (cves.size() == 1) {
                CveCheck only = affecting.get(0);
                text.append("Its CVE, ").append(only.cve()).append(", affects ").append(and(only.assets(), 5))
                        .append(only.kev() != null ? " and is known exploited." : ".");
            } else {
                text.append(affecting.size()).append(" of its ").append(count(cves.size(), "CVE")).append(' ')
                        .append(affecting.size() == 1 ? "affects" : "affect").append(" your assets: ")
                        .append(and(affecting.stream().map(c -> c.cve() + " on " + and(c.assets(), 5)
                                + (c.kev() != null ? " (known exploited)" : "")).toList())).append('.');
            }
            paragraphs.add(text.toString());
        }
        if (!techniques.isEmpty()) {
            List<TechniqueCheck> fired = techniques.stream().filter(t -> t.fired().alerts() > 0).toList();
            List<TechniqueCheck> covered = techniques.stream().filter(t -> t.rules() > 0).toList();
            List<TechniqueCheck> uncovered = techniques.stream().filter(t -> t.rules() == 0).toList();
            paragraphs.add("It names " + count(techniques.size(), "ATT&CK technique") + ": " + fired.size()
                    + (fired.size() == 1 ? " appears" : " appear") + " in your alerts" + (fired.isEmpty() ? ""
                            : " (" + and(fired.stream().map(ArticleAnalysisSkill::label).toList(), 5) + ")")
                    + ", " + covered.size() + (covered.size() == 1 ? " is" : " are") + " covered by enabled rules,"
                    + " and " + uncovered.size() + (uncovered.size() == 1 ? " has" : " have") + " no enabled rule"
                    + (uncovered.isEmpty() ? "" : " (" + and(uncovered.stream().map(ArticleAnalysisSkill::label)
                            .toList(), 5) + ")") + "."
                    + (attack.isEmpty() ? " Techniques named only in words are found once ATT&CK is imported with "
                            + KnowledgeHints.IMPORT_ATTACK + "." : ""));
        }
        paragraphs.forEach(result::paragraph);
        result.paragraph("Scope: the events, alerts, threat-intelligence indicators, inventory and enabled rules of"
                + " tenant '" + tenant + "', over all stored data.");

        result.fact("indicators", found).fact("checked_indicators", indicators.size())
                .fact("unchecked_indicators", found - indicators.size())
                .fact("seen_indicators", seen.stream().map(i -> i.value().value()).toList())
                .fact("listed_indicators", listed.stream().map(i -> i.value().value()).toList())
                .fact("cves", cves.stream().map(CveCheck::cve).toList())
                .fact("affecting_cves", cves.stream().filter(c -> !c.findings().isEmpty()).map(CveCheck::cve).toList())
                .fact("techniques", techniques.stream().map(TechniqueCheck::id).toList())
                .fact("seen_techniques", techniques.stream().filter(t -> t.fired().alerts() > 0)
                        .map(TechniqueCheck::id).toList())
                .fact("covered_techniques", techniques.stream().filter(t -> t.rules() > 0).map(TechniqueCheck::id)
                        .toList())
                .fact("uncovered_techniques", techniques.stream().filter(t -> t.rules() == 0).map(TechniqueCheck::id)
                        .toList());
        if (posture != null) {
            result.fact("assets", posture.counts().getOrDefault("assets", 0));
        }
        if (!seen.isEmpty()) {
            result.followUp("show the events that mention " + seen.get(0).value().value());
        }
        cves.stream().filter(c -> !c.findings().isEmpty()).findFirst()
                .ifPresent(c -> result.followUp("what is the impact of " + c.cve() + "?"));
        techniques.stream().filter(t -> t.rules() == 0).findFirst()
                .ifPresent(t -> result.followUp("explain technique " + t.id()));
        result.followUp("what is our posture summary?");
    }

    private static String seenPhrase(IndicatorCheck check) {
        Sightings s = check.sightings();
        List<String> parts = new ArrayList<>();
        if (s.events() > 0) {
            parts.add(count(s.events(), "event"));
        }
        if (s.alerts() > 0) {
            parts.add(count(s.alerts(), "alert"));
        }
        return check.value().value() + " (" + String.join(", ", parts) + ")";
    }

    private static String label(TechniqueCheck technique) {
        return technique.name().isEmpty() ? technique.id() : technique.id() + " " + technique.name();
    }

    private static void tables(SkillResult.Builder result, List<IndicatorCheck> indicators, List<CveCheck> cves,
            List<TechniqueCheck> techniques) {
        if (!indicators.isEmpty()) {
            result.table(new Table("Indicators in the article", List.of("kind", "value", "as_written", "listed",
                    "events", "alerts", "first_seen", "last_seen"), indicators.stream().map(i -> List.<Object>of(
                    i.value().type().id(), i.value().value(), i.found().original(),
                    i.active() ? "active" : i.listed().isEmpty() ? "no" : "expired", i.sightings().events(),
                    i.sightings().alerts(), Phrasing.time(i.sightings().firstSeen()),
                    Phrasing.time(i.sightings().lastSeen()))).toList()));
        }
        if (!cves.isEmpty()) {
            result.table(new Table("CVEs in the article", List.of("cve", "known_exploited", "kev_due",
                    "affected_assets", "findings"), cves.stream().map(c -> List.<Object>of(c.cve(), c.kev() != null,
                    c.kev() == null ? "" : Phrasing.day(c.kev().dueDate()), String.join(", ", c.assets()),
                    c.findings().size())).toList()));
        }
        if (!techniques.isEmpty()) {
            result.table(new Table("ATT&CK techniques in the article", List.of("technique", "name", "our_rules",
                    "alerts"), techniques.stream().map(t -> List.<Object>of(t.id(), t.name(), t.rules(),
                    t.fired().alerts())).toList()));
        }
    }

    private static void evidence(SkillResult.Builder result, List<IndicatorCheck> indicators, List<CveCheck> cves,
            List<TechniqueCheck> techniques) {
        for (IndicatorCheck check : indicators) {
            String value = check.value().value();
            result.evidence(value + " is listed by threat intelligence", check.listed().stream()
                    .map(i -> "indicator:" + i.type().id() + ":" + i.value()).toList());
            result.evidence(value + " is named by alerts", check.sightings().recentAlerts().stream()
                    .map(a -> "alert:" + a.id()).toList());
            if (check.seen()) {
                result.subject(IndicatorReputationSkill.entityType(check.value().type()), value);
            }
        }
        for (CveCheck cve : cves) {
            List<String> refs = new ArrayList<>(List.of("cve:" + cve.cve()));
            if (cve.kev() != null) {
                refs.add("kev:" + cve.cve());
            }
            cve.findings().forEach(f -> {
                refs.add("finding:" + f.id());
                if (f.assetId() != null) {
                    refs.add("asset:" + f.assetId());
                }
            });
            result.evidence(cve.cve() + (cve.findings().isEmpty() ? " matches no asset" : " affects "
                    + and(cve.assets())), refs);
            result.subject(EntityType.CVE, cve.cve());
        }
        for (TechniqueCheck technique : techniques) {
            List<String> refs = new ArrayList<>(List.of("attack:" + technique.id()));
            technique.fired().newestAlerts().forEach(id -> refs.add("alert:" + id));
            result.evidence(technique.id() + " is named by the article", refs);
            result.subject(EntityType.TECHNIQUE, technique.id());
        }
    }

    private static IndicatorType indicatorType(Found.Kind kind) {
        return switch (kind) {
            case IPV4 -> IndicatorType.IPV4;
            case IPV6 -> IndicatorType.IPV6;
            case CIDR -> IndicatorType.CIDR;
            case DOMAIN -> IndicatorType.DOMAIN;
            case URL -> IndicatorType.URL;
            case EMAIL -> IndicatorType.EMAIL;
            case MD5 -> IndicatorType.MD5;
            case SHA1 -> IndicatorType.SHA1;
            case SHA256 -> IndicatorType.SHA256;
            case CVE, ATTACK_TECHNIQUE -> null;
        };
    }
}
