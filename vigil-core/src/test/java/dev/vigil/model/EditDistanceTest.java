package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EditDistanceTest {
    @ParameterizedTest
    @CsvSource({
            "'', '', 0",
            "'', abc, 3",
            "kitten, sitting, 3",
            "DeviceEvents, deviceevents, 0",
            "batch-size, bacth-size, 2",
            "tenant, tenants, 1",
    })
    void countsInsertionsDeletionsAndSubstitutionsIgnoringCase(String a, String b, int expected) {
        assertThat(EditDistance.ignoringCase(a, b)).isEqualTo(expected);
        assertThat(EditDistance.ignoringCase(b, a)).isEqualTo(expected);
    }
}
