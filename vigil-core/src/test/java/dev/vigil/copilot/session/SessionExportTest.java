package dev.vigil.copilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.session.SessionExport.Format;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A session's Markdown export")
class SessionExportTest {
    @Test
    void readsAsAReportOfTheInvestigation() {
        assertThat(SessionExport.render(SessionFixtures.session(), Format.MARKDOWN)).isEqualTo("""
                # Incident 12 triage

                Session 7d4c1f0e-3b2a-4c5d-9e8f-0a1b2c3d4e5f of alice, shared within the tenant. Created \
                2024-05-02 09:00:00 UTC, updated 2024-05-02 09:02:00 UTC; 2 turns.

                ## Pin board

                - Turn 2 (Summarize incident 12): root cause: LSASS read (pinned by alice, 2024-05-02 09:02:00 UTC)

                ## Turn 1

                > Summarize the incident

                _2024-05-02 09:00:30 UTC_

                Which incident? The open ones are #12 and #14.

                - #12 Credential theft on WS-042: `Summarize incident 12`
                - #14 Phishing of bob: `Summarize incident 14`

                ## Turn 2

                > Summarize incident 12

                _2024-05-02 09:01:30 UTC · pinned: root cause: LSASS read_

                Incident **12** is a credential theft on WS-042, moving to DB-1.

                ### Timeline
                Two alerts in three minutes.

                **Alerts of incident 12**

                | time | rule | host | count | score | open |
                | --- | --- | --- | --- | --- | --- |
                | 2024-05-01T10:02:00Z | Mimikatz \\| LSASS access | WS-042 | 3 | 0.75 | true |
                | 2024-05-01T10:05:00Z | PsExec service | DB-1 | 1 | 1.5 |  |

                Chart (bar): Alerts per host, 1 series over 2 labels.

                **Queries**

                1. 2 rows in 14 ms:

                ```kql
                SecurityAlert
                | where IncidentNumber == 12
                | take 100
                ```

                **Evidence**

                - LSASS was read on WS-042: `alert:9f1c`, `query:1`
                - T1003.001 is credential dumping: `attack:T1003.001`

                **Follow-ups**

                - Show the timeline of incident 12
                - How do I contain incident 12?
                """);
    }

    @Test
    void fencesQueriesThatHoldBackticksAndQuotesEveryLineOfAPrompt() {
        Session session = SessionFixtures.session();
        Answer answer = SessionFixtures.summary();
        ExecutedQuery query = new ExecutedQuery("sql", "SELECT '```' AS ticks", 1, 1);
        Answer withTicks = new Answer(answer.prompt(), "", answer.plan(), List.of(query), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), 0, 0);
        Session script = new Session(session.id(), "Script", "alice", false, session.created(), session.updated(),
                List.of(new Turn(1, session.created(), "Analyze this script:\nIEX (New-Object Net.WebClient)\n\n# end",
                        withTicks)), List.of());
        assertThat(SessionExport.markdown(script))
                .contains("of alice, private.")
                .contains("> Analyze this script:\n> IEX (New-Object Net.WebClient)\n>\n> # end\n")
                .contains("````sql\nSELECT '```' AS ticks\n````\n");
    }

    @Test
    void parsesTheFormatByName() {
        assertThat(Format.parse(" MD ")).isEqualTo(Format.MARKDOWN);
        assertThat(Format.parse("json").extension()).isEqualTo("json");
        assertThatThrownBy(() -> Format.parse("pdf"))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("unknown session export format 'pdf'");
    }
}
