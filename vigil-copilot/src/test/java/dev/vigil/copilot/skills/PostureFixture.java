package dev.vigil.copilot.skills;

import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Criticality;
import dev.vigil.posture.inventory.Identity;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.inventory.Service;
import dev.vigil.posture.inventory.Software;
import java.time.Duration;
import java.util.List;

/**
 * The inventory of a small organization: an internet-facing Citrix gateway (critical, RDP open), an internal web
 * server, an administrator without MFA, one with MFA, and a stale account.
 */
final class PostureFixture {
    private PostureFixture() {}

    static final String GATEWAY = "gw01";
    static final String WEB = "web01";

    static Inventory organization() {
        Asset gateway = new Asset(GATEWAY, "GW01.corp.example", List.of("198.51.100.10"), "NetScaler", null, "netops",
                Criticality.CRITICAL, true, List.of("dmz"), Origin.IMPORTED, "assets.csv:2", null);
        Asset web = new Asset(WEB, "web01.corp.example", List.of("10.0.2.15"), null, null, "webteam",
                Criticality.MEDIUM, false, List.of(), Origin.IMPORTED, "assets.csv:3", null);
        Software citrix = new Software(GATEWAY, "NetScaler ADC", "Citrix", "13.1-48.47", null, null, Origin.IMPORTED,
                "software.csv:2");
        Software nginx = new Software(WEB, "nginx", "F5", "1.25.3", null, null, Origin.IMPORTED, "software.csv:3");
        Service rdp = new Service(GATEWAY, "0.0.0.0", 3389, "tcp", "svchost.exe", Origin.IMPORTED, "services.csv:2");
        Identity alice = new Identity("alice", "Alice Admin", List.of(), List.of("Global Administrator"), List.of(),
                SkillTenant.NOW.minus(Duration.ofDays(1)), true, false, Origin.IMPORTED, "identities.csv:2");
        Identity carol = new Identity("carol", "Carol Admin", List.of("Domain Admins"), List.of(), List.of("fido2"),
                SkillTenant.NOW.minus(Duration.ofDays(2)), true, false, Origin.IMPORTED, "identities.csv:3");
        Identity bob = new Identity("bob", "Bob", List.of("Staff"), List.of(), List.of("sms"),
                SkillTenant.NOW.minus(Duration.ofDays(200)), true, false, Origin.IMPORTED, "identities.csv:4");
        return new Inventory(List.of(gateway, web), List.of(citrix, nginx), List.of(alice, carol, bob),
                List.of(rdp));
    }
}
