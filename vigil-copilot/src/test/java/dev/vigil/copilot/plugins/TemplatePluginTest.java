package dev.vigil.copilot.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifications of KQL and SQL plugin skills over a real tenant, installed per tenant. */
class TemplatePluginTest {
    static final String LATERAL_MOVEMENT = """
            Descriptor:
              Name: LateralMovementHunts
              DisplayName: Lateral movement hunts
              Description: Hunts for remote logons over RDP and SMB from a device
            SkillGroups:
              - Format: KQL
                Skills:
                  - Name: RemoteLogonsFromDevice
                    DisplayName: Remote logons from a device
                    Description: Lists RDP and SMB remote logons that came from a device to other devices
                    ExamplePrompts:
                      - Which remote logons came from WS-01?
                      - Show RDP and SMB logons from this device
                    Inputs:
                      - Name: DeviceName
                        Description: The device the logons came from
                    Settings:
                      Target: Defender
                      Template: |-
                        DeviceLogonEvents
                        | where RemoteDeviceName == '{{DeviceName}}' and LogonType in ('Network', 'RemoteInteractive')
                        | project Timestamp, DeviceName, AccountName, LogonType
                        | order by Timestamp asc
            """;

    static final String LOGON_COUNTS = """
            Descriptor:
              Name: LogonCounts
              Description: Counts of Windows logons per account
            SkillGroups:
              - Format: SQL
                Skills:
                  - Name: LogonsOfAccount
                    Description: Counts the logons of an account per computer
                    Inputs:
                      - Name: UserName
                        Description: The account
                    Settings:
                      Template: |-
                        SELECT Computer, count(*) AS logons FROM SecurityEvent
                        WHERE TargetUserName = '{{UserName}}' GROUP BY Computer ORDER BY Computer
            """;

    @TempDir
    Path data;

    @Test
    void aKqlPluginSkillRunsItsTemplateWithTheValueBound() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(plugin("lateral", LATERAL_MOVEMENT), Map.of(), "olga");
            Skill skill = skill(acme, "lateral-movement-hunts-remote-logons-from-device");

            SkillResult result = PluginTenant.run(skill, "device_name", "WS-01");

            assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(result.markdown()).isEqualTo("**Remote logons from a device** (plugin Lateral movement hunts)"
                    + " found 2 rows for DeviceName = WS-01.");
            assertThat(result.tables().get(0).column("DeviceName")).containsExactly("SRV-FILES", "SRV-DB");
            assertThat(result.tables().get(0).column("LogonType")).containsExactly("Network", "RemoteInteractive");
            assertThat(result.queries().get(0).text()).startsWith("declare query_parameters(input_DeviceName:string);\n")
                    .doesNotContain("WS-01");
            assertThat(result.evidence().get(0).refs()).containsExactly("query:1");
            assertThat(skill.spec().inputs()).containsExactly(SkillInput.required("device_name", EntityType.HOST,
                    "The device the logons came from"));
        }
    }

    @Test
    void aValueThatLooksLikeQueryTextStaysOneValue() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(plugin("lateral", LATERAL_MOVEMENT), Map.of(), "olga");
            acme.plugins().install(plugin("counts", LOGON_COUNTS), Map.of(), "olga");

            SkillResult kql = PluginTenant.run(skill(acme, "lateral-movement-hunts-remote-logons-from-device"),
                    "device_name", "WS-01' or 1 == 1 | union SecurityEvent //");
            SkillResult sql = PluginTenant.run(skill(acme, "logon-counts-logons-of-account"),
                    "user_name", "x' OR '1'='1");

            assertThat(kql.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(kql.markdown()).startsWith("**Remote logons from a device** (plugin Lateral movement hunts) found"
                    + " no rows for DeviceName = WS-01' or 1 == 1 | union SecurityEvent //.");
            assertThat(sql.status()).isEqualTo(SkillResult.Status.EMPTY);
        }
    }

    @Test
    void aSqlPluginSkillBindsItsPlaceholdersAsStatementParameters() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(plugin("counts", LOGON_COUNTS), Map.of(), "olga");

            SkillResult result = PluginTenant.run(skill(acme, "logon-counts-logons-of-account"), "user_name", "alice");

            assertThat(result.queries().get(0).language()).isEqualTo("sql");
            assertThat(result.queries().get(0).text()).contains("WHERE TargetUserName = ? GROUP BY");
            assertThat(result.tables().get(0).rows()).containsExactly(List.of("SRV-DB", 1L), List.of("SRV-FILES", 1L));
            assertThat(skill(acme, "logon-counts-logons-of-account").spec().input("user_name").orElseThrow().type())
                    .isEqualTo(EntityType.USER);
        }
    }

    @Test
    void thePlannerChoosesThePluginSkillForAMatchingPromptAndFillsTheHost() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(plugin("lateral", LATERAL_MOVEMENT), Map.of(), "olga");
            Copilot copilot = Copilots.embedded(acme.workspace, Optional.empty());

            Copilot.Turn turn = copilot.ask("Which remote logons came from WS-01?", SessionContext.empty(),
                    PluginTenant.ANALYST, PluginTenant.NOW, ZoneOffset.UTC, line -> {});

            assertThat(turn.answer().plan().steps()).first().satisfies(step -> {
                assertThat(step.skill()).isEqualTo("lateral-movement-hunts-remote-logons-from-device");
                assertThat(step.first("device_name")).contains("WS-01");
            });
            assertThat(turn.answer().markdown()).contains("found 2 rows for DeviceName = WS-01");
        }
    }

    @Test
    void aPluginInstalledForOneTenantIsNoSkillOfAnother() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme");
                PluginTenant globex = PluginTenant.empty(data, "globex")) {
            acme.plugins().install(plugin("lateral", LATERAL_MOVEMENT), Map.of(), "olga");

            assertThat(names(acme)).contains("lateral-movement-hunts-remote-logons-from-device");
            assertThat(names(globex)).noneMatch(n -> n.startsWith("lateral-movement-hunts"));
            assertThat(Files.isDirectory(data.resolve("plugins/acme/lateral-movement-hunts"))).isTrue();
            assertThat(globex.plugins().list()).isEmpty();
        }
    }

    @Test
    void aDisabledPluginAddsNoSkillsUntilEnabledAgain() throws IOException {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(plugin("lateral", LATERAL_MOVEMENT), Map.of(), "olga");

            acme.plugins().setEnabled("lateral-movement-hunts", false);
            List<String> disabled = names(acme);
            acme.plugins().setEnabled("lateral-movement-hunts", true);

            assertThat(disabled).noneMatch(n -> n.startsWith("lateral-movement-hunts"));
            assertThat(names(acme)).contains("lateral-movement-hunts-remote-logons-from-device");
            acme.plugins().remove("lateral-movement-hunts");
            assertThat(acme.plugins().list()).isEmpty();
            assertThatThrownBy(() -> acme.plugins().get("lateral-movement-hunts")).isInstanceOfSatisfying(
                    VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_NOT_FOUND));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "lateral-movement, lateral-movement-hunts-remote-logons-from-device, device_name, WS-01, 2",
            "lateral-movement, lateral-movement-hunts-remote-logons-to-device, device_name, SRV-DB, 1",
            "logon-stats, logon-stats-logons-of-account, user_name, ALICE, 2"})
    void everySampleTemplateSkillRunsOnARealTenant(String sample, String skill, String input, String value, long rows) {
        try (PluginTenant acme = PluginTenant.withLogons(data, "acme")) {
            acme.plugins().install(Path.of("..", "plugins", "samples", sample), Map.of(), "olga");

            SkillResult result = PluginTenant.run(skill(acme, skill), input, value);

            assertThat(result.status()).as(result.markdown()).isEqualTo(SkillResult.Status.OK);
            assertThat(result.facts()).containsEntry("count", rows);
        }
    }

    private Path plugin(String folder, String manifest) throws IOException {
        Path dir = Files.createDirectories(data.resolve("sources").resolve(folder));
        Files.writeString(dir.resolve("plugin.yaml"), manifest);
        return dir;
    }

    private static Skill skill(PluginTenant tenant, String name) {
        return PluginSkills.load(tenant.workspace).stream().filter(s -> s.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no skill " + name));
    }

    private static List<String> names(PluginTenant tenant) {
        return Copilots.builtInSkills(tenant.workspace).stream().map(s -> s.spec().name()).toList();
    }
}
