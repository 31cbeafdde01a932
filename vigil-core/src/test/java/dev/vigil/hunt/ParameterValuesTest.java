package dev.vigil.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.QueryParameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Binding parameter values to a saved query's declared parameters")
class ParameterValuesTest {
    private static final List<QueryParameter> DECLARED = KqlCompiler.declaredParameters("""
            declare query_parameters(host:string, minimum:long = 5, ratio:real = 0.5, since:datetime = ago(1d),
                span:timespan = 1h, strict:bool = false);
            SysmonEvent | take 1""");

    @Test
    void readsTheDeclaredParametersWithTypesAndDefaults() {
        assertThat(DECLARED).extracting(QueryParameter::name, QueryParameter::typeName, QueryParameter::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("host", "string", null),
                        org.assertj.core.groups.Tuple.tuple("minimum", "long", "5"),
                        org.assertj.core.groups.Tuple.tuple("ratio", "real", "0.5"),
                        org.assertj.core.groups.Tuple.tuple("since", "datetime", "ago(1d)"),
                        org.assertj.core.groups.Tuple.tuple("span", "timespan", "1h"),
                        org.assertj.core.groups.Tuple.tuple("strict", "bool", "false"));
        assertThat(DECLARED.get(0).required()).isTrue();
    }

    @Test
    void convertsEachValueToItsDeclaredType() {
        Map<String, Object> values = ParameterValues.bind("q", DECLARED, Map.of("host", "WS1", "minimum", "10",
                "ratio", "0.25", "since", "2024-05-01", "span", "30m", "strict", "TRUE"));

        assertThat(values).containsExactly(Map.entry("host", "WS1"), Map.entry("minimum", 10L), Map.entry("ratio", 0.25),
                Map.entry("since", Instant.parse("2024-05-01T00:00:00Z")), Map.entry("span", Duration.ofMinutes(30)),
                Map.entry("strict", true));
    }

    @Test
    void leavesOutParametersNotGivenSoTheirDefaultsApply() {
        assertThat(ParameterValues.bind("q", DECLARED, Map.of("host", "WS1"))).containsOnlyKeys("host");
    }

    @Test
    void namesAMissingRequiredParameterAndItsType() {
        VigilException error = catchThrowableOfType(VigilException.class, () -> ParameterValues.bind("q", DECLARED, Map.of()));

        assertThat(error.code()).isEqualTo(ErrorCode.QUERY_INVALID);
        assertThat(error).hasMessage("query 'q' needs parameter 'host' of type string, which has no default");
        assertThat(error.fix()).isEqualTo("Pass it with --param host=VALUE.");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({"minimum, ten, long", "ratio, half, real", "since, yesterday, datetime", "span, soon, timespan",
            "strict, yes, bool"})
    void refusesAValueOfTheWrongType(String name, String value, String type) {
        VigilException error = catchThrowableOfType(VigilException.class,
                () -> ParameterValues.bind("q", DECLARED, Map.of("host", "WS1", name, value)));

        assertThat(error).hasMessage("parameter '" + name + "' of query 'q' is a " + type + ", and '" + value
                + "' is not one");
    }

    @Test
    void refusesAParameterTheQueryDoesNotDeclare() {
        assertThat(catchThrowableOfType(VigilException.class, () -> ParameterValues.bind("q", DECLARED,
                Map.of("host", "WS1", "hots", "x")))).hasMessageStartingWith("query 'q' has no parameter 'hots'; it"
                + " declares host:string, minimum:long");
    }
}
