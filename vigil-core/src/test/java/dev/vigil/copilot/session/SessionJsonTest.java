package dev.vigil.copilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.session.SessionExport.Format;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Session JSON")
class SessionJsonTest {
    @Test
    void readsBackAnEqualSession() {
        Session session = SessionFixtures.session();
        String json = SessionExport.render(session, Format.JSON);
        assertThat(SessionJson.read(json)).isEqualTo(session);
    }

    @Test
    void readsBackEveryPartOfAnAnswer() {
        for (Answer answer : new Answer[] {SessionFixtures.summary(), SessionFixtures.clarification()}) {
            assertThat(SessionJson.readAnswer(SessionJson.writeAnswer(answer))).isEqualTo(answer);
        }
    }

    @Test
    void writesTimesAsTextOptionalsAsTheirValueAndNoDerivedProperties() {
        String json = SessionJson.writeAnswer(SessionFixtures.summary());
        assertThat(json)
                .contains("\"time\":{\"from\":\"2024-05-01T00:00:00Z\",\"to\":\"2024-05-02T00:00:00Z\","
                        + "\"text\":\"yesterday\"}")
                .contains("\"clarification\":null")
                .contains("[\"2024-05-01T10:05:00Z\",\"PsExec service\",\"DB-1\",1,1.5,null]")
                .doesNotContain("\"empty\"");
        String clarification = SessionJson.writeAnswer(SessionFixtures.clarification());
        assertThat(clarification).contains("\"clarification\":{\"question\":\"Which incident?");
    }

    @Test
    void namesWhereJsonIsNotASession() {
        assertThatThrownBy(() -> SessionJson.read("{\"id\": \"7d4c1f0e-3b2a-4c5d-9e8f-0a1b2c3d4e5f\",\n"
                + " \"name\": \"s\", \"turns\": 3}"))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_UNREADABLE))
                .hasMessageStartingWith("not a Vigil session at 2:24 in field turns: Cannot deserialize");
        assertThatThrownBy(() -> SessionJson.readAnswer("{"))
                .hasMessageStartingWith("not a Vigil answer at 1:2");
    }
}
