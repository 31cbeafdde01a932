package dev.vigil.copilot.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.plugin.PluginManifest.ApiParameter;
import dev.vigil.copilot.plugin.PluginManifest.Authorization;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.copilot.plugin.PluginManifest.TemplateSkill;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifications of reading plugin manifests in Security Copilot's shape, as YAML and as JSON. */
class PluginManifestTest {
    /** A KQL plugin as Security Copilot's documentation writes one. */
    static final String LATERAL_MOVEMENT_YAML = """
            Descriptor:
              Name: LateralMovementHunts
              DisplayName: Lateral movement hunts
              Description: Hunts for remote logons over RDP and SMB from a device
              DescriptionForModel: Finds network and remote interactive logons that came from a device the analyst names.

            SkillGroups:
              - Format: KQL
                Skills:
                  - Name: RemoteLogonsFromDevice
                    DisplayName: Remote logons from a device
                    Description: Lists RDP and SMB logons that came from a device, with the accounts used
                    ExamplePrompts:
                      - Which remote logons came from WS-01?
                      - Show RDP and SMB logons from this device
                    Inputs:
                      - Name: DeviceName
                        Description: The device the logons came from
                        Required: true
                      - Name: Lookback
                        Description: How far back to look
                        Required: false
                        DefaultValue: 30d
                    Settings:
                      Target: Defender
                      Template: |-
                        DeviceLogonEvents
                        | where Timestamp > ago({{Lookback}})
                        | where RemoteDeviceName == '{{DeviceName}}' and LogonType in ('Network', 'RemoteInteractive')
                        | project Timestamp, DeviceName, AccountName, LogonType, RemoteIP
                        | top 100 by Timestamp desc
            """;

    static final String LATERAL_MOVEMENT_JSON = """
            {
              "Descriptor": {
                "Name": "LateralMovementHunts",
                "DisplayName": "Lateral movement hunts",
                "Description": "Hunts for remote logons over RDP and SMB from a device",
                "DescriptionForModel": "Finds network and remote interactive logons that came from a device the analyst names."
              },
              "SkillGroups": [
                {
                  "Format": "KQL",
                  "Skills": [
                    {
                      "Name": "RemoteLogonsFromDevice",
                      "DisplayName": "Remote logons from a device",
                      "Description": "Lists RDP and SMB logons that came from a device, with the accounts used",
                      "ExamplePrompts": ["Which remote logons came from WS-01?", "Show RDP and SMB logons from this device"],
                      "Inputs": [
                        {"Name": "DeviceName", "Description": "The device the logons came from", "Required": true},
                        {"Name": "Lookback", "Description": "How far back to look", "Required": false, "DefaultValue": "30d"}
                      ],
                      "Settings": {
                        "Target": "Defender",
                        "Template": "DeviceLogonEvents\\n| where Timestamp > ago({{Lookback}})\\n| where RemoteDeviceName == '{{DeviceName}}' and LogonType in ('Network', 'RemoteInteractive')\\n| project Timestamp, DeviceName, AccountName, LogonType, RemoteIP\\n| top 100 by Timestamp desc"
                      }
                    }
                  ]
                }
              ]
            }
            """;

    @Test
    void aKqlManifestReadsTheSameFromYamlAndJson() {
        PluginManifest yaml = PluginParser.parse(LATERAL_MOVEMENT_YAML, "plugin.yaml", null);
        PluginManifest json = PluginParser.parse(LATERAL_MOVEMENT_JSON, "plugin.json", null);

        assertThat(yaml.name()).isEqualTo("lateral-movement-hunts");
        assertThat(yaml.descriptor()).isEqualTo(json.descriptor());
        assertThat(yaml.groups()).isEqualTo(json.groups());
        assertThat(yaml.descriptor().displayName()).isEqualTo("Lateral movement hunts");
        assertThat(yaml.descriptor().authorization()).isEqualTo(new Authorization.None());
        assertThat(yaml.skillNames()).containsExactly("lateral-movement-hunts-remote-logons-from-device");
    }

    @Test
    void aKqlSkillKeepsItsTargetExamplesAndTypedInputs() {
        TemplateSkill skill = kqlSkill(PluginParser.parse(LATERAL_MOVEMENT_YAML, "plugin.yaml", null));

        assertThat(skill.target()).isEqualTo("Defender");
        assertThat(skill.examples()).containsExactly("Which remote logons came from WS-01?",
                "Show RDP and SMB logons from this device");
        assertThat(skill.inputs()).extracting(PluginManifest.TemplateInput::inputName, PluginManifest.TemplateInput::type,
                        PluginManifest.TemplateInput::required, PluginManifest.TemplateInput::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("device_name", EntityType.HOST, true, Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("lookback", EntityType.TEXT, false, Optional.of("30d")));
    }

    @Test
    void placeholdersBecomeDeclaredQueryParameters() {
        TemplateSkill skill = kqlSkill(PluginParser.parse(LATERAL_MOVEMENT_YAML, "plugin.yaml", null));

        assertThat(skill.bound().text()).isEqualTo("""
                declare query_parameters(input_Lookback:timespan, input_DeviceName:string);
                DeviceLogonEvents
                | where Timestamp > ago(input_Lookback)
                | where RemoteDeviceName == input_DeviceName and LogonType in ('Network', 'RemoteInteractive')
                | project Timestamp, DeviceName, AccountName, LogonType, RemoteIP
                | top 100 by Timestamp desc""");
        assertThat(skill.bound().types()).containsEntry("DeviceName", "string").containsEntry("Lookback", "timespan");
    }

    @Test
    void aPlaceholderInsideALongerLiteralBecomesAConcatenation() {
        assertThat(Templates.kql("IdentityLogonEvents | where AccountUpn == \"{{User}}@contoso.com\" // {{User}} stays",
                java.util.Map.of()).text()).isEqualTo("declare query_parameters(input_User:string);\n"
                        + "IdentityLogonEvents | where AccountUpn == strcat(input_User, \"@contoso.com\") // {{User}} stays");
        assertThat(Templates.sql("SELECT * FROM SecurityEvent WHERE Computer = '{{Host}}' AND TargetUserName LIKE '{{User}}%'")
                .text()).isEqualTo("SELECT * FROM SecurityEvent WHERE Computer = ? AND TargetUserName LIKE (? || '%')");
        assertThat(Templates.sql("SELECT 1 WHERE a = '{{A}}' OR b = '{{A}}'").parameters()).containsExactly("A", "A");
    }

    @Test
    void inputNamesAndDescriptionsGiveEntityTypes() {
        assertThat(Names.entityType("DeviceName", "")).isEqualTo(EntityType.HOST);
        assertThat(Names.entityType("ComputerName", "")).isEqualTo(EntityType.HOST);
        assertThat(Names.entityType("UserPrincipalName", "")).isEqualTo(EntityType.USER);
        assertThat(Names.entityType("AccountUpn", "")).isEqualTo(EntityType.USER);
        assertThat(Names.entityType("IPAddress", "")).isEqualTo(EntityType.IP);
        assertThat(Names.entityType("FileSha256", "")).isEqualTo(EntityType.HASH);
        assertThat(Names.entityType("Cve", "")).isEqualTo(EntityType.CVE);
        assertThat(Names.entityType("IncidentId", "")).isEqualTo(EntityType.INCIDENT);
        assertThat(Names.entityType("Target", "the domain to look up")).isEqualTo(EntityType.DOMAIN);
        assertThat(Names.entityType("Lookback", "how far back")).isEqualTo(EntityType.TEXT);
        assertThat(Names.skillName("LateralMovementHunts", "RDPLogons")).isEqualTo("lateral-movement-hunts-rdp-logons");
    }

    @Test
    void anApiPluginReadsItsOpenApiSpecificationFromThePluginFolder(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("openapi.yaml"), """
                openapi: 3.0.3
                info: {title: Device risk, version: "1.0"}
                servers:
                  - url: http://localhost:8080/api
                paths:
                  /devices/{deviceName}/risk:
                    get:
                      operationId: getDeviceRisk
                      summary: The risk score and reasons of a device
                      parameters:
                        - name: deviceName
                          in: path
                          required: true
                          schema: {type: string}
                        - $ref: '#/components/parameters/Top'
                  /lookups:
                    post:
                      operationId: lookupIndicator
                      summary: Looks up an IP address in the reputation service
                      requestBody:
                        content:
                          application/json:
                            schema:
                              type: object
                              required: [ip]
                              properties:
                                ip: {type: string, description: the IP address}
                                verbose: {type: boolean}
                components:
                  parameters:
                    Top:
                      name: top
                      in: query
                      schema: {type: integer}
                """);
        Path manifest = folder.resolve("plugin.yaml");
        Files.writeString(manifest, """
                Descriptor:
                  Name: DeviceRisk
                  Description: Device risk from the risk service
                  SupportedAuthTypes: [ApiKey]
                  Authorization:
                    Type: APIKey
                    Key: x-api-key
                    Location: Header
                  Settings:
                    - Name: ApiKey
                      Description: The service's API key
                      Required: true
                SkillGroups:
                  - Format: API
                    Settings:
                      OpenApiSpecUrl: openapi.yaml
                """);

        PluginManifest plugin = PluginParser.read(manifest);

        SkillGroup.Api api = (SkillGroup.Api) plugin.groups().get(0);
        assertThat(api.baseUrl()).isEqualTo("http://localhost:8080/api");
        assertThat(plugin.skillNames()).containsExactly("device-risk-get-device-risk", "device-risk-lookup-indicator");
        assertThat(api.operations().get(0).parameters()).extracting(ApiParameter::inputName, ApiParameter::location,
                        ApiParameter::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("device_name", ApiParameter.Location.PATH, EntityType.HOST),
                        org.assertj.core.groups.Tuple.tuple("top", ApiParameter.Location.QUERY, EntityType.TEXT));
        assertThat(api.operations().get(1).parameters()).extracting(ApiParameter::inputName, ApiParameter::required,
                ApiParameter::type).containsExactly(org.assertj.core.groups.Tuple.tuple("ip", true, EntityType.IP),
                org.assertj.core.groups.Tuple.tuple("verbose", false, EntityType.TEXT));
        assertThat(plugin.descriptor().authorization()).isEqualTo(new Authorization.ApiKey("x-api-key", false, "", "ApiKey"));
        assertThat(plugin.isSecret("ApiKey")).isTrue();
    }

    @Test
    void aSpecificationOutsideThePluginFolderIsRefused(@TempDir Path folder) throws Exception {
        Path manifest = folder.resolve("plugin.yaml");
        Files.writeString(manifest, """
                Descriptor: {Name: Outside, Description: Reads elsewhere}
                SkillGroups:
                  - Format: API
                    Settings:
                      OpenApiSpecUrl: ../secrets/openapi.yaml
                """);

        assertThatThrownBy(() -> PluginParser.read(manifest)).isInstanceOfSatisfying(VigilException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(e.getMessage()).isEqualTo(manifest + ":5:23: SkillGroups[0].Settings.OpenApiSpecUrl:"
                    + " '../secrets/openapi.yaml' is outside the plugin's folder");
        });
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lateral-movement/plugin.yaml", "logon-stats/plugin.json",
            "device-risk/plugin.yaml"})
    void everySamplePluginIsValid(String manifest) {
        PluginManifest plugin = PluginParser.read(Path.of("..", "plugins", "samples").resolve(manifest));

        assertThat(plugin.skillNames()).isNotEmpty().allMatch(name -> name.startsWith(plugin.name() + "-"));
    }

    private static TemplateSkill kqlSkill(PluginManifest plugin) {
        return ((SkillGroup.Kql) plugin.groups().get(0)).skills().get(0);
    }
}
