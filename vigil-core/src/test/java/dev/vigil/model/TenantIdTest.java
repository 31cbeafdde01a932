package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"default", "a", "0", "acme-corp", "acme_corp", "t1",
        "a23456789012345678901234567890123456789012345678901234567890123"})
    void portableLowerCaseIdsAreValid(String value) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
        assertThat(TenantId.of(value)).hasToString(value);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Acme", "-acme", "_acme", "acme corp", "acme/..", "../etc", "acme.corp", "ä",
        "a234567890123456789012345678901234567890123456789012345678901234", "acme\n"})
    void anythingElseIsRejectedNamingTheValue(String value) {
        VigilException error = catchThrowableOfType(VigilException.class, () -> TenantId.of(value));

        assertThat(error.code()).isEqualTo(ErrorCode.TENANT_INVALID);
        assertThat(error.getMessage()).isEqualTo("invalid tenant id '" + value + "'");
    }

    @Test
    void theDefaultTenantIsCalledDefault() {
        assertThat(TenantId.DEFAULT.value()).isEqualTo("default");
    }
}
