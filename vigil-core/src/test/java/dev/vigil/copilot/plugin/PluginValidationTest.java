package dev.vigil.copilot.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation errors of plugin manifests, verbatim: each names file:line:column, the field, and the fix. */
class PluginValidationTest {
    private static final String HEAD = """
            Descriptor:
              Name: Hunts
              Description: Some hunts
            SkillGroups:
            """;

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                Arguments.of("an undeclared placeholder", HEAD + """
                          - Format: KQL
                            Skills:
                              - Name: Logons
                                Description: Logons of a device
                                Inputs:
                                  - Name: DeviceName
                                    Description: the device
                                Settings:
                                  Target: Defender
                                  Template: DeviceLogonEvents | where DeviceName == '{{Device}}'
                        """,
                        "plugin.yaml:14:21: SkillGroups[0].Skills[0].Settings.Template: the placeholder {{Device}} is"
                                + " not a declared input",
                        "Declare it under Inputs: '- Name: Device' with its Description."),
                Arguments.of("a placeholder spelt in another case", HEAD + """
                          - Format: KQL
                            Skills:
                              - Name: Logons
                                Description: Logons of a device
                                Inputs: [{Name: DeviceName, Description: the device}]
                                Settings:
                                  Template: DeviceLogonEvents | where DeviceName == '{{devicename}}'
                        """,
                        "plugin.yaml:11:21: SkillGroups[0].Skills[0].Settings.Template: the placeholder {{devicename}}"
                                + " is not a declared input",
                        "Write {{DeviceName}}, as the input is named."),
                Arguments.of("an MCP group without a server", HEAD + """
                          - Format: MCP
                            Settings: {Tools: [lookup_asset]}
                        """,
                        "plugin.yaml:6:15: SkillGroups[0].Settings: the MCP group names no server",
                        "Set either Url (a streamable HTTP endpoint, e.g. http://127.0.0.1:8811/mcp) or Command (the"
                                + " command line of a stdio server), not both."),
                Arguments.of("an unknown format", HEAD + """
                          - Format: GPT
                        """,
                        "plugin.yaml:5:13: SkillGroups[0].Format: unknown format 'GPT'",
                        "Use KQL, SQL, API or MCP (Format GPT, LogicApp and Agent are Security Copilot's own)."),
                Arguments.of("a misspelt key", HEAD + """
                          - Format: KQL
                            Skills:
                              - Name: Logons
                                Description: Logons
                                Settings:
                                  Templte: DeviceLogonEvents
                        """,
                        "2 problems in the plugin:\n"
                                + "plugin.yaml:10:11: SkillGroups[0].Skills[0].Settings.Templte: unknown key 'Templte'."
                                + " Fix: Did you mean 'Template'? Rename the key\n"
                                + "plugin.yaml:10:11: SkillGroups[0].Skills[0].Settings.Template: the skill has no"
                                + " Template. Fix: Add 'Template:' with the query, using {{InputName}} where an input's"
                                + " value goes",
                        "Fix each problem at the place named, then run `vigil plugins validate` again."),
                Arguments.of("a missing description", """
                        Descriptor:
                          Name: Hunts
                        SkillGroups:
                          - Format: SQL
                            Skills:
                              - Name: Count
                                Description: Counts events
                                Settings: {Template: SELECT count(*) FROM SecurityEvent}
                        """,
                        "plugin.yaml:2:3: Descriptor.Description: the plugin has no Description",
                        "Add 'Description:' saying what the plugin's skills answer."),
                Arguments.of("a SQL template that writes", HEAD + """
                          - Format: SQL
                            Skills:
                              - Name: Purge
                                Description: Deletes events
                                Settings: {Template: DELETE FROM SecurityEvent}
                        """,
                        "plugin.yaml:9:30: SkillGroups[0].Skills[0].Settings.Template: a SQL skill reads: its template"
                                + " starts with 'delete'",
                        "Start the template with SELECT, WITH or FROM; data changes only through `vigil ingest`."),
                Arguments.of("a KQL template that does not parse", HEAD + """
                          - Format: KQL
                            Skills:
                              - Name: Broken
                                Description: Broken query
                                Settings:
                                  Template: |-
                                    SecurityEvent
                                    | where EventID ==
                        """,
                        "plugin.yaml:10:21: SkillGroups[0].Skills[0].Settings.Template: the query does not parse at"
                                + " line 2, column 19 of the template: unexpected end of query, expected an expression",
                        null),
                Arguments.of("a literal API key", """
                        Descriptor:
                          Name: Risk
                          Description: Risk
                          Authorization: {Type: APIKey, Key: x-api-key, Value: s3cr3t}
                        SkillGroups:
                          - Format: API
                            Settings: {OpenApiSpecUrl: https://example.com/openapi.yaml}
                        """,
                        "2 problems in the plugin:\n"
                                + "plugin.yaml:4:56: Descriptor.Authorization.Value: a literal credential in the manifest."
                                + " Fix: Write '{{ApiKey}}' and give the value per tenant with `vigil plugins install ..."
                                + " --setting ApiKey=VALUE`\n"
                                + "plugin.yaml:7:32: SkillGroups[0].Settings.OpenApiSpecUrl: 'https://example.com/openapi.yaml'"
                                + " is a URL; Vigil reads only files in the plugin's folder (it runs offline). Fix:"
                                + " Download the file into the plugin's folder and refer to it by its relative name,"
                                + " e.g. openapi.yaml",
                        "Fix each problem at the place named, then run `vigil plugins validate` again."),
                Arguments.of("JSON that does not parse", """
                        {"Descriptor": {"Name": "Hunts",
                          "Description": "Some hunts"
                          "SkillGroups": []}
                        """,
                        "plugin.yaml:3:3: not valid JSON: Unexpected character ('\"' (code 34)): was expecting comma"
                                + " to separate Object entries",
                        "Fix the JSON at the line and column named (a missing comma, quote or brace)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void invalidManifestsAreRefusedWithTheirPlaceAndFix(String what, String manifest, String message, String fix) {
        assertThatThrownBy(() -> PluginParser.parse(manifest, "plugin.yaml", null))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
                    assertThat(e.getMessage()).isEqualTo(message);
                    if (fix != null) {
                        assertThat(e.fix()).isEqualTo(fix);
                    }
                });
    }
}
