package dev.vigil.copilot.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.model.VigilException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Format: MCP} groups: an external MCP server by URL (with headers) or by command, and what is refused. */
class PluginMcpManifestTest {
    private static final String HEAD = """
            Descriptor:
              Name: Cmdb
              Description: The CMDB over MCP
              Settings:
                - Name: ApiKey
            SkillGroups:
            """;

    @Test
    void anHttpServerWithHeadersAndATools() {
        PluginManifest plugin = PluginParser.parse(HEAD + """
                  - Format: MCP
                    Settings:
                      Url: http://127.0.0.1:8811/mcp
                      Headers: {X-Api-Key: "{{ApiKey}}"}
                      Tools: [lookup_asset]
                """, "plugin.yaml", null);

        assertThat(plugin.groups()).singleElement().isEqualTo(new SkillGroup.Mcp("http://127.0.0.1:8811/mcp",
                List.of(), Map.of("X-Api-Key", "{{ApiKey}}"), List.of("lookup_asset")));
        assertThat(plugin.skillNames()).as("an MCP server's tools are listed when it is asked").isEmpty();
    }

    @Test
    void aStdioServerByCommandOrAUrlFromASetting() {
        SkillGroup command = PluginParser.parse(HEAD + """
                  - Format: MCP
                    Settings: {Command: "npx -y @acme/cmdb-mcp --stdio"}
                """, "plugin.yaml", null).groups().get(0);
        SkillGroup setting = PluginParser.parse(HEAD + """
                  - Format: MCP
                    Settings: {UrlSettingName: ApiKey}
                """, "plugin.yaml", null).groups().get(0);

        assertThat(command).isEqualTo(new SkillGroup.Mcp("", List.of("npx", "-y", "@acme/cmdb-mcp", "--stdio"),
                Map.of(), List.of()));
        assertThat(((SkillGroup.Mcp) setting).url()).isEqualTo("{{ApiKey}}");
    }

    @Test
    void bothAUrlAndACommandOrNotAUrlAreRefusedWithTheirLines() {
        assertThatThrownBy(() -> PluginParser.parse(HEAD + """
                  - Format: MCP
                    Settings: {Url: "http://127.0.0.1:8811/mcp", Command: "cmdb-mcp"}
                """, "plugin.yaml", null)).isInstanceOf(VigilException.class)
                .hasMessageContaining("plugin.yaml:8:15: SkillGroups[0].Settings: the MCP group names both a URL and a"
                        + " command");
        assertThatThrownBy(() -> PluginParser.parse(HEAD + """
                  - Format: MCP
                    Settings: {Url: "ftp://cmdb/mcp"}
                """, "plugin.yaml", null)).isInstanceOf(VigilException.class)
                .hasMessageContaining("SkillGroups[0].Settings.Url: 'ftp://cmdb/mcp' is not an http(s) URL");
    }
}
