package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Hunting queries on fixed data: their rows, compared one by one with what KQL gives. */
@DisplayName("Hunting queries over a tenant's store")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HuntRunnerTest {
    @TempDir
    static Path data;

    TenantStore store;
    HuntRunner runner;

    @BeforeAll
    void seed() {
        try (TenantStore writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            writer.store(batch(
                    event("SysmonEvent", "1", 1, fields("EventID", 1L, "Computer", "WS1", "Image", "C:\\Windows\\cmd.exe",
                            "CommandLine", "cmd.exe /c whoami", "User", "ACME\\alice", "Hashes", "SHA256=" + "A".repeat(64))),
                    event("SysmonEvent", "1", 2, fields("EventID", 1L, "Computer", "WS1", "Image",
                            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "CommandLine",
                            "powershell -enc SQBFAFgA", "User", "ACME\\alice")),
                    event("SysmonEvent", "1", 3, fields("EventID", 1L, "Computer", "WS2", "Image", "C:\\Windows\\cmd.exe",
                            "CommandLine", "cmd.exe /c dir", "User", "ACME\\bob")),
                    event("SysmonEvent", "3", 4, fields("EventID", 3L, "Computer", "WS2", "Image", "C:\\Windows\\cmd.exe",
                            "DestinationIp", "10.0.0.9", "DestinationPort", 445L, "User", "ACME\\bob")),
                    event("SecurityEvent", "4625", 5, fields("EventID", 4625L, "Computer", "DC1", "TargetUserName", "alice",
                            "TargetDomainName", "ACME", "LogonType", "3", "IpAddress", "10.0.0.7"))));
        }
        try (TenantStore other = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            other.store(batch(event(GLOBEX, "SysmonEvent", "1", 9, fields("EventID", 1L, "Computer", "OTHER",
                    "Image", "C:\\evil.exe", "CommandLine", "evil"))));
        }
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);
        runner = new HuntRunner(store);
    }

    @AfterAll
    void close() {
        store.close();
    }

    private List<List<Object>> rows(String kql) {
        return runner.run(kql, Map.of(), HuntRunner.Limits.defaults()).rows().rows();
    }

    @Test
    void filtersOnWholeTermsAsHasDoes() {
        assertThat(rows("SysmonEvent | where CommandLine has 'whoami' | project Computer")).containsExactly(List.of("WS1"));
        assertThat(rows("SysmonEvent | where CommandLine has 'who' | project Computer")).isEmpty();
        assertThat(rows("SysmonEvent | where CommandLine contains 'who' | project Computer")).containsExactly(List.of("WS1"));
    }

    @Test
    void summarizesTheDefenderProcessViewRowByRow() {
        assertThat(rows("DeviceProcessEvents | summarize Processes = count(), Files = make_set(FileName) by DeviceName, "
                + "AccountName | extend Files = array_length(Files) | sort by DeviceName asc, AccountName asc")).containsExactly(
                List.of("WS1", "alice", 2L, 2L), // make_set keeps no order: its size is what is fixed
                List.of("WS2", "bob", 1L, 1L));
    }

    @Test
    void readsDefenderColumnsThatMapNativeFields() {
        assertThat(rows("DeviceProcessEvents | where FileName =~ 'CMD.EXE' and isnotempty(SHA256) | project DeviceName, "
                + "SHA256, AccountDomain")).containsExactly(List.of("WS1", "A".repeat(64), "ACME"));
        assertThat(rows("DeviceNetworkEvents | project DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName"))
                .containsExactly(List.of("WS2", "10.0.0.9", 445L, "cmd.exe"));
        assertThat(rows("DeviceLogonEvents | project DeviceName, ActionType, AccountName, LogonType, RemoteIP"))
                .containsExactly(List.of("DC1", "LogonFailed", "alice", "Network", "10.0.0.7"));
    }

    @Test
    void joinsLetsAndArgMaxGiveKqlResults() {
        assertThat(rows("let network = DeviceNetworkEvents | project DeviceName, RemoteIP;\n"
                + "DeviceProcessEvents | join kind=inner network on DeviceName | project DeviceName, FileName, RemoteIP"))
                .containsExactly(List.of("WS2", "cmd.exe", "10.0.0.9"));
        assertThat(rows("DeviceProcessEvents | summarize arg_max(Timestamp, FileName) by DeviceName | project DeviceName, "
                + "FileName | sort by DeviceName asc"))
                .containsExactly(List.of("WS1", "powershell.exe"), List.of("WS2", "cmd.exe"));
        assertThat(rows("DeviceProcessEvents | join kind=leftanti (DeviceNetworkEvents) on DeviceName | distinct DeviceName"))
                .containsExactly(List.of("WS1"));
    }

    @Test
    void neverSeesAnotherTenantsRows() {
        assertThat(rows("SysmonEvent | where CommandLine == 'evil' | count")).containsExactly(List.of(0L));
        assertThat(rows("union SysmonEvent, SecurityEvent | summarize dcount(tenant)")).containsExactly(List.of(1L));
    }

    @Test
    void cutsTheResultAtTheRowCapAndSaysSo() {
        QueryResult result = runner.run("SysmonEvent", Map.of(), new HuntRunner.Limits(2, Duration.ofSeconds(10))).rows();

        assertThat(result.rows()).hasSize(2);
        assertThat(result.truncated()).isTrue();
    }

    @Test
    void cancelsAQueryPastItsTimeout() {
        VigilException error = catchThrowableOfType(VigilException.class, () -> runner.run(
                "range x from 1 to 1 step 1", Map.of(), HuntRunner.Limits.defaults()));
        assertThat(error.code()).isEqualTo(ErrorCode.QUERY_INVALID); // range is not in the dialect yet

        VigilException timeout = catchThrowableOfType(VigilException.class, () -> runner.execute(
                "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3",
                new HuntRunner.Limits(10, Duration.ofMillis(300))));
        assertThat(timeout.code()).isEqualTo(ErrorCode.QUERY_LIMIT);
        assertThat(timeout.getMessage()).contains("timeout");
    }
}
