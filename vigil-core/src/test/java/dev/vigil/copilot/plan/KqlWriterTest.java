package dev.vigil.copilot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.plan.Frame.Filter;
import dev.vigil.copilot.plan.Frame.Intent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Frames written as hunting queries, as an analyst would write them. */
class KqlWriterTest {
    private static final List<String> STORED = List.of("SecurityEvent", "SysmonEvent", "SigninLogs");

    private static Frame frame(String concept, Intent intent, List<Filter> filters, Optional<String> projection,
            List<String> groupBy, int limit, Optional<TimeRange> time) {
        return new Frame(intent, Lexicon.builtIn().concepts().get(concept), filters, projection, groupBy, limit, time,
                1, List.of(), List.of());
    }

    private static String kql(Frame frame) {
        return ((KqlWriter.Written) KqlWriter.write(frame, STORED)).kql();
    }

    @Test
    void aListReadsTheConceptsStoredTablesNewestFirst() {
        assertThat(kql(frame("process", Intent.LIST, List.of(new Filter("host", "host", "WS007.corp.local", "ws007")),
                Optional.empty(), List.of(), 0, Optional.empty()))).isEqualTo("""
                union SysmonEvent, SecurityEvent
                | where action == "process_create"
                | where (host =~ "WS007.corp.local" or host =~ "WS007" or host startswith "WS007.")
                | project time, host, user, process, command_line, parent_process
                | sort by time desc
                | take 50""");
    }

    @Test
    void aTopCountsByTheAskedRole() {
        TimeRange day = new TimeRange(Instant.parse("2026-11-28T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z"),
                "yesterday");
        assertThat(kql(frame("signin", Intent.TOP, List.of(new Filter("outcome", "eq", "failure", "failed")),
                Optional.of("src_ip"), List.of(), 5, Optional.of(day)))).isEqualTo("""
                SigninLogs
                | where time >= datetime(2026-11-28T00:00:00Z) and time < datetime(2026-11-29T00:00:00Z)
                | where outcome =~ "failure"
                | summarize events = count(), first_seen = min(time), last_seen = max(time) by src_ip
                | sort by events desc
                | take 5""");
    }

    @Test
    void countsAndDistinctCounts() {
        assertThat(kql(frame("logon", Intent.COUNT, List.of(), Optional.empty(), List.of(), 0, Optional.empty())))
                .endsWith("| summarize events = count()");
        assertThat(kql(frame("signin", Intent.COUNT, List.of(), Optional.of("user"), List.of(), 0, Optional.empty())))
                .endsWith("| summarize events = dcount(user)");
    }

    @Test
    void usersMatchWithOrWithoutTheirDomainAndProcessesByImageName() {
        assertThat(KqlWriter.predicate(Lexicon.builtIn().concepts().get("logon"),
                new Filter("user", "user", "CORP\\jdoe", "jdoe")))
                .isEqualTo("(user =~ \"jdoe\" or user endswith \"\\\\jdoe\" or user startswith \"jdoe@\")");
        assertThat(KqlWriter.predicate(Lexicon.builtIn().concepts().get("process"),
                new Filter("process", "name", "PowerShell", "powershell")))
                .isEqualTo("(process =~ \"powershell.exe\" or process endswith \"\\\\powershell.exe\""
                        + " or process endswith \"/powershell.exe\")");
    }

    @Test
    void aConceptNoStoredTableHoldsSaysWhichTablesWouldHoldIt() {
        KqlWriter.Result result = KqlWriter.write(frame("ssh", Intent.LIST, List.of(), Optional.empty(), List.of(), 0,
                Optional.empty()), STORED);
        assertThat(result).isEqualTo(new KqlWriter.NoTable(List.of("Syslog")));
    }

    @Test
    void literalsAreEscaped() {
        assertThat(KqlWriter.lit("a \"quoted\" C:\\path")).isEqualTo("\"a \\\"quoted\\\" C:\\\\path\"");
        assertThat(KqlWriter.cidrPrefix("10.1.0.0/16")).isEqualTo("10.1.");
    }
}
