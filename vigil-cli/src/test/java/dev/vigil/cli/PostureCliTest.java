package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import dev.vigil.ingest.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Posture from the command line: CISA's real KEV catalog ({@code ../shared/data/cisa-kev}) with the hand-written
 * CVE JSON 5, OSV and EPSS fixtures of the core tests ({@code vigil-core/src/test/resources/posture/knowledge}, read
 * where they are), over an inventory this test writes as a Vigil CSV, a CycloneDX SBOM and an osquery result log;
 * the findings, decisions, guidance and plan {@code vigil posture} prints; its questions; and the errors on the way.
 */
@DisplayName("Posture on the command line")
class PostureCliTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path FIXTURES = Path.of("../vigil-core/src/test/resources/posture/knowledge");
    private static Path kev;

    @TempDir
    Path dir;

    Path data;

    @BeforeAll
    static void catalog() {
        kev = SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog")
                .resolve("known_exploited_vulnerabilities.json");
    }

    @BeforeEach
    void dataDirectory() {
        data = dir.resolve("data");
    }

    // --- inputs -----------------------------------------------------------------------------------------------

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Assets and software as Vigil CSV, identities signed in yesterday, an SBOM for app-01, osquery for legacy-web. */
    List<String> inventoryFiles() throws IOException {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        List<String> files = new ArrayList<>();
        files.add(write("assets.csv", """
                hostname,addresses,os,os_version,owner,criticality,internet_facing,tags
                ns-gw-01.corp.example,203.0.113.10,NetScaler,13.1-49.13,netops,critical,true,dmz;vpn
                app-01,10.0.2.15,Ubuntu,22.04,payments,high,false,
                app-02,10.0.2.16,Ubuntu,22.04,payments,high,false,
                legacy-web,198.51.100.7,,,web,medium,true,
                """).toString());
        files.add(write("software.csv", """
                hostname,name,vendor,version,purl,cpe
                ns-gw-01,NetScaler ADC,Citrix,13.1-49.13,,
                app-02,log4j-core,Apache,2.17.1,pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1,
                """).toString());
        files.add(write("identities.csv", """
                user,display_name,groups,admin_roles,mfa_methods,last_sign_in,enabled,password_never_expires
                alice@corp.example,Alice Admin,Domain Admins,Global Administrator,,%s,true,false
                carol@corp.example,Carol Admin,Domain Admins,,fido2;authenticator,%s,true,false
                """.formatted(yesterday, yesterday)).toString());
        files.add(write("app-01.cdx.json", """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                 "metadata": {"component": {"type": "device", "name": "app-01.corp.example"}},
                 "components": [
                   {"type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
                    "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
                   {"type": "library", "group": "com.fasterxml.jackson.core", "name": "jackson-databind",
                    "version": "2.15.2", "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2"},
                   {"type": "file", "name": "README.txt"}]}
                """).toString());
        files.add(write("legacy-web.osquery.log", String.join("\n",
                "{\"name\":\"pack_vigil_os_version\",\"hostIdentifier\":\"legacy-web.corp.example\",\"action\":"
                        + "\"snapshot\",\"snapshot\":[{\"name\":\"Ubuntu\",\"version\":\"18.04.6 LTS (Bionic Beaver)\","
                        + "\"major\":\"18\",\"minor\":\"4\",\"platform\":\"ubuntu\"}]}",
                "{\"name\":\"pack_vigil_listening_ports\",\"hostIdentifier\":\"legacy-web.corp.example\",\"action\":"
                        + "\"snapshot\",\"snapshot\":[{\"pid\":\"1044\",\"port\":\"3389\",\"protocol\":\"6\","
                        + "\"address\":\"0.0.0.0\",\"family\":\"2\"},{\"pid\":\"812\",\"port\":\"5432\",\"protocol\":"
                        + "\"6\",\"address\":\"127.0.0.1\",\"family\":\"2\"}]}",
                "{\"name\":\"pack_vigil_users\",\"hostIdentifier\":\"legacy-web.corp.example\",\"action\":\"added\","
                        + "\"columns\":{\"username\":\"www-data\",\"uid\":\"33\",\"description\":\"www-data\"}}",
                "")).toString());
        return files;
    }

    /** The real catalog and the fixtures imported, and the inventory. */
    void importAll() throws IOException {
        Run vulns = vigil(data, "vulns", "import", kev.toString(), FIXTURES.toString());
        assertThat(vulns.exit()).as("%s", vulns).isZero();
        List<String> args = new ArrayList<>(List.of("inventory", "import"));
        args.addAll(inventoryFiles());
        Run inventory = vigil(data, args.toArray(String[]::new));
        assertThat(inventory.exit()).as("%s", inventory).isZero();
    }

    static JsonNode finding(JsonNode report, String asset, String subject) {
        for (JsonNode finding : report.get("findings")) {
            if (subject.equals(finding.get("subject").asString()) && asset.equals(finding.path("asset_id").asString(""))) {
                return finding;
            }
        }
        throw new AssertionError("no finding " + subject + " on " + asset);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(field == null ? item.asString() : item.get(field).asString());
        }
        return out;
    }

    // --- importing --------------------------------------------------------------------------------------------

    @Test
    void vulnsImportRecognizesTheRealKevCatalogAndEachFixtureAndSkipsWhatIsNoKnowledge() {
        Run run = vigil(data, "vulns", "import", kev.toString(), FIXTURES.toString(), "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode summary = run.json();
        assertThat(summary.get("formats").get("kev-json").asInt()).isOne();
        assertThat(summary.get("formats").get("cve5").asInt()).isEqualTo(4);
        assertThat(summary.get("formats").get("osv").asInt()).isEqualTo(3);
        assertThat(summary.get("formats").get("epss").asInt()).isOne();
        assertThat(summary.get("skipped_files").asInt()).as("the fixtures' README.md").isOne();
        assertThat(summary.get("knowledge").get("kev").asInt()).isGreaterThan(1_400);
        assertThat(summary.get("knowledge").get("cve5").asInt()).isEqualTo(4);
        assertThat(summary.get("kev_catalog").asString()).matches("\\d{4}\\.\\d{2}\\.\\d{2}");
        assertThat(summary.get("problems")).isEmpty();
        assertThat(summary.get("rejected")).isEmpty();
    }

    @Test
    void inventoryImportReadsVigilCsvCycloneDxAndOsqueryAndListsWhatEachFileGave() throws IOException {
        List<String> args = new ArrayList<>(List.of("inventory", "import", "--json"));
        args.addAll(inventoryFiles());

        Run run = vigil(data, args.toArray(String[]::new));

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode files = run.json().get("files");
        assertThat(texts(files, "format")).containsExactly("vigil-csv", "vigil-csv", "vigil-csv", "cyclonedx",
                "osquery");
        assertThat(files.get(3).get("software").asInt()).as("the file component is no software").isEqualTo(2);
        assertThat(files.get(3).get("assets").asInt()).isOne();
        assertThat(files.get(4).get("services").asInt()).isEqualTo(2);
        assertThat(files.get(4).get("identities").asInt()).isOne();
        Run list = vigil(data, "inventory", "list", "--json");
        assertThat(list.exit()).as("%s", list).isZero();
        assertThat(list.json()).extracting(row -> row.get("source").asString().replace(dir.toString(), "")
                + " " + row.get("kind").asString() + " " + row.get("records").asInt())
                .contains("/assets.csv asset 4", "/software.csv software 2", "/identities.csv identity 2",
                        "/app-01.cdx.json software 2", "/legacy-web.osquery.log service 2");
    }

    // --- the report -------------------------------------------------------------------------------------------

    @Test
    void theJsonReportGivesDecisionsWithReasonsKevGuidanceFixedVersionsWeaknessesWithEvidenceAndThePlan()
            throws IOException {
        importAll();

        Run run = vigil(data, "posture", "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode report = run.json();
        JsonNode log4shell = finding(report, "app-01", "CVE-2021-44228");
        assertThat(log4shell.get("decision").asString()).isEqualTo("Act");
        assertThat(log4shell.get("confidence").asString()).isEqualTo("high");
        assertThat(log4shell.get("software").asString()).isEqualTo("log4j-core 2.14.1");
        assertThat(texts(log4shell.get("reasons"), null))
                .anyMatch(r -> r.startsWith("exploitation active: in CISA KEV since 2021-12-10, due 2021-12-24"))
                .contains("known use in ransomware campaigns");
        assertThat(log4shell.get("guidance").get("fixed_version").asString()).isEqualTo("2.15.0");
        assertThat(log4shell.get("guidance").get("due_date").asString()).isEqualTo("2021-12-24");
        assertThat(log4shell.get("guidance").get("required_action").asString())
                .startsWith("For all affected software assets for which updates exist");
        assertThat(texts(log4shell.get("evidence"), "id")).contains(dir.resolve("app-01.cdx.json") + ": /components/0",
                "CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q");
        assertThat(report.get("findings")).filteredOn(f -> f.get("subject").asString().equals("CVE-2021-44228"))
                .as("one finding from the CVE 5 record, the OSV entry and KEV; none on app-02's 2.17.1").hasSize(1);

        JsonNode citrix = finding(report, "ns-gw-01", "CVE-2023-4966");
        assertThat(citrix.get("decision").asString()).isEqualTo("Act");
        assertThat(citrix.get("guidance").get("fixed_version").asString()).isEqualTo("13.1-49.15");
        assertThat(citrix.get("guidance").get("required_action").asString())
                .contains("kill all active and persistent sessions");

        JsonNode mfa = finding(report, "", "alice@corp.example");
        assertThat(mfa.get("kind").asString()).isEqualTo("admin-without-mfa");
        assertThat(texts(mfa.get("evidence"), "id")).contains(dir.resolve("identities.csv") + ":2");
        JsonNode rdp = finding(report, "legacy-web", "tcp/3389");
        assertThat(rdp.get("kind").asString()).isEqualTo("exposed-service");
        assertThat(rdp.get("decision").asString()).isEqualTo("Act");
        assertThat(texts(rdp.get("evidence"), "id")).anyMatch(id -> id.startsWith(dir.resolve("legacy-web.osquery.log")
                + ":2"));
        assertThat(report.get("findings")).filteredOn(f -> f.get("kind").asString().equals("exposed-service"))
                .as("postgres on the loopback address is not exposed").hasSize(1);
        JsonNode eol = finding(report, "legacy-web", "Ubuntu 18.04.6 LTS (Bionic Beaver)");
        assertThat(eol.get("kind").asString()).isEqualTo("end-of-life-os");
        assertThat(eol.get("decision").asString()).isEqualTo("Attend");
        assertThat(texts(eol.get("reasons"), null)).anyMatch(r -> r.startsWith("Ubuntu 18.04 LTS support ended"));
        assertThat(texts(eol.get("evidence"), "detail")).contains("os Ubuntu 18.04.6 LTS (Bionic Beaver)");

        assertThat(texts(report.get("plan"), "action")).contains(
                "upgrade log4j-core to 2.16.0 or later on 1 host closes 2 findings, 2 of them known-exploited");
        assertThat(report.get("counts").get("Act").asInt()).isPositive();
        assertThat(report.get("counts").get("Attend").asInt()).isPositive();
        assertThat(report.get("organization_score").asDouble()).isBetween(0.0, 100.0);
        assertThat(report.get("history")).hasSize(1);
    }

    @Test
    void theTableShowsDecisionsFixesDueDatesRequiredActionsWeaknessesAndThePlanAndTheHistoryGrows()
            throws IOException {
        importAll();
        Run first = vigil(data, "posture");
        assertThat(first.exit()).as("%s", first).isZero();

        Run run = vigil(data, "posture", "--limit", "500");

        assertThat(run.exit()).as("%s", run).isZero();
        String out = run.out();
        assertThat(out).containsPattern("Exposure \\d+\\.\\d / 100 over 4 assets, \\d+ software, \\d+ identities,"
                + " 2 services \\(was \\d+\\.\\d on ");
        assertThat(out).containsPattern("\\d+ findings: [1-9]\\d* Act, [1-9]\\d* Attend, \\d+ Track\\*, \\d+ Track;");
        assertThat(out).containsPattern("Act +app-01 +CVE-2021-44228 +log4j-core 2\\.14\\.1 +high +2\\.15\\.0"
                + " +2021-12-24 +exploitation active: in CISA KEV since 2021-12-10, due 2021-12-24 \\(past due\\)");
        assertThat(out).containsPattern("Act +ns-gw-01 +CVE-2023-4966 +NetScaler ADC 13\\.1-49\\.13 +medium"
                + " +13\\.1-49\\.15 +2023-11-08 ");
        assertThat(out).containsPattern("Act +legacy-web +tcp/3389 +RDP exposed to the internet +high +"
                + "RDP listens on 0\\.0\\.0\\.0:3389 of legacy-web\\.corp\\.example, which is internet-facing");
        assertThat(out).containsPattern("Attend +legacy-web +Ubuntu 18\\.04\\.6 LTS \\(Bionic Beaver\\) +.* +high +"
                + "Ubuntu 18\\.04 LTS support ended 2023-05-31");
        assertThat(out).containsPattern("Attend +alice@corp\\.example +Administrator without MFA +high +an enabled"
                + " administrator \\(roles Global Administrator\\) has no MFA method");
        assertThat(out).contains("KEV required actions:", "  CVE-2021-44228 (due 2021-12-24; app-01): For all affected"
                + " software assets for which updates exist, the only acceptable remediation actions are: 1) Apply"
                + " updates");
        assertThat(out).contains("Remediation plan (by risk removed):", ". upgrade log4j-core to 2.16.0 or later on"
                + " 1 host closes 2 findings, 2 of them known-exploited (risk ");
        assertThat(out).doesNotContain("app-02");
    }

    // --- questions --------------------------------------------------------------------------------------------

    @Test
    void whichAssetsAreExposedToACve() throws IOException {
        importAll();

        Run run = vigil(data, "posture", "--cve", "cve-2021-44228");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).startsWith("which assets are exposed to CVE-2021-44228:\n"
                + "  1 asset(s) exposed: app-01 (log4j-core 2.14.1, Act)\n");
        assertThat(run.out()).contains("      fix: move to 2.15.0", "      KEV required action (due 2021-12-24): For"
                + " all affected software assets", "evidence kev CVE-2021-44228: in CISA KEV since 2021-12-10");
        JsonNode json = vigil(data, "posture", "--cve", "CVE-2021-44228", "--json").json().get("question");
        assertThat(texts(json.get("findings"), "asset_id")).containsExactly("app-01");

        Run heartbleed = vigil(data, "posture", "--cve", "CVE-2014-0160");
        assertThat(heartbleed.exit()).as("%s", heartbleed).isZero();
        assertThat(heartbleed.out()).contains("no asset in the inventory has an affected version");

        Run unknown = vigil(data, "posture", "--cve", "CVE-2099-0001");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("nothing is known about CVE-2099-0001", "fix: Import its record");
    }

    @Test
    void whatTheKevEntriesAddedSinceADateMeanForUs() throws IOException {
        importAll();

        Run run = vigil(data, "posture", "--kev-since", "2023-10-01");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).containsPattern("what the KEV entries added since 2023-10-01 mean for us:\n  \\d+ KEV"
                + " entries added since 2023-10-01 \\(catalog \\d{4}\\.\\d{2}\\.\\d{2}\\); [1-9]\\d* of them affects?"
                + " our assets\n");
        assertThat(run.out()).contains("  - CVE-2023-4966 Citrix NetScaler ADC and NetScaler Gateway (added 2023-10-18,"
                + " due 2023-11-08): ns-gw-01 (Act, medium confidence)\n      KEV required action: Apply mitigations and"
                + " kill all active and persistent sessions");
        assertThat(run.out()).as("no map printed raw").doesNotContain("{", "assets=");
        assertThat(run.out()).doesNotContain("CVE-2021-44228").as("added in 2021");

        JsonNode entries = vigil(data, "posture", "--kev-since", "2023-10-01", "--json").json().get("question")
                .get("entries");
        assertThat(entries).filteredOn(e -> e.get("cve").asString().equals("CVE-2023-4966")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("due").asString()).isEqualTo("2023-11-08");
                    assertThat(texts(e.get("assets"), null)).containsExactly("ns-gw-01 (Act, medium confidence)");
                });

        Run stale = vigil(data, "posture", "--kev-since", "month");
        assertThat(stale.exit()).as("%s", stale).isZero();
        assertThat(stale.out()).contains("the catalog is from 2025-08-25, before ",
                ": import the current one from cisa.gov to see newer entries");

        Run bad = vigil(data, "posture", "--kev-since", "last-week");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--kev-since 'last-week' is not a date", "fix: Give YYYY-MM-DD, or 'month'");
    }

    // --- errors -----------------------------------------------------------------------------------------------

    @Test
    void aMalformedInventoryCsvIsRefusedWithFileLineAndFixAndKeepsTheEarlierImportOfTheFile() throws IOException {
        Path software = write("software.csv", """
                hostname,name,vendor,version
                fw-edge-01,PAN-OS,Palo Alto Networks,10.2.8
                """);
        assertThat(vigil(data, "inventory", "import", software.toString()).exit()).isZero();
        write("software.csv", """
                hostname,name,vendor,version
                fw-edge-01,PAN-OS,Palo Alto Networks, Inc.,10.2.9
                fw-edge-01,"GlobalProtect,6.2
                fw-edge-02,PAN-OS,,10.2.9
                """);

        Run run = vigil(data, "inventory", "import", software.toString());

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).contains("rejected: " + software + ":2: 5 values but the header has 4 columns; put a"
                + " value that holds a comma in quotes (\"Palo Alto Networks, Inc.\")", "rejected: " + software
                + ":3: the quote opened on line 3 is never closed, so the rest of the file is inside one value");
        assertThat(run.err()).contains("error[inventory_invalid]: no file could be read as an inventory: " + software
                + ": all 2 records were rejected (the first: " + software + ":2: 5 values",
                "fix: Fix the records at the file and line named; `vigil inventory import --help` lists the formats");
        JsonNode list = vigil(data, "inventory", "list", "--json").json();
        assertThat(list).as("the earlier import of the file is kept").extracting(row -> row.get("kind").asString()
                + " " + row.get("records").asInt()).containsExactlyInAnyOrder("asset 1", "software 1");

        Run unreadable = vigil(data, "inventory", "import", write("hosts.csv", "host,os\nweb-1,Ubuntu\n").toString());
        assertThat(unreadable.exit()).isEqualTo(2);
        assertThat(unreadable.err()).contains("neither JSON nor a CSV with a 'hostname' or 'user' column; the header"
                + " is 'host,os'");
    }

    @Test
    void aFileOfNoKnownKindIsRefusedSayingWhatIsAccepted() throws IOException {
        Run json = vigil(data, "vulns", "import", write("advisory.json", "{\"advisory\": \"x\"}").toString());

        assertThat(json.exit()).isEqualTo(2);
        assertThat(json.err()).contains("no file held vulnerability knowledge: " + dir.resolve("advisory.json")
                + ": JSON that is none of a CVE JSON 5 record (cveMetadata), an OSV entry (id, modified, affected) or"
                + " CISA's KEV catalog (catalogVersion, vulnerabilities)", "fix: Pass CVE JSON 5 records, OSV entries,"
                + " CISA's KEV catalog (JSON or CSV) or EPSS scores (CSV)");

        Run csv = vigil(data, "vulns", "import", write("scores.csv", "id,score\nCVE-2021-44228,0.9\n").toString());
        assertThat(csv.exit()).isEqualTo(2);
        assertThat(csv.err()).contains("neither JSON nor a CSV with a known header (KEV: cveID,vendorProject,...;"
                + " EPSS: cve,epss,percentile); the first line is 'id,score'");
    }

    @Test
    void aKevCsvRowThatCannotBeTrustedIsRejectedNamingTheFileAndLine() throws IOException {
        Path csv = write("kev.csv", """
                cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes
                CVE-2021-44228,Apache,Log4j2,Apache Log4j2 RCE,2021-12-10,Log4Shell,Apply updates.,2021-12-24,Known,,CWE-20
                CVE-2023-4966,Citrix,NetScaler ADC, Gateway,Citrix Bleed,2023-10-18,Leak,Apply mitigations.,2023-11-08,Known,,CWE-119
                """);

        Run run = vigil(data, "vulns", "import", csv.toString(), "--json");

        assertThat(run.exit()).as("%s", run).isEqualTo(7);
        assertThat(texts(run.json().get("rejected"), null)).containsExactly(csv + ":3: 12 values but the header has 11"
                + " columns; put a value that holds a comma in quotes (\"Palo Alto Networks, Inc.\")");
        assertThat(run.json().get("knowledge").get("kev").asInt()).isOne();
    }

    @Test
    void aNewerKevCatalogAddsAndUpdatesAndDropsNothingAndAnOlderOneReplacesNothing() throws IOException {
        ObjectNode real = (ObjectNode) JSON.readTree(kev.toFile());
        ObjectNode older = real.deepCopy();
        older.put("catalogVersion", "2025.07.31");
        ArrayNode kept = JSON.createArrayNode();
        int total = real.get("vulnerabilities").size();
        for (JsonNode entry : real.get("vulnerabilities")) {
            if (entry.get("dateAdded").asString().compareTo("2025-08-01") < 0) {
                ObjectNode copy = (ObjectNode) entry.deepCopy();
                if (copy.get("cveID").asString().equals("CVE-2021-44228")) {
                    copy.put("requiredAction", "Apply updates per vendor instructions.");
                }
                kept.add(copy);
            }
        }
        older.set("vulnerabilities", kept);
        int newer = total - kept.size();
        assertThat(newer).as("the real catalog has entries added in August 2025").isPositive();
        Path olderFile = Files.writeString(dir.resolve("kev-2025-07-31.json"), JSON.writeValueAsString(older));

        Run first = vigil(data, "vulns", "import", olderFile.toString(), "--json");
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.json().get("added").asInt()).isEqualTo(kept.size());

        Run update = vigil(data, "vulns", "import", kev.toString(), "--json");

        assertThat(update.exit()).as("%s", update).isZero();
        JsonNode counts = update.json();
        assertThat(counts.get("added").asInt()).isEqualTo(newer);
        assertThat(counts.get("updated").asInt()).as("the entry whose required action changed").isOne();
        assertThat(counts.get("unchanged").asInt()).as("the same entries from another file")
                .isEqualTo(kept.size() - 1);
        assertThat(counts.get("removed").asInt()).isZero();
        assertThat(counts.get("knowledge").get("kev").asInt()).isEqualTo(total);
        assertThat(counts.get("kev_catalog").asString()).isEqualTo(real.get("catalogVersion").asString());

        Run again = vigil(data, "vulns", "import", olderFile.toString());
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).contains("0 added, 0 updated, " + String.format("%,d", kept.size() - 1)
                + " unchanged, 1 older ignored, 0 removed", "kev=" + total, "KEV catalog "
                + real.get("catalogVersion").asString());
    }
}
