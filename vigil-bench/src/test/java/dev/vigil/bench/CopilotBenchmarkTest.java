package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopilotBenchmarkTest {

    @Test
    void questionsAreDistinctAndCoverBothRoutes() {
        List<CopilotBenchmark.Question> questions = CopilotBenchmark.questions();
        assertThat(questions).hasSizeBetween(25, 40);
        assertThat(new HashSet<>(questions.stream().map(CopilotBenchmark.Question::text).toList()))
                .hasSameSizeAs(questions);
        assertThat(questions).extracting(CopilotBenchmark.Question::kind)
                .contains(CopilotBenchmark.Kind.SKILL, CopilotBenchmark.Kind.QUERY);
    }

    @Test
    void backgroundSharesAddUpToTheWhole() {
        double total = CopilotBenchmark.kinds().stream().mapToDouble(CopilotBenchmark.Background::share).sum();
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(CopilotBenchmark.kinds()).extracting(CopilotBenchmark.Background::table)
                .contains("SecurityEvent", "SysmonEvent", "SigninLogs", "CommonSecurityLog", "Syslog");
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
        assertThat(CopilotBenchmark.percentile(values, 0.5)).isEqualTo(3.0);
        assertThat(CopilotBenchmark.percentile(values, 0.95)).isEqualTo(5.0);
        assertThat(CopilotBenchmark.percentile(List.of(), 0.5)).isZero();
    }

    @Test
    void aLogStepNamesItsSkill() {
        assertThat(CopilotBenchmark.skillOf("/incident-summary incident=2")).isEqualTo("incident-summary");
        assertThat(CopilotBenchmark.skillOf("/hunt")).isEqualTo("hunt");
    }
}
