package dev.vigil.posture;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Mitigation;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Criticality;
import dev.vigil.posture.inventory.Identity;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.inventory.Service;
import dev.vigil.posture.inventory.Software;
import dev.vigil.posture.version.Ecosystem;
import dev.vigil.posture.vuln.Cvss;
import dev.vigil.posture.vuln.EpssScore;
import dev.vigil.posture.vuln.KevEntry;
import dev.vigil.posture.vuln.Vulnerability;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an inventory and the vulnerability knowledge into the tenant's posture: vulnerability findings (one per asset
 * and CVE, however many records and sources name it), weaknesses beyond CVEs, an SSVC decision with its reasons for
 * each, guidance, exposure scores and a remediation plan.
 *
 * <p>A pure function of its inputs and the instant given: it reads no clock and no store, so the same inputs give
 * the same report.
 */
public final class PostureAnalyzer {
    private static final List<EolRule> EOL = loadEol();
    /** Services that should never face the internet, with the techniques their exposure enables. */
    private static final Map<Integer, RiskyService> RISKY_SERVICES = Map.ofEntries(
            Map.entry(3389, new RiskyService("RDP", Decision.ACT, List.of("T1133", "T1021.001", "T1110"))),
            Map.entry(445, new RiskyService("SMB", Decision.ACT, List.of("T1210", "T1021.002"))),
            Map.entry(139, new RiskyService("NetBIOS/SMB", Decision.ACT, List.of("T1210", "T1021.002"))),
            Map.entry(23, new RiskyService("Telnet", Decision.ACT, List.of("T1133", "T1040", "T1110"))),
            Map.entry(5900, new RiskyService("VNC", Decision.ACT, List.of("T1133", "T1021.005"))),
            Map.entry(21, new RiskyService("FTP", Decision.ATTEND, List.of("T1133", "T1040"))),
            Map.entry(1433, new RiskyService("SQL Server", Decision.ATTEND, List.of("T1190", "T1110"))),
            Map.entry(3306, new RiskyService("MySQL", Decision.ATTEND, List.of("T1190", "T1110"))),
            Map.entry(5432, new RiskyService("PostgreSQL", Decision.ATTEND, List.of("T1190", "T1110"))),
            Map.entry(1521, new RiskyService("Oracle Database", Decision.ATTEND, List.of("T1190", "T1110"))),
            Map.entry(27017, new RiskyService("MongoDB", Decision.ATTEND, List.of("T1190", "T1213"))),
            Map.entry(6379, new RiskyService("Redis", Decision.ATTEND, List.of("T1190"))),
            Map.entry(9200, new RiskyService("Elasticsearch", Decision.ATTEND, List.of("T1190", "T1213"))));

    private record RiskyService(String name, Decision decision, List<String> techniques) {}

    private record EolRule(String name, String versionPrefix, LocalDate end, String label) {}

    private final VulnKnowledge knowledge;
    private final VulnerabilityMatcher matcher;
    private final AttackKnowledge attack;
    private final PosturePolicy policy;

    /**
     * @param attack ATT&amp;CK knowledge for compensating controls, or null (guidance then names techniques only)
     */
    public PostureAnalyzer(VulnKnowledge knowledge, VulnerabilityMatcher matcher, AttackKnowledge attack,
            PosturePolicy policy) {
        this.knowledge = requireNonNull(knowledge, "knowledge is null");
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.attack = attack;
        this.policy = requireNonNull(policy, "policy is null");
    }

    public PostureReport analyze(Inventory inventory, Instant now) {
        requireNonNull(inventory, "inventory is null");
        requireNonNull(now, "now is null");
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (Asset asset : inventory.assets()) {
            assets.put(asset.id(), asset);
        }
        List<Finding> findings = new ArrayList<>(vulnerabilityFindings(inventory, assets, now));
        findings.addAll(identityFindings(inventory, now));
        findings.addAll(serviceFindings(inventory, assets));
        findings.addAll(assetFindings(assets.values(), now));
        findings.sort(Comparator.comparing(Finding::decision).reversed()
                .thenComparing(Comparator.comparingDouble(Finding::risk).reversed()).thenComparing(Finding::id));
        Map<String, Double> assetScores = assetScores(findings, assets.keySet());
        double organization = organizationScore(assetScores, assets);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("assets", assets.size());
        counts.put("software", inventory.software().size());
        counts.put("identities", inventory.identities().size());
        counts.put("services", inventory.services().size());
        counts.put("findings", findings.size());
        for (Decision decision : Decision.values()) {
            counts.put(decision.label(), (int) findings.stream().filter(f -> f.decision() == decision).count());
        }
        counts.put("known_exploited", (int) findings.stream().filter(Finding::knownExploited).count());
        counts.put("known_exploited_unverified", (int) findings.stream()
                .filter(f -> f.knownExploited() && f.confidence() == Confidence.LOW).count());
        List<String> notes = new ArrayList<>();
        if (knowledge.records().isEmpty()) {
            notes.add(knowledge.kevEntries().isEmpty() ? "no vulnerability knowledge: import CVE JSON 5, OSV, KEV and"
                    + " EPSS files with 'vigil vulns import'" : "only KEV is known: without CVE JSON 5 or OSV records"
                    + " versions cannot be checked, so KEV matches are by product name (low confidence)");
        } else if (counts.get("known_exploited_unverified") > 0) {
            notes.add(counts.get("known_exploited_unverified") + " known-exploited findings have no CVE JSON 5 or OSV"
                    + " record, so they match by product name only (low confidence): import their records with"
                    + " 'vigil vulns import' so their versions are checked");
        }
        if (attack == null) {
            notes.add("no ATT&CK knowledge: compensating controls name techniques only (import MITRE's bundle with"
                    + " 'vigil intel import enterprise-attack.json')");
        }
        return new PostureReport(now, findings, assetScores, organization, plan(findings, inventory), counts, notes);
    }

    // --- vulnerabilities ----------------------------------------------------------------------------------------

    private List<Finding> vulnerabilityFindings(Inventory inventory, Map<String, Asset> assets, Instant now) {
        // one finding per asset and CVE: every match of every record (and of the OS) is evidence for it
        Map<String, List<VulnerabilityMatcher.Match>> byAssetAndCve = new LinkedHashMap<>();
        List<Software> items = new ArrayList<>(inventory.software());
        for (Asset asset : assets.values()) {
            if (asset.os() != null && asset.osVersion() != null) {
                items.add(new Software(asset.id(), asset.os(), "", asset.osVersion(), null, null, asset.origin(),
                        asset.source() + " (operating system)"));
            }
        }
        for (Software item : items) {
            for (VulnerabilityMatcher.Match match : matcher.match(item)) {
                byAssetAndCve.computeIfAbsent(item.assetId() + "|" + match.cve(), k -> new ArrayList<>()).add(match);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<VulnerabilityMatcher.Match> matches : byAssetAndCve.values()) {
            findings.add(vulnerabilityFinding(matches, assets.get(matches.get(0).software().assetId()), now));
        }
        return findings;
    }

    private Finding vulnerabilityFinding(List<VulnerabilityMatcher.Match> matches, Asset asset, Instant now) {
        VulnerabilityMatcher.Match best = matches.stream().min(Comparator.comparing(VulnerabilityMatcher.Match::confidence))
                .orElseThrow();
        String cve = best.cve();
        Software item = best.software();
        if (asset == null) {
            asset = Asset.named(item.assetId(), Origin.OBSERVED, item.source());
        }
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence("inventory", item.source(), item.name() + " " + item.version() + " on "
                + asset.hostname() + (item.purl() != null ? " (" + item.purl() + ")" : "")));
        Cvss cvss = null;
        String title = "";
        Set<String> seen = new LinkedHashSet<>();
        String fixed = null;
        Ecosystem ecosystem = Ecosystem.GENERIC;
        for (VulnerabilityMatcher.Match match : matches) {
            if (match.record() != null) {
                Vulnerability record = match.record();
                if (seen.add(record.id() + "|" + match.how())) {
                    evidence.add(new Evidence(record.format(), record.id(), match.how() + " (" + match.confidence()
                            .name().toLowerCase(Locale.ROOT) + " confidence; " + record.source() + ")"));
                }
                if (record.cvss() != null && (cvss == null || record.cvss().version().compareTo(cvss.version()) > 0)) {
                    cvss = record.cvss();
                }
                if (title.isEmpty() || record.format().equals("cve5")) {
                    title = record.title();
                }
                String candidate = match.range() == null ? null : match.range().fixed();
                if (candidate != null && match.confidence() == best.confidence()) {
                    ecosystem = match.affected().ecosystem();
                    // the lowest fixed version above the installed one closes every range it falls in
                    if (fixed == null || ecosystem.compare(candidate, fixed) < 0) {
                        fixed = candidate;
                    }
                }
            } else if (seen.add("kev-only")) {
                evidence.add(new Evidence("kev", cve, match.how()));
            }
        }
        KevEntry kev = knowledge.kev(cve);
        EpssScore epss = knowledge.epss(cve);
        if (kev != null) {
            evidence.add(new Evidence("kev", cve, "in CISA KEV since " + kev.dateAdded() + ", due " + kev.dueDate()
                    + (kev.ransomware() ? ", known ransomware use" : "") + " (" + kev.source() + ")"));
            if (title.isEmpty()) {
                title = kev.name();
            }
        }
        if (epss != null) {
            evidence.add(new Evidence("epss", cve, String.format(Locale.ROOT, "EPSS %.3f, percentile %.3f%s", epss.score(),
                    epss.percentile(), epss.date().isEmpty() ? "" : " on " + epss.date())));
        }
        List<String> reasons = new ArrayList<>();
        Decision decision = decide(kev, epss, cvss, asset, best.confidence(), reasons, now);
        double risk = vulnerabilityRisk(kev, epss, cvss, asset, best.confidence());
        List<String> techniques = List.of(cvss != null && "L".equals(cvss.metrics().get("AV")) ? "T1068"
                : asset.facesInternet() ? "T1190" : "T1210");
        List<String> steps = new ArrayList<>();
        if (fixed != null) {
            steps.add("upgrade " + item.name() + " from " + item.version() + " to " + fixed + " or later on "
                    + asset.hostname());
        } else {
            steps.add("apply the vendor's fix for " + cve + " to " + item.name() + " " + item.version() + " on "
                    + asset.hostname() + " (no imported record names a fixed version)");
        }
        if (best.confidence() == Confidence.LOW) {
            steps.add(0, "confirm the version is affected: import the CVE JSON 5 or OSV record of " + cve
                    + " so Vigil can check it");
        }
        Guidance guidance = new Guidance(fixed, kev == null ? null : kev.requiredAction(),
                kev == null ? null : kev.dueDate(), steps, controls(techniques));
        return new Finding(id("vulnerability", asset.id(), cve + "|" + item.name()), "vulnerability", asset.id(), cve,
                item.name() + " " + item.version(), title, best.confidence(), decision, risk, kev != null, reasons,
                evidence, guidance, techniques, fixed != null ? "upgrade|" + item.name().toLowerCase(Locale.ROOT) + "|"
                        + ecosystem.id() : "vendor-fix|" + cve + "|" + item.name());
    }

    /**
     * The SSVC deployer decision, from exploitation (KEV: active; EPSS at or above the policy's threshold: likely, as
     * a proxy for a public proof of concept), exposure (internet-facing), automatable and technical impact (from the
     * CVSS vector) and mission impact (asset criticality).
     */
    private Decision decide(KevEntry kev, EpssScore epss, Cvss cvss, Asset asset, Confidence confidence,
            List<String> reasons, Instant now) {
        boolean active = kev != null;
        boolean likely = epss != null && epss.score() >= policy.epssThreshold();
        boolean open = asset.facesInternet();
        boolean automatable = cvss != null && cvss.automatable();
        boolean total = cvss != null && cvss.totalImpact();
        boolean mission = asset.criticalityOrDefault().compareTo(Criticality.HIGH) >= 0;
        if (active) {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            reasons.add("exploitation active: in CISA KEV since " + kev.dateAdded() + (kev.dueDate() == null ? ""
                    : ", due " + kev.dueDate() + (kev.dueDate().isBefore(today) ? " (past due)" : "")));
            if (kev.ransomware()) {
                reasons.add("known use in ransomware campaigns");
            }
        } else if (likely) {
            reasons.add(String.format(Locale.ROOT, "exploitation likely: EPSS %.3f >= %.2f", epss.score(),
                    policy.epssThreshold()));
        } else {
            reasons.add("no known exploitation" + (epss == null ? " (no EPSS score)"
                    : String.format(Locale.ROOT, " (EPSS %.3f)", epss.score())));
        }
        if (epss != null && (active || likely)) {
            reasons.add(String.format(Locale.ROOT, "EPSS %.3f (percentile %.2f)", epss.score(), epss.percentile()));
        }
        reasons.add(open ? "exposure open: " + asset.hostname() + " is internet-facing"
                : "exposure controlled: " + asset.hostname() + " is not marked internet-facing");
        if (cvss != null) {
            reasons.add("CVSS " + cvss.version() + " " + cvss.score() + (automatable ? ", automatable (network, no"
                    + " privileges, no user interaction)" : "") + (total ? ", total technical impact" : ""));
        } else {
            reasons.add("no CVSS assessment imported");
        }
        reasons.add("mission impact " + (mission ? "high" : "not high") + ": criticality "
                + (asset.criticality() == null ? "unknown (medium assumed)" : asset.criticality().id()));
        if (confidence == Confidence.LOW) {
            reasons.add("low confidence: the match is by product name; the version was not checked");
        }
        Decision decision;
        if (active) {
            decision = (open || automatable) && (mission || total) ? Decision.ACT : Decision.ATTEND;
        } else if (likely) {
            decision = open && (automatable || total) ? Decision.ATTEND : Decision.TRACK_STAR;
        } else {
            decision = open && automatable && total ? Decision.TRACK_STAR : Decision.TRACK;
        }
        if (confidence == Confidence.LOW && decision == Decision.ACT) {
            // acting on every product that shares a name with a KEV entry would bury the findings that are sure
            reasons.add("held at Attend until the version is checked: import the CVE's record (CVE JSON 5 or OSV)");
            decision = Decision.ATTEND;
        }
        return decision;
    }

    private static double vulnerabilityRisk(KevEntry kev, EpssScore epss, Cvss cvss, Asset asset, Confidence confidence) {
        double likelihood = kev != null ? (kev.ransomware() ? 1.0 : 0.9)
                : Math.max(epss == null ? 0 : epss.score(), (cvss == null ? 5 : cvss.score()) / 10 * 0.3);
        double impact = (cvss == null ? 5 : cvss.score()) / 10 * criticalityFactor(asset)
                * (asset.facesInternet() ? 1.0 : 0.7);
        double confidenceFactor = switch (confidence) {
            case HIGH -> 1.0;
            case MEDIUM -> 0.8;
            case LOW -> 0.5;
        };
        return round(likelihood * impact * confidenceFactor);
    }

    private static double criticalityFactor(Asset asset) {
        return switch (asset.criticalityOrDefault()) {
            case LOW -> 0.4;
            case MEDIUM -> 0.6;
            case HIGH -> 0.8;
            case CRITICAL -> 1.0;
        };
    }

    // --- weaknesses beyond CVEs ---------------------------------------------------------------------------------

    private List<Finding> identityFindings(Inventory inventory, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (Identity identity : inventory.identities()) {
            boolean enabled = !Boolean.FALSE.equals(identity.enabled());
            if (!enabled) {
                continue;
            }
            Evidence record = new Evidence("inventory", identity.source(), identity.name()
                    + (identity.isAdmin() ? ", " + identity.adminEvidence() : ""));
            if (identity.isAdmin() && identity.mfaMethods() != null && identity.mfaMethods().isEmpty()) {
                List<String> techniques = List.of("T1078", "T1110");
                findings.add(weakness("admin-without-mfa", null, identity.name(), "Administrator without MFA",
                        Decision.ATTEND, 0.7, List.of("an enabled administrator (" + identity.adminEvidence()
                                + ") has no MFA method registered", "a stolen or guessed password is enough"),
                        List.of(record, new Evidence("check", "admin-without-mfa", "mfa_methods is empty")),
                        List.of("register an MFA method for " + identity.name() + " and require it for every sign-in"
                                + " (phishing-resistant for administrators)"), techniques));
            }
            if (identity.lastSignIn() != null && Duration.between(identity.lastSignIn(), now)
                    .compareTo(policy.staleAccountAfter()) > 0) {
                long days = Duration.between(identity.lastSignIn(), now).toDays();
                findings.add(weakness("stale-account", null, identity.name(), "Enabled account unused for " + days
                        + " days", identity.isAdmin() ? Decision.ATTEND : Decision.TRACK_STAR,
                        identity.isAdmin() ? 0.5 : 0.25, List.of("enabled, last sign-in " + identity.lastSignIn()
                                + " (" + days + " days ago, more than " + policy.staleAccountAfter().toDays() + ")"),
                        List.of(record, new Evidence("check", "stale-account", "last_sign_in "
                                + identity.lastSignIn())),
                        List.of("disable " + identity.name() + " if no one needs it; otherwise confirm its owner"),
                        List.of("T1078")));
            }
            if (Boolean.TRUE.equals(identity.passwordNeverExpires())) {
                findings.add(weakness("password-never-expires", null, identity.name(), "Password never expires",
                        identity.isAdmin() ? Decision.TRACK_STAR : Decision.TRACK, identity.isAdmin() ? 0.3 : 0.15,
                        List.of("the account's password is set never to expire" + (identity.isAdmin()
                                ? "; it is an administrator" : "")),
                        List.of(record, new Evidence("check", "password-never-expires",
                                "password_never_expires is true")),
                        List.of("clear 'password never expires' for " + identity.name() + ", or make it a managed"
                                + " service account with a rotated secret"), List.of("T1110", "T1078")));
            }
        }
        return findings;
    }

    private List<Finding> serviceFindings(Inventory inventory, Map<String, Asset> assets) {
        List<Finding> findings = new ArrayList<>();
        for (Service service : inventory.services()) {
            RiskyService risky = RISKY_SERVICES.get(service.port());
            Asset asset = assets.get(service.assetId());
            if (risky == null || asset == null || !asset.facesInternet() || service.isLoopbackOnly()) {
                continue;
            }
            String subject = service.protocol() + "/" + service.port();
            findings.add(weakness("exposed-service", asset, subject, risky.name() + " exposed to the internet",
                    risky.decision(), round(0.8 * criticalityFactor(asset)), List.of(risky.name() + " listens on "
                            + (service.address().isEmpty() ? "port " + service.port() : service.address() + ":"
                                    + service.port()) + " of " + asset.hostname() + ", which is internet-facing"),
                    List.of(new Evidence("inventory", service.source(), subject + " " + service.process()),
                            new Evidence("inventory", asset.source(), asset.hostname() + " internet_facing=true")),
                    List.of("stop exposing " + risky.name() + " on " + asset.hostname() + " to the internet: put it"
                            + " behind a VPN or gateway, or restrict it to known addresses"), risky.techniques()));
        }
        return findings;
    }

    private List<Finding> assetFindings(java.util.Collection<Asset> assets, Instant now) {
        List<Finding> findings = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Asset asset : assets) {
            EolRule eol = asset.os() == null ? null : eolOf(asset.os(), asset.osVersion());
            if (eol != null && !eol.end().isAfter(today)) {
                boolean urgent = asset.facesInternet()
                        || asset.criticalityOrDefault().compareTo(Criticality.HIGH) >= 0;
                findings.add(weakness("end-of-life-os", asset, asset.os() + (asset.osVersion() == null ? ""
                        : " " + asset.osVersion()), eol.label() + " is past its end of support",
                        urgent ? Decision.ATTEND : Decision.TRACK_STAR, round(0.6 * criticalityFactor(asset)),
                        List.of(eol.label() + " support ended " + eol.end() + "; security fixes no longer ship"
                                + (urgent ? "; the asset is internet-facing or critical" : "")),
                        List.of(new Evidence("inventory", asset.source(), "os " + asset.os()
                                        + (asset.osVersion() == null ? "" : " " + asset.osVersion())),
                                new Evidence("check", "end-of-life-os", "eol.tsv: " + eol.label() + " until "
                                        + eol.end())),
                        List.of("upgrade " + asset.hostname() + " to a supported release, or isolate it until then"),
                        List.of("T1210", "T1190")));
            }
            if (asset.lastSeen() != null && Duration.between(asset.lastSeen(), now).compareTo(policy.silentAfter()) > 0) {
                long days = Duration.between(asset.lastSeen(), now).toDays();
                findings.add(weakness("silent-asset", asset, asset.hostname(), "No telemetry for " + days + " days",
                        asset.criticalityOrDefault().compareTo(Criticality.HIGH) >= 0 ? Decision.ATTEND
                                : Decision.TRACK_STAR, round(0.4 * criticalityFactor(asset)),
                        List.of("its last event was at " + asset.lastSeen() + ", " + days + " days ago (more than "
                                + policy.silentAfter().toDays() + ")"),
                        List.of(new Evidence("inventory", asset.source(), "last event " + asset.lastSeen())),
                        List.of("check the agent or log forwarding on " + asset.hostname()
                                + "; if it was retired, remove it from the inventory"), List.of("T1562.006")));
            }
        }
        return findings;
    }

    private Finding weakness(String kind, Asset asset, String subject, String title, Decision decision, double risk,
            List<String> reasons, List<Evidence> evidence, List<String> steps, List<String> techniques) {
        List<Evidence> all = new ArrayList<>(evidence);
        if (attack != null) {
            for (String technique : techniques) {
                attack.technique(technique).ifPresent(t -> all.add(new Evidence("attack", t.id(), t.name())));
            }
        }
        return new Finding(id(kind, asset == null ? "" : asset.id(), subject), kind, asset == null ? null : asset.id(),
                subject, null, title, Confidence.HIGH, decision, risk, false, reasons, all,
                new Guidance(null, null, null, steps, controls(techniques)), techniques, "weakness|" + kind);
    }

    /** ATT&CK mitigations of the techniques, or the techniques themselves when ATT&CK is not imported. */
    private List<String> controls(List<String> techniques) {
        Set<String> controls = new LinkedHashSet<>();
        for (String technique : techniques) {
            if (attack == null) {
                controls.add("mitigations of ATT&CK " + technique);
                continue;
            }
            for (Mitigation mitigation : attack.mitigationsOf(technique)) {
                controls.add(mitigation.id() + " " + mitigation.name() + " (" + technique + ")");
            }
        }
        return List.copyOf(controls).subList(0, Math.min(controls.size(), 6));
    }

    /**
     * The rule for the OS, read from its name and version together: inventories split "Windows Server 2012 R2" as
     * {@code os=Windows Server, os_version=2012 R2} as often as they keep it in the name. A rule's name must end at a
     * word boundary ({@code windows 10} is not {@code windows 10.0.22631}, which may be Windows 11).
     */
    private static EolRule eolOf(String os, String version) {
        String name = os.toLowerCase(Locale.ROOT);
        String full = (os + " " + (version == null ? "" : version)).toLowerCase(Locale.ROOT);
        for (EolRule rule : EOL) {
            if (!name.contains(rule.name()) && !containsPhrase(full, rule.name())) {
                continue;
            }
            if (rule.versionPrefix().equals("*") || version != null && version.strip().startsWith(rule.versionPrefix())
                    || full.contains(rule.name() + " " + rule.versionPrefix())) {
                return rule;
            }
        }
        return null;
    }

    /** {@code phrase} occurs in {@code text} followed by neither a letter, a digit nor a dot. */
    private static boolean containsPhrase(String text, String phrase) {
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
            int end = at + phrase.length();
            if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '.') {
                return true;
            }
        }
        return false;
    }

    // --- scores and plan ----------------------------------------------------------------------------------------

    /** 100 x (1 - the product of (1 - risk) over the asset's findings): the chance something on it is exploited. */
    private static Map<String, Double> assetScores(List<Finding> findings, Set<String> assetIds) {
        Map<String, Double> survival = new HashMap<>();
        for (String id : assetIds) {
            survival.put(id, 1.0);
        }
        for (Finding finding : findings) {
            if (finding.assetId() != null) {
                survival.merge(finding.assetId(), 1 - Math.min(1, finding.risk()), (a, b) -> a * b);
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        survival.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> scores.put(e.getKey(), round(100 * (1 - e.getValue()))));
        return scores;
    }

    /** The assets' scores weighted by their criticality (low 1, medium 2, high 3, critical 4). */
    private static double organizationScore(Map<String, Double> scores, Map<String, Asset> assets) {
        double weighted = 0;
        double weights = 0;
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            Asset asset = assets.get(entry.getKey());
            double weight = asset == null ? 2 : asset.criticalityOrDefault().ordinal() + 1;
            weighted += weight * entry.getValue();
            weights += weight;
        }
        return weights == 0 ? 0 : round(weighted / weights);
    }

    /**
     * Changes grouped so that one change closes many findings: an upgrade of one software to the highest fixed
     * version its findings need, on every asset that has it; one fix per weakness kind. Ordered by risk removed.
     */
    private List<RemediationStep> plan(List<Finding> findings, Inventory inventory) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding finding : findings) {
            groups.computeIfAbsent(finding.remediation(), k -> new ArrayList<>()).add(finding);
        }
        List<RemediationStep> steps = new ArrayList<>();
        Set<RemediationStep> acting = new HashSet<>();
        for (Map.Entry<String, List<Finding>> group : groups.entrySet()) {
            List<Finding> members = group.getValue();
            Set<String> targets = new TreeSet<>();
            for (Finding finding : members) {
                targets.add(finding.assetId() != null ? finding.assetId() : finding.subject());
            }
            double removed = round(members.stream().mapToDouble(Finding::risk).sum());
            int exploited = (int) members.stream().filter(Finding::knownExploited).count();
            Finding first = members.get(0);
            // a match by product name alone is a lead, not a fact: the step says to check the version first
            boolean unverified = members.stream().allMatch(f -> f.confidence() == Confidence.LOW);
            String action;
            if (group.getKey().startsWith("upgrade|")) {
                String software = first.software().substring(0, first.software().lastIndexOf(' '));
                Ecosystem ecosystem = Ecosystem.of(group.getKey().substring(group.getKey().lastIndexOf('|') + 1));
                String target = null;
                for (Finding finding : members) {
                    String fixed = finding.guidance().fixedVersion();
                    if (target == null || ecosystem.compare(fixed, target) > 0) {
                        target = fixed;
                    }
                }
                action = "upgrade " + software + " to " + target + " or later";
            } else if (group.getKey().startsWith("vendor-fix|")) {
                // one step per product, whatever versions the hosts run
                Set<String> versions = new TreeSet<>();
                for (Finding finding : members) {
                    versions.add(finding.software());
                }
                String product = versions.size() == 1 ? first.software()
                        : group.getKey().substring(group.getKey().lastIndexOf('|') + 1) + " ("
                                + String.join(", ", versions) + ")";
                action = (unverified
                        ? "confirm the version is affected, then apply the vendor fix for "
                        : "apply the vendor fix for ") + first.subject() + " to " + product;
            } else {
                action = members.size() == 1 && !first.guidance().steps().isEmpty() ? first.guidance().steps().get(0)
                        : switch (first.kind()) {
                            case "admin-without-mfa" -> "register MFA for the administrators without it";
                            case "stale-account" -> "disable the stale enabled accounts (or confirm their owners)";
                            case "password-never-expires" -> "make the non-expiring passwords expire or rotate";
                            case "exposed-service" -> "stop exposing RDP, SMB, Telnet and databases to the internet";
                            case "end-of-life-os" -> "upgrade the end-of-life operating systems";
                            case "silent-asset" -> "restore telemetry from the silent assets";
                            default -> first.title();
                        };
            }
            String where = targets.size() + (first.assetId() != null ? (targets.size() == 1 ? " host" : " hosts")
                    : (targets.size() == 1 ? " account" : " accounts"));
            String sentence = action + " on " + where + " closes " + members.size()
                    + (members.size() == 1 ? " finding" : " findings")
                    + (exploited > 0 ? ", " + exploited + " of them known-exploited" : "")
                    + (unverified ? " (matched by product name only; the version was not checked)" : "");
            RemediationStep step = new RemediationStep(sentence, List.copyOf(targets),
                    members.stream().map(Finding::id).toList(), exploited, removed);
            steps.add(step);
            if (members.stream().anyMatch(f -> f.decision() == Decision.ACT)) {
                acting.add(step);
            }
        }
        // SSVC first: a step that closes an Act finding (remediate now) comes before any that closes only later ones,
        // however many hosts those touch; within each, the risk removed orders them
        steps.sort(Comparator.comparing((RemediationStep step) -> !acting.contains(step))
                .thenComparing(Comparator.comparingDouble(RemediationStep::riskRemoved).reversed())
                .thenComparing(RemediationStep::action));
        return steps;
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String id(String kind, String asset, String subject) {
        String text = kind + "|" + asset + "|" + subject;
        long hash = 1125899906842597L;
        for (int i = 0; i < text.length(); i++) {
            hash = 31 * hash + text.charAt(i);
        }
        return String.format(Locale.ROOT, "%012x", hash & 0xffffffffffffL);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static List<EolRule> loadEol() {
        List<EolRule> rules = new ArrayList<>();
        try (InputStream in = PostureAnalyzer.class.getResourceAsStream("eol.tsv")) {
            if (in == null) {
                throw new IllegalStateException("eol.tsv is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                rules.add(new EolRule(columns[0], columns[1], LocalDate.parse(columns[2]), columns[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(rules);
    }
}
