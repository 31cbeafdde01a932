package dev.vigil.posture.vuln;

import static java.util.Objects.requireNonNull;

import dev.vigil.csv.Csv;
import dev.vigil.posture.version.Cpe;
import dev.vigil.posture.version.Ecosystem;
import dev.vigil.posture.version.VersionRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a file of vulnerability knowledge in whatever format it is, recognized by its content: a CVE JSON 5 record
 * ({@code cveMetadata}), an OSV entry or a JSON array of them ({@code id} with {@code affected} or
 * {@code modified}), CISA's KEV catalog as JSON ({@code catalogVersion}, {@code vulnerabilities}) or CSV
 * ({@code cveID,vendorProject,...}), and EPSS scores as CSV ({@code cve,epss,percentile}, optionally gzipped). Entries
 * that cannot be used are listed with where they are and why; the rest of the file is kept.
 */
public final class VulnFiles {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VulnFiles() {}

    public static VulnImport read(String source, byte[] content) {
        VulnImport result = parse(source, content);
        List<String> rejected = result.rejected().stream()
                .map(r -> r.startsWith(":") ? source + r : source + ": " + r).toList();
        return new VulnImport(source, result.format(), result.vulnerabilities(), result.kev(), result.epss(),
                result.catalogVersion(), rejected, result.withdrawn(), result.problem());
    }

    private static VulnImport parse(String source, byte[] content) {
        requireNonNull(source, "source is null");
        requireNonNull(content, "content is null");
        if (content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
                content = in.readAllBytes();
            } catch (IOException e) {
                return VulnImport.problem(source, null, "a gzip file that cannot be read: " + e.getMessage());
            }
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String start = text.stripLeading();
        if (start.isEmpty()) {
            return VulnImport.problem(source, null, "the file is empty");
        }
        if (start.startsWith("{") || start.startsWith("[")) {
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JacksonException e) {
                return VulnImport.problem(source, null, jsonProblem(e));
            }
            if (root.has("cveMetadata")) {
                return cve5(source, root);
            }
            if (root.has("vulnerabilities") && (root.has("catalogVersion") || root.has("title"))) {
                return kevJson(source, root);
            }
            if (root.isArray() || root.has("id") && (root.has("affected") || root.has("modified"))) {
                return osv(source, root);
            }
            return VulnImport.problem(source, null, "JSON that is none of a CVE JSON 5 record (cveMetadata), an OSV"
                    + " entry (id, modified, affected) or CISA's KEV catalog (catalogVersion, vulnerabilities)");
        }
        List<String> header = Csv.header(text);
        if (header.contains("cveid") && header.contains("vendorproject")) {
            return kevCsv(source, text);
        }
        if (header.contains("cve") && header.contains("epss")) {
            return epss(source, text);
        }
        return VulnImport.problem(source, null, "neither JSON nor a CSV with a known header (KEV: cveID,"
                + "vendorProject,...; EPSS: cve,epss,percentile); the first line is '" + abbreviate(header) + "'");
    }

    private static String abbreviate(List<String> header) {
        String joined = String.join(",", header);
        return joined.length() > 60 ? joined.substring(0, 59) + "…" : joined;
    }

    static String jsonProblem(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = String.valueOf(e.getOriginalMessage());
        int newline = message.indexOf('\n');
        return "not valid JSON" + where + ": " + (newline < 0 ? message : message.substring(0, newline));
    }

    // --- CVE JSON 5 -------------------------------------------------------------------------------------------

    private static VulnImport cve5(String source, JsonNode root) {
        JsonNode meta = root.path("cveMetadata");
        String id = text(meta.get("cveId"));
        if (!id.startsWith("CVE-")) {
            return VulnImport.problem(source, "cve5", "/cveMetadata/cveId is missing or not a CVE id: '" + id + "'");
        }
        if ("REJECTED".equalsIgnoreCase(text(meta.get("state")))) {
            return new VulnImport(source, "cve5", List.of(), List.of(), List.of(), null, List.of(), List.of(id), null);
        }
        List<JsonNode> containers = new ArrayList<>();
        containers.add(root.path("containers").path("cna"));
        for (JsonNode adp : root.path("containers").path("adp")) {
            containers.add(adp);
        }
        List<String> rejected = new ArrayList<>();
        List<Affected> affected = new ArrayList<>();
        Set<String> cwes = new LinkedHashSet<>();
        Set<String> references = new LinkedHashSet<>();
        Cvss best = null;
        String title = text(root.path("containers").path("cna").get("title"));
        for (int c = 0; c < containers.size(); c++) {
            JsonNode container = containers.get(c);
            String where = c == 0 ? "/containers/cna" : "/containers/adp/" + (c - 1);
            if (title.isEmpty()) {
                for (JsonNode description : container.path("descriptions")) {
                    if (text(description.get("lang")).startsWith("en")) {
                        title = firstSentence(text(description.get("value")));
                        break;
                    }
                }
            }
            JsonNode affectedList = container.path("affected");
            for (int a = 0; a < affectedList.size(); a++) {
                affected.addAll(cve5Affected(id, affectedList.get(a), where + "/affected/" + a, rejected));
            }
            for (JsonNode applicability : container.path("cpeApplicability")) {
                for (JsonNode node : applicability.path("nodes")) {
                    for (JsonNode match : node.path("cpeMatch")) {
                        Affected cpe = cpeMatch(id, match, "cve5-cpe", where, rejected);
                        if (cpe != null) {
                            affected.add(cpe);
                        }
                    }
                }
            }
            for (JsonNode metric : container.path("metrics")) {
                for (String key : List.of("cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0")) {
                    JsonNode cvss = metric.get(key);
                    if (cvss != null && cvss.has("baseScore")) {
                        Cvss found = new Cvss(text(cvss.get("version")), cvss.get("baseScore").asDouble(),
                                text(cvss.get("vectorString")));
                        if (best == null || found.version().compareTo(best.version()) > 0) {
                            best = found;
                        }
                    }
                }
            }
            for (JsonNode problemType : container.path("problemTypes")) {
                for (JsonNode description : problemType.path("descriptions")) {
                    String cwe = text(description.get("cweId"));
                    if (cwe.startsWith("CWE-")) {
                        cwes.add(cwe);
                    }
                }
            }
            for (JsonNode reference : container.path("references")) {
                String url = text(reference.get("url"));
                if (!url.isEmpty()) {
                    references.add(url);
                }
            }
        }
        String modified = text(meta.get("dateUpdated"));
        if (modified.isEmpty()) {
            modified = text(meta.get("datePublished"));
        }
        Vulnerability vulnerability = new Vulnerability(id, List.of(), title, modified, best, List.copyOf(cwes),
                List.copyOf(references), affected, "cve5", source);
        return new VulnImport(source, "cve5", List.of(vulnerability), List.of(), List.of(), null, rejected, List.of(),
                null);
    }

    private static List<Affected> cve5Affected(String id, JsonNode entry, String where, List<String> rejected) {
        String vendor = text(entry.get("vendor"));
        String product = text(entry.get("product"));
        String packageName = text(entry.get("packageName"));
        String packageType = packageTypeOfCollection(text(entry.get("collectionURL")));
        List<Affected> out = new ArrayList<>();
        List<VersionRange> ranges = new ArrayList<>();
        List<VersionRange> unaffected = new ArrayList<>();
        Ecosystem ecosystem = null;
        JsonNode versions = entry.path("versions");
        for (int v = 0; v < versions.size(); v++) {
            JsonNode version = versions.get(v);
            String value = text(version.get("version"));
            String status = text(version.get("status"));
            if (ecosystem == null && version.has("versionType")) {
                ecosystem = Ecosystem.of(text(version.get("versionType")));
            }
            if (value.isEmpty() || value.equalsIgnoreCase("n/a") || value.equalsIgnoreCase("unspecified")) {
                continue;
            }
            VersionRange range;
            if (version.has("lessThan")) {
                range = new VersionRange(value, true, text(version.get("lessThan")), false);
            } else if (version.has("lessThanOrEqual")) {
                range = new VersionRange(value, true, text(version.get("lessThanOrEqual")), true);
            } else {
                range = VersionRange.exactly(value);
            }
            switch (status) {
                case "affected" -> ranges.add(range);
                case "unaffected" -> unaffected.add(range);
                case "unknown" -> { }
                default -> rejected.add(where + "/versions/" + v + ": status '" + status
                        + "' is not affected, unaffected or unknown");
            }
        }
        if (packageType == null && ecosystem != null && ecosystem != Ecosystem.GENERIC && !packageName.isEmpty()) {
            packageType = switch (ecosystem) {
                case MAVEN -> "maven";
                case NPM -> "npm";
                case PYPI -> "pypi";
                case DEBIAN -> "deb";
                case RPM -> "rpm";
                default -> null;
            };
        }
        PackageId packageId = packageType != null && !packageName.isEmpty() ? new PackageId(packageType, packageName)
                : null;
        if (ecosystem == null || ecosystem == Ecosystem.GENERIC && packageId != null) {
            ecosystem = packageId != null ? packageId.ecosystem() : Ecosystem.GENERIC;
        }
        boolean allVersions = ranges.isEmpty() && "affected".equals(text(entry.get("defaultStatus")));
        if (vendor.isEmpty() && product.isEmpty() && packageId == null) {
            rejected.add(where + ": names no vendor, product or package");
            return out;
        }
        out.add(new Affected(packageId, Names.vendor(vendor), Names.product(product, vendor), null, null, ecosystem,
                ranges, unaffected, allVersions, "cve5 " + id));
        for (JsonNode cpe : entry.path("cpes")) {
            try {
                Cpe parsed = Cpe.parse(text(cpe));
                // a CPE beside versions: the same ranges, matched by the CPE's vendor and product
                out.add(new Affected(null, Names.vendor(parsed.vendor()), Names.product(parsed.product(), null),
                        parsed.toString(), null, ecosystem, ranges, unaffected, allVersions, "cve5-cpe " + id));
            } catch (IllegalArgumentException e) {
                rejected.add(where + "/cpes: " + e.getMessage());
            }
        }
        return out;
    }

    /** The package-URL type of a CVE 5 {@code collectionURL}, or null. */
    private static String packageTypeOfCollection(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.contains("maven")) {
            return "maven";
        } else if (lower.contains("npmjs")) {
            return "npm";
        } else if (lower.contains("pypi") || lower.contains("python.org")) {
            return "pypi";
        } else if (lower.contains("crates.io")) {
            return "cargo";
        } else if (lower.contains("nuget")) {
            return "nuget";
        } else if (lower.contains("rubygems")) {
            return "gem";
        } else if (lower.contains("pkg.go.dev") || lower.contains("proxy.golang")) {
            return "golang";
        }
        return null;
    }

    private static Affected cpeMatch(String id, JsonNode match, String format, String where, List<String> rejected) {
        if (match.has("vulnerable") && !match.get("vulnerable").asBoolean()) {
            return null;
        }
        String criteria = text(match.get("criteria"));
        Cpe cpe;
        try {
            cpe = Cpe.parse(criteria);
        } catch (IllegalArgumentException e) {
            rejected.add(where + "/cpeApplicability: " + e.getMessage());
            return null;
        }
        List<VersionRange> ranges = new ArrayList<>();
        String startIncluding = text(match.get("versionStartIncluding"));
        String startExcluding = text(match.get("versionStartExcluding"));
        String endIncluding = text(match.get("versionEndIncluding"));
        String endExcluding = text(match.get("versionEndExcluding"));
        boolean bounded = !(startIncluding + startExcluding + endIncluding + endExcluding).isEmpty();
        boolean all = false;
        if (bounded) {
            ranges.add(new VersionRange(startIncluding.isEmpty() ? startExcluding : startIncluding,
                    !startIncluding.isEmpty(), endIncluding.isEmpty() ? endExcluding : endIncluding,
                    !endIncluding.isEmpty()));
        } else if (!cpe.version().equals(Cpe.ANY) && !cpe.version().equals(Cpe.NA)) {
            ranges.add(VersionRange.exactly(cpe.version()));
        } else {
            all = true;
        }
        return new Affected(null, Names.vendor(cpe.vendor()), Names.product(cpe.product(), null), cpe.toString(),
                null, Ecosystem.GENERIC, ranges, List.of(), all, format + " " + id);
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        String sentence = end > 0 ? text.substring(0, end + 1) : text;
        return sentence.length() > 200 ? sentence.substring(0, 199) + "…" : sentence;
    }

    // --- OSV ----------------------------------------------------------------------------------------------------

    private static VulnImport osv(String source, JsonNode root) {
        List<Vulnerability> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> withdrawn = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                osvEntry(source, root.get(i), "/" + i, records, rejected, withdrawn);
            }
        } else {
            osvEntry(source, root, "", records, rejected, withdrawn);
        }
        return new VulnImport(source, "osv", records, List.of(), List.of(), null, rejected, withdrawn, null);
    }

    private static void osvEntry(String source, JsonNode entry, String where, List<Vulnerability> records,
            List<String> rejected, List<String> withdrawn) {
        String id = text(entry.get("id"));
        if (id.isEmpty()) {
            rejected.add(where + ": an OSV entry without 'id'");
            return;
        }
        if (!text(entry.get("withdrawn")).isEmpty()) {
            withdrawn.add(id);
            return;
        }
        List<String> aliases = new ArrayList<>();
        for (JsonNode alias : entry.path("aliases")) {
            aliases.add(text(alias));
        }
        Cvss best = null;
        for (JsonNode severity : entry.path("severity")) {
            String type = text(severity.get("type"));
            String vector = text(severity.get("score"));
            if (type.startsWith("CVSS_V3")) {
                double score = Cvss.v3Score(vector);
                if (!Double.isNaN(score)) {
                    best = new Cvss(vector.startsWith("CVSS:3.0") ? "3.0" : "3.1", score, vector);
                }
            }
        }
        List<Affected> affected = new ArrayList<>();
        JsonNode affectedList = entry.path("affected");
        for (int a = 0; a < affectedList.size(); a++) {
            JsonNode item = affectedList.get(a);
            String here = where + "/affected/" + a;
            String ecosystemName = text(item.path("package").get("ecosystem"));
            String name = text(item.path("package").get("name"));
            if (ecosystemName.isEmpty() || name.isEmpty()) {
                rejected.add(id + " " + here + ": package needs an ecosystem and a name");
                continue;
            }
            PackageId packageId = new PackageId(PackageId.typeOfOsvEcosystem(ecosystemName), name);
            Ecosystem ecosystem = Ecosystem.of(ecosystemName);
            int colon = ecosystemName.indexOf(':');
            String distribution = colon > 0 ? ecosystemName.toLowerCase(Locale.ROOT).replace(' ', '-') : null;
            List<VersionRange> ranges = new ArrayList<>();
            JsonNode rangeList = item.path("ranges");
            for (int r = 0; r < rangeList.size(); r++) {
                JsonNode range = rangeList.get(r);
                String type = text(range.get("type"));
                if (type.equals("GIT")) {
                    continue; // commits, not versions: nothing an inventory can be compared with
                }
                if (type.equals("SEMVER")) {
                    ecosystem = Ecosystem.SEMVER;
                }
                String introduced = null;
                for (JsonNode event : range.path("events")) {
                    if (event.has("introduced")) {
                        if (introduced != null) {
                            ranges.add(new VersionRange(introduced, true, null, false));
                        }
                        introduced = text(event.get("introduced"));
                    } else if (event.has("fixed") || event.has("last_affected") || event.has("limit")) {
                        boolean last = event.has("last_affected");
                        String end = text(event.get(event.has("fixed") ? "fixed" : last ? "last_affected" : "limit"));
                        ranges.add(new VersionRange(introduced == null ? "0" : introduced, true, end, last));
                        introduced = null;
                    }
                }
                if (introduced != null) {
                    ranges.add(new VersionRange(introduced, true, null, false));
                }
            }
            for (JsonNode version : item.path("versions")) {
                if (ranges.stream().noneMatch(range -> range.isExact() && range.start().equals(text(version)))) {
                    ranges.add(VersionRange.exactly(text(version)));
                }
            }
            affected.add(new Affected(packageId, "", Names.product(name.contains(":")
                    ? name.substring(name.lastIndexOf(':') + 1) : name, null), null, distribution, ecosystem, ranges,
                    List.of(), false, "osv " + id));
        }
        List<String> cwes = new ArrayList<>();
        for (JsonNode cwe : entry.path("database_specific").path("cwe_ids")) {
            cwes.add(text(cwe));
        }
        List<String> references = new ArrayList<>();
        for (JsonNode reference : entry.path("references")) {
            references.add(text(reference.get("url")));
        }
        String title = text(entry.get("summary"));
        if (title.isEmpty()) {
            title = firstSentence(text(entry.get("details")));
        }
        records.add(new Vulnerability(id, aliases, title, text(entry.get("modified")), best, cwes, references,
                affected, "osv", source));
    }

    // --- KEV ----------------------------------------------------------------------------------------------------

    private static VulnImport kevJson(String source, JsonNode root) {
        List<KevEntry> entries = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        JsonNode list = root.path("vulnerabilities");
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            List<String> cwes = new ArrayList<>();
            for (JsonNode cwe : item.path("cwes")) {
                cwes.add(text(cwe));
            }
            KevEntry entry = kevEntry(source, "/vulnerabilities/" + i, text(item.get("cveID")),
                    text(item.get("vendorProject")), text(item.get("product")), text(item.get("vulnerabilityName")),
                    text(item.get("dateAdded")), text(item.get("shortDescription")),
                    text(item.get("requiredAction")), text(item.get("dueDate")),
                    text(item.get("knownRansomwareCampaignUse")), text(item.get("notes")), cwes, rejected);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new VulnImport(source, "kev-json", List.of(), entries, List.of(), text(root.get("catalogVersion")),
                rejected, List.of(), null);
    }

    private static VulnImport kevCsv(String source, String text) {
        List<KevEntry> entries = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (Csv.Row row : Csv.read(text)) {
            if (row.problem() != null) {
                rejected.add(":" + row.line() + ": " + row.problem());
                continue;
            }
            List<String> cwes = new ArrayList<>();
            for (String cwe : row.get("cwes").split(",")) {
                if (!cwe.isBlank()) {
                    cwes.add(cwe.strip());
                }
            }
            KevEntry entry = kevEntry(source, ":" + row.line(), row.get("cveid"), row.get("vendorproject"),
                    row.get("product"), row.get("vulnerabilityname"), row.get("dateadded"),
                    row.get("shortdescription"), row.get("requiredaction"), row.get("duedate"),
                    row.get("knownransomwarecampaignuse"), row.get("notes"), cwes, rejected);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new VulnImport(source, "kev-csv", List.of(), entries, List.of(), null, rejected, List.of(), null);
    }

    private static KevEntry kevEntry(String source, String where, String cve, String vendor, String product,
            String name, String added, String description, String action, String due, String ransomware,
            String notes, List<String> cwes, List<String> rejected) {
        if (!cve.startsWith("CVE-")) {
            rejected.add(where + ": cveID '" + cve + "' is not a CVE id");
            return null;
        }
        LocalDate dateAdded;
        LocalDate dueDate;
        try {
            dateAdded = added.isEmpty() ? null : LocalDate.parse(added);
            dueDate = due.isEmpty() ? null : LocalDate.parse(due);
        } catch (DateTimeParseException e) {
            rejected.add(where + " (" + cve + "): a date is not YYYY-MM-DD: " + e.getParsedString());
            return null;
        }
        return new KevEntry(cve, vendor, product, name, dateAdded, description, action, dueDate,
                ransomware.equalsIgnoreCase("Known"), notes, cwes, source);
    }

    // --- EPSS ---------------------------------------------------------------------------------------------------

    private static VulnImport epss(String source, String text) {
        String date = "";
        for (String comment : Csv.comments(text)) {
            for (String part : comment.split(",")) {
                if (part.startsWith("score_date:")) {
                    date = part.substring("score_date:".length()).strip();
                }
            }
        }
        List<EpssScore> scores = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (Csv.Row row : Csv.read(text)) {
            if (row.problem() != null) {
                rejected.add(":" + row.line() + ": " + row.problem());
                continue;
            }
            String cve = row.get("cve");
            try {
                double score = Double.parseDouble(row.get("epss"));
                double percentile = row.get("percentile").isEmpty() ? Double.NaN
                        : Double.parseDouble(row.get("percentile"));
                if (!cve.startsWith("CVE-") || score < 0 || score > 1) {
                    rejected.add(":" + row.line() + ": '" + cve + "' with epss " + score
                            + ": needs a CVE id and a probability from 0 to 1");
                    continue;
                }
                scores.add(new EpssScore(cve, score, percentile, date, source));
            } catch (NumberFormatException e) {
                rejected.add(":" + row.line() + ": epss '" + row.get("epss") + "' or percentile '"
                        + row.get("percentile") + "' is not a number");
            }
        }
        return new VulnImport(source, "epss", List.of(), List.of(), scores, null, rejected, List.of(), null);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainer() ? "" : node.asString().strip();
    }
}
