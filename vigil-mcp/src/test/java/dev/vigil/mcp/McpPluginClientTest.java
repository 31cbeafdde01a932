package dev.vigil.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external MCP server, built with the SDK and started as a stdio child, installed as a {@code Format: MCP} plugin:
 * its tool becomes a skill of the tenant's copilot, runs, and is what the planner picks for a prompt that asks for it.
 */
class McpPluginClientTest {
    static final TenantId ACME = TenantId.of("acme");
    static final Principal ANALYST = new Principal("analyst", Role.ANALYST);

    @TempDir
    Path data;

    @AfterEach
    void close() {
        McpPluginTools.closeAll();
    }

    private void install(String command) throws Exception {
        install(command, "60");
    }

    private void install(String command, String timeoutSeconds) throws Exception {
        Path folder = Files.createDirectories(data.resolve("src"));
        Files.writeString(folder.resolve("plugin.yaml"), """
                Descriptor:
                  Name: Cmdb
                  Description: The CMDB's asset inventory, over MCP
                SkillGroups:
                  - Format: MCP
                    Settings:
                      Command: %s
                """.formatted(command));
        new InstalledPlugins(data, ACME).install(folder, Map.of("TimeoutSeconds", timeoutSeconds), "operator");
    }

    private static String command(String main) {
        return String.join(" ", McpStdioTest.javaCommand(main));
    }

    @Test
    void anExternalMcpToolIsASkillThatRunsAndThePlannerPicks() throws Exception {
        Seed.tenant(data, ACME, "MARKER-cmdb");
        install(command(LookupAssetServerMain.class.getName()));
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString()));
        try (TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = Copilots.embedded(new Workspace(config, store), Optional.empty());
            Skill skill = copilot.skills().get("cmdb-lookup-asset");
            assertThat(skill).as(copilot.skills().keySet().toString()).isNotNull();
            assertThat(skill.spec().inputs()).singleElement().satisfies(input -> {
                assertThat(input.name()).isEqualTo("hostname");
                assertThat(input.required()).isTrue();
                assertThat(input.type()).isEqualTo(dev.vigil.copilot.EntityType.HOST);
            });

            SkillContext context = new SkillContext(ANALYST, Instant.now(), ZoneOffset.UTC, line -> { });
            SkillResult found = skill.run(SkillCall.of(skill.spec().name(), Map.of("hostname", List.of("ws-acme"))),
                    context);
            assertThat(found.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(found.markdown()).contains("owner Dana Reyes");
            assertThat(found.evidence()).singleElement().satisfies(e -> assertThat(e.refs())
                    .containsExactly("mcp:cmdb/lookup_asset"));

            SkillResult unknown = skill.run(SkillCall.of(skill.spec().name(), Map.of("hostname",
                    List.of("nowhere-01"))), context);
            assertThat(unknown.status()).isEqualTo(SkillResult.Status.FAILED);
            assertThat(unknown.markdown()).contains("answered with an error: no asset named nowhere-01");

            Copilot.Turn turn = copilot.ask("look up the owner and criticality of asset ws-acme in the CMDB",
                    SessionContext.empty(), ANALYST, Instant.now(), ZoneOffset.UTC, line -> { });
            assertThat(turn.answer().plan().skillNames()).as(turn.answer().markdown()).contains("cmdb-lookup-asset");
            assertThat(turn.answer().markdown()).contains("Dana Reyes");
        }
    }

    @Test
    void aCallThatTakesLongerThanTheTimeoutFailsSayingSo() throws Exception {
        Seed.tenant(data, ACME, "MARKER-cmdb");
        install(command(LookupAssetServerMain.class.getName()), "2");
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString()));
        try (TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = Copilots.embedded(new Workspace(config, store), Optional.empty());
            Skill slow = copilot.skills().get("cmdb-slow-lookup");
            assertThat(slow).as(copilot.skills().keySet().toString()).isNotNull();
            assertThat(slow.spec().inputs()).singleElement().satisfies(i -> assertThat(i.required()).isFalse());

            SkillResult late = slow.run(SkillCall.of(slow.spec().name(), Map.of()), new SkillContext(ANALYST,
                    Instant.now(), ZoneOffset.UTC, line -> { }));

            assertThat(late.status()).isEqualTo(SkillResult.Status.FAILED);
            assertThat(late.markdown()).contains("Calling the tool slow_lookup of the MCP server cmdb")
                    .contains("no answer in time").contains("TimeoutSeconds");
        }
    }

    @Test
    void aServerThatDoesNotStartLeavesItsToolsOutAndTheCopilotRuns() throws Exception {
        Seed.tenant(data, ACME, "MARKER-cmdb");
        install(command("dev.vigil.mcp.NoSuchServer"), "5");
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString()));
        try (TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = Copilots.embedded(new Workspace(config, store), Optional.empty());
            assertThat(copilot.skills()).containsKey("incidents-list").doesNotContainKey("cmdb-lookup-asset");
            long started = System.nanoTime();
            Copilot again = Copilots.embedded(new Workspace(config, store), Optional.empty());
            assertThat(again.skills()).doesNotContainKey("cmdb-lookup-asset");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the failed server is not tried again at once")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }
}
