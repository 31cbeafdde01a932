package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import dev.vigil.demo.DemoOrganization;
import dev.vigil.ingest.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil demo --no-serve}, seeded once for the class at a small scale: the Defender incidents arrive through the
 * Graph Security connector's mapping and correlate with Vigil's own alerts, the inventory and KEV feed posture, and
 * seeding again stores nothing twice.
 */
@DisplayName("vigil demo")
class DemoCommandTest {
    @TempDir
    static Path dir;

    static Path data;
    static JsonNode seeded;

    @BeforeAll
    static void seed() {
        data = dir.resolve("data");
        Run demo = vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE, "--as-of", DemoCopilot.AS_OF,
                "--json");
        assertThat(demo.exit()).as("%s", demo).isZero();
        seeded = demo.json();
    }

    @Test
    @DisplayName("stores the telemetry of every source, the inventory and the Graph pages")
    void seedsEverySource() {
        assertThat(seeded.get("quarantined").asLong()).isZero();
        List<String> tables = new ArrayList<>();
        seeded.get("tables").propertyNames().forEach(tables::add);
        assertThat(tables).contains("SecurityEvent", "SysmonEvent", "SigninLogs", "CommonSecurityLog", "Syslog",
                "ZeekDns", "ZeekHttp");
        assertThat(seeded.get("inventory").get("assets").asInt()).isEqualTo(100);
        assertThat(seeded.get("inventory").get("identities").asInt()).isGreaterThan(300);
        assertThat(seeded.get("graph_security").get("alerts_new").asLong()).isEqualTo(3);
    }

    @Test
    @DisplayName("Defender's incidents arrive through the connector's mapping, and Vigil's own alerts join them")
    void defenderIncidentsCorrelateWithVigilsAlerts() {
        Run alerts = vigil(data, "alerts", "--tenant", "demo", "--json", "--limit", "500");
        List<String> graphTitles = new ArrayList<>();
        alerts.json().forEach(a -> {
            if (a.get("source").asString().equals("graph-security")) {
                graphTitles.add(a.get("title").asString());
            }
        });
        assertThat(graphTitles).containsExactlyInAnyOrder("Unfamiliar sign-in properties",
                "Possible exploitation of CVE-2023-22527 in Atlassian Confluence", "Possible web shell installation");

        JsonNode exploit = null;
        for (JsonNode incident : vigil(data, "incidents", "--tenant", "demo", "--json").json().get("incidents")) {
            if (incident.get("reference").asString().equals("defender:" + DemoOrganization.GRAPH_EXPLOIT_INCIDENT)) {
                exploit = incident;
            }
        }
        assertThat(exploit).as("the incident of Defender's incident %s", DemoOrganization.GRAPH_EXPLOIT_INCIDENT)
                .isNotNull();
        // Defender's two alerts, and Vigil's web-shell detections on the same host
        assertThat(exploit.get("alerts").asInt()).isGreaterThan(2);
        Run shown = vigil(data, "incidents", "show", exploit.get("number").asString(), "--tenant", "demo", "--json");
        assertThat(shown.out()).contains("Web Application Starts a Shell on Linux", "Possible web shell installation", "wiki01");
    }

    @Test
    @DisplayName("the storyline's incidents keep their numbers: the spray, the phishing intrusion, the SSH brute force")
    void storylineIncidentsKeepTheirNumbers() {
        JsonNode incidents = vigil(data, "incidents", "--tenant", "demo", "--json").json().get("incidents");
        // the service installed on the file server joins the phishing intrusion's incident 2 as it arrives: the
        // source of its network logon, looked up in the stored events, is WS007's address
        List<String> titles = new ArrayList<>();
        for (long number : new long[] {1, 2, 3}) {
            for (JsonNode incident : incidents) {
                if (incident.get("number").asLong() == number) {
                    titles.add(incident.get("title").asString());
                }
            }
        }
        assertThat(titles).hasSize(3);
        assertThat(titles.get(0)).startsWith("Password Spray");
        assertThat(titles.get(1)).contains("LSASS");
        assertThat(titles.get(2)).startsWith("SSH Brute Force");
    }

    @Test
    @DisplayName("the phishing incident shows the move to the file server, which SigmaHQ's psexec rules detect")
    void phishingIncidentShowsTheLateralMovement() {
        SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        assertThat(seeded.get("sigmahq_rules").asString()).startsWith("2 SigmaHQ rules");
        Run shown = vigil(data, "incidents", "show", "2", "--tenant", "demo");
        assertThat(shown.exit()).as("%s", shown).isZero();
        // one incident from the document to the file server: the service Impacket installs there and its pipes
        assertThat(shown.out()).contains("Process Opens LSASS Memory for Reading",
                "Metasploit Or Impacket Service Installation Via SMB PsExec", "Impacket PsExec Execution",
                "FS01.kestrel.local", "svc_backup", "Lateral Movement (T1021.002");
    }

    @Test
    @DisplayName("the password spray and the sign-in it won are one incident that names the broken account")
    void sprayAndItsSuccessAreOneIncident() {
        Run shown = vigil(data, "incidents", "show", "1", "--tenant", "demo");
        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.out()).contains("Password Spray Against Entra ID From One Address",
                "Password Spray Against Entra ID Followed by a Successful Sign-in From the Same Address",
                DemoOrganization.SPRAY_SOURCE_IP, "It affects 1 account (" + DemoOrganization.SPRAYED_USER + ")");
    }

    @Test
    @DisplayName("posture shows the exploited wiki's Confluence as known exploited (CISA KEV)")
    void postureFindsTheKevMatchOnTheWiki() {
        SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog");
        Run posture = vigil(data, "posture", "--tenant", "demo", "--json");
        assertThat(posture.exit()).as("%s", posture).isZero();
        boolean found = false;
        for (JsonNode finding : posture.json().get("findings")) {
            if (finding.get("asset_id").asString().equals(DemoOrganization.EXPLOITED_HOST)
                    && finding.get("subject").asString().equals(DemoOrganization.EXPLOITED_CVE)) {
                assertThat(finding.get("known_exploited").asBoolean()).isTrue();
                found = true;
            }
        }
        assertThat(found).as("a finding for %s on %s", DemoOrganization.EXPLOITED_CVE, DemoOrganization.EXPLOITED_HOST)
                .isTrue();
        List<String> kinds = new ArrayList<>();
        posture.json().get("findings").forEach(f -> kinds.add(f.get("kind").asString()));
        assertThat(kinds).contains("admin-without-mfa", "stale-account");
    }

    @Test
    @DisplayName("seeding again stores nothing twice")
    void idempotent() {
        Run again = vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE, "--as-of", DemoCopilot.AS_OF,
                "--json");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.json().get("stored_new").asLong()).isZero();
        assertThat(again.json().get("graph_security").get("stored").asLong()).isZero();
        assertThat(again.json().get("graph_security").get("alerts_new").asLong()).isZero();
    }
}
