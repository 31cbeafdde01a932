package dev.vigil.copilot.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A plugin's files as a store keeps them, and its manifest read from them rather than from a folder. */
class PluginPackageTest {
    static final String MANIFEST = """
            Descriptor:
              Name: Hunts
              Description: Some hunts
            SkillGroups:
              - Format: KQL
                Skills:
                  - Name: Logons
                    Description: Logons of a device
                    Inputs:
                      - Name: DeviceName
                        Description: the device
                    Settings:
                      Target: Defender
                      TemplateUrl: %s
            """;
    static final String TEMPLATE = "DeviceLogonEvents | where DeviceName == '{{DeviceName}}'";

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "queries/logons.kql, queries/logons.kql",
            "./queries/../queries/logons.kql, queries/logons.kql",
            "queries\\logons.kql, queries/logons.kql",
            "../other/logons.kql, none",
            "queries/../../logons.kql, none",
            "/etc/passwd, none",
            "C:/Windows/win.ini, none",
            "., none"})
    void aReferenceIsAPathInsideThePluginOrNone(String reference, String path) {
        assertThat(PluginPackage.relativePath(reference)).isEqualTo(Optional.ofNullable(path));
    }

    @Test
    void aManifestReadFromItsPackageReadsTheTemplateFromThePackage() {
        PluginPackage plugin = new PluginPackage("postgresql:acme/hunts", "plugin.yaml", Map.of(
                "plugin.yaml", MANIFEST.formatted("queries/logons.kql").getBytes(StandardCharsets.UTF_8),
                "queries/logons.kql", TEMPLATE.getBytes(StandardCharsets.UTF_8)));

        PluginManifest manifest = plugin.manifest();

        assertThat(manifest.name()).isEqualTo("hunts");
        assertThat(manifest.groups().getFirst()).isInstanceOfSatisfying(PluginManifest.SkillGroup.Kql.class,
                kql -> assertThat(kql.skills().getFirst().template()).contains("DeviceLogonEvents"));
    }

    @Test
    void aPackagedManifestCannotReachOutsideItsFilesNorFindAFileNotInstalledWithIt() {
        PluginPackage outside = new PluginPackage("postgresql:acme/hunts", "plugin.yaml", Map.of("plugin.yaml",
                MANIFEST.formatted("../globex/logons.kql").getBytes(StandardCharsets.UTF_8)));
        PluginPackage missing = new PluginPackage("postgresql:acme/hunts", "plugin.yaml", Map.of("plugin.yaml",
                MANIFEST.formatted("logons.kql").getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(outside::manifest).isInstanceOf(VigilException.class).hasMessage(
                "postgresql:acme/hunts/plugin.yaml:14:24: SkillGroups[0].Skills[0].Settings.TemplateUrl:"
                        + " '../globex/logons.kql' is outside the plugin's folder");
        assertThatThrownBy(missing::manifest).isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.fix())
                .isEqualTo("Install the plugin again from its folder, with the file beside the manifest."))
                .hasMessage("postgresql:acme/hunts/plugin.yaml:14:24: SkillGroups[0].Skills[0].Settings.TemplateUrl:"
                        + " 'logons.kql' was not installed with the plugin");
    }

    @Test
    void aFolderIsReadWholeWithoutVigilsStateFileAndAManifestFileBringsWhatItNames() throws IOException {
        Files.writeString(folder.resolve("plugin.yaml"), MANIFEST.formatted("file:queries/logons.kql"));
        Files.createDirectories(folder.resolve("queries"));
        Files.writeString(folder.resolve("queries/logons.kql"), TEMPLATE);
        Files.writeString(folder.resolve("README.md"), "# Hunts");
        Files.writeString(folder.resolve(PluginPackage.STATE_FILE), "{\"settings\": {\"ApiKey\": \"secret\"}}");

        PluginPackage whole = PluginPackage.read(folder);
        PluginPackage named = PluginPackage.read(folder.resolve("plugin.yaml"));

        assertThat(whole.files()).containsOnlyKeys("README.md", "plugin.yaml", "queries/logons.kql");
        assertThat(named.files()).containsOnlyKeys("plugin.yaml", "queries/logons.kql");
        assertThat(named.manifestSource()).isEqualTo(folder.resolve("plugin.yaml").toString());
        assertThat(whole.manifest()).isEqualTo(named.manifest());
        assertThat(whole).isEqualTo(PluginPackage.read(folder)).hasSameHashCodeAs(PluginPackage.read(folder));
    }

    @Test
    void aFolderHoldingMoreThanAPluginShouldIsRefusedSayingWhatToKeep() throws IOException {
        Files.writeString(folder.resolve("plugin.yaml"), MANIFEST.formatted("logons.kql"));
        Files.write(folder.resolve("node_modules.tar"), new byte[(int) PluginPackage.MAX_BYTES]);

        assertThatThrownBy(() -> PluginPackage.read(folder)).isInstanceOfSatisfying(VigilException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(e.fix()).startsWith("Keep only the manifest and the files it refers to");
        }).hasMessage(folder + ": the plugin's files hold more than 32 MiB");
    }
}
