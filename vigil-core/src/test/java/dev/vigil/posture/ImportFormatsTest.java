package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.inventory.InventoryFiles;
import dev.vigil.posture.inventory.InventoryImport;
import dev.vigil.posture.inventory.Software;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Inventory and vulnerability files: recognition, precise rejections, incremental merge")
class ImportFormatsTest {

    private static InventoryImport inventory(String name, String content, String host) {
        return InventoryFiles.read(name, content.getBytes(StandardCharsets.UTF_8), host);
    }

    @Test
    @DisplayName("CycloneDX components, nested ones too, on the asset named by --host, with their purls")
    void cycloneDx() {
        InventoryImport result = inventory("app.cdx.json", """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"type": "application",
                  "name": "payments"}},
                 "components": [
                   {"type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
                    "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                    "components": [{"type": "library", "name": "lodash", "version": "4.17.20",
                                    "purl": "pkg:npm/lodash@4.17.20"}]},
                   {"type": "file", "name": "README"}]}
                """, "APP-01.corp.example");
        assertThat(result.format()).isEqualTo("cyclonedx");
        assertThat(result.rejected()).isEmpty();
        assertThat(result.inventory().assets()).extracting(a -> a.id()).containsExactly("app-01");
        assertThat(result.inventory().software()).extracting(Software::name, Software::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("log4j-core", "2.14.1"),
                        org.assertj.core.groups.Tuple.tuple("lodash", "4.17.20"));
        assertThat(result.inventory().software().get(1).source()).isEqualTo("app.cdx.json: /components/0/components/0");
    }

    @Test
    @DisplayName("osquery result log: os_version, deb_packages (as purls), listening_ports, users")
    void osquery() {
        InventoryImport result = inventory("osqueryd.results.log", """
                {"name":"pack_inventory_os_version","hostIdentifier":"db-01","action":"snapshot","snapshot":[{"name":"Debian GNU/Linux","version":"11 (bullseye)","major":"11","minor":"0","platform":"debian"}]}
                {"name":"pack_inventory_deb_packages","hostIdentifier":"db-01","action":"added","columns":{"name":"openssl","version":"1.1.1n-0+deb11u3","arch":"amd64"}}
                {"name":"pack_inventory_listening_ports","hostIdentifier":"db-01","action":"added","columns":{"pid":"812","port":"5432","protocol":"6","address":"0.0.0.0"}}
                {"name":"pack_inventory_users","hostIdentifier":"db-01","action":"added","columns":{"uid":"0","gid":"0","username":"root"}}
                """, null);
        assertThat(result.format()).isEqualTo("osquery");
        assertThat(result.rejected()).isEmpty();
        assertThat(result.inventory().assets().get(0).os()).isEqualTo("Debian GNU/Linux");
        assertThat(result.inventory().software().get(0).purl())
                .isEqualTo("pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64");
        assertThat(result.inventory().services().get(0).protocol()).isEqualTo("tcp");
        assertThat(result.inventory().identities().get(0).groups()).containsExactly("root");
        assertThat(result.inventory().identities().get(0).mfaMethods()).isNull();
    }

    @Test
    @DisplayName("bad records are rejected with file:line and the reason; the rest is kept")
    void rejections() {
        InventoryImport result = inventory("assets.csv", """
                hostname,os,criticality,internet_facing
                web01,Ubuntu,high,true
                web02,Ubuntu,urgent,true
                web03,Ubuntu,low,perhaps
                """, null);
        assertThat(result.inventory().assets()).hasSize(1);
        assertThat(result.rejected()).containsExactly(
                "assets.csv:3: criticality 'urgent' is not low, medium, high or critical (or 1 to 4)",
                "assets.csv:4: internet_facing 'perhaps' is not true or false");
        assertThat(inventory("x.json", "{\"assets\": [", null).problem()).startsWith("not valid JSON at line 1");
        assertThat(VulnFiles.read("kev.csv", "cveID,vendorProject,product,dateAdded,dueDate\nCVE-2024-1,V,P,2024-13-01,\n"
                .getBytes(StandardCharsets.UTF_8)).rejected()).containsExactly(
                "kev.csv:2 (CVE-2024-1): a date is not YYYY-MM-DD: 2024-13-01");
    }

    @Test
    @DisplayName("incremental updates: a newer record replaces, an older one is ignored, a rejected one is removed")
    void incremental() {
        String record = """
                {"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2099-0001","state":"PUBLISHED","dateUpdated":"%s"},
                 "containers":{"cna":{"title":"%s","affected":[{"vendor":"Acme","product":"Widget",
                   "versions":[{"version":"1.0","lessThan":"%s","status":"affected","versionType":"semver"}]}]}}}
                """;
        VulnKnowledge knowledge = new VulnKnowledge();
        assertThat(knowledge.merge(read(record.formatted("2025-01-01T00:00:00Z", "first", "1.2.0"))).added()).isOne();
        assertThat(knowledge.merge(read(record.formatted("2025-01-01T00:00:00Z", "first", "1.2.0"))).unchanged())
                .isOne();
        assertThat(knowledge.merge(VulnFiles.read("mirror/cves/CVE-2099-0001.json", record.formatted(
                "2025-01-01T00:00:00Z", "first", "1.2.0").getBytes(StandardCharsets.UTF_8))).unchanged())
                .as("the same record from another copy of the file").isOne();
        assertThat(knowledge.merge(read(record.formatted("2025-03-01T00:00:00Z", "second", "1.3.0"))).updated())
                .isOne();
        assertThat(knowledge.merge(read(record.formatted("2025-02-01T00:00:00Z", "stale", "1.1.0"))).older()).isOne();
        assertThat(knowledge.recordsOf("CVE-2099-0001").get(0).title()).isEqualTo("second");
        VulnImport rejected = read("""
                {"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2099-0001","state":"REJECTED"}}""");
        assertThat(knowledge.merge(rejected).removed()).isOne();
        assertThat(knowledge.recordsOf("CVE-2099-0001")).isEmpty();
    }

    private static VulnImport read(String json) {
        return VulnFiles.read("record.json", json.getBytes(StandardCharsets.UTF_8));
    }
}
