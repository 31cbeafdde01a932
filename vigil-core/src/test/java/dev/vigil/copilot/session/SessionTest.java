package dev.vigil.copilot.session;

import static dev.vigil.copilot.session.SessionFixtures.ID;
import static dev.vigil.copilot.session.SessionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A session")
class SessionTest {
    @Test
    void findsItsTurnsPinsAndPrompts() {
        Session session = SessionFixtures.session();
        assertThat(session.turn(2)).map(Turn::prompt).contains("Summarize incident 12");
        assertThat(session.turn(3)).isEmpty();
        assertThat(session.pinOf(2)).map(Pin::note).contains("root cause: LSASS read");
        assertThat(session.pinOf(1)).isEmpty();
        assertThat(session.prompts()).containsExactly("Summarize the incident", "Summarize incident 12");
        assertThat(session.lastTurn()).map(Turn::number).contains(2);
        assertThat(session.summary()).isEqualTo(new SessionSummary(ID, "Incident 12 triage", "alice", true, T0,
                T0.plusSeconds(120), 2, 1));
    }

    @Test
    void keepsItsTurnsInOrderAndPinsOnlyItsOwnTurnsOnce() {
        Turn one = new Turn(1, T0, "a", SessionFixtures.summary());
        Turn two = new Turn(2, T0, "b", SessionFixtures.summary());
        assertThatThrownBy(() -> new Session(ID, "s", "alice", false, T0, T0, List.of(two, one), List.of()))
                .hasMessage("session " + ID + ": turn 1 follows turn 2");
        assertThatThrownBy(() -> new Session(ID, "s", "alice", false, T0, T0, List.of(one),
                List.of(new Pin(2, "", T0, "alice")))).hasMessage("session " + ID + " pins turn 2, which it lacks");
        assertThatThrownBy(() -> new Session(ID, "s", "alice", false, T0, T0, List.of(one),
                List.of(new Pin(1, "", T0, "alice"), new Pin(1, "again", T0, "alice"))))
                .hasMessage("session " + ID + " pins turn 1 twice");
        assertThatThrownBy(() -> new Session(ID, " ", "alice", false, T0, T0, List.of(), List.of()))
                .hasMessage("a session needs a name");
    }
}
