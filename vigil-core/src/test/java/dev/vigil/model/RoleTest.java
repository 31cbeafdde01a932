package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which role includes which: the reader < analyst < owner ladder, and ingest beside it. */
class RoleTest {
    @ParameterizedTest(name = "{0} includes {1}: {2}")
    @CsvSource({
        "reader,  reader,  true",  "reader,  analyst, false", "reader,  owner,   false", "reader,  ingest,  false",
        "analyst, reader,  true",  "analyst, analyst, true",  "analyst, owner,   false", "analyst, ingest,  false",
        "owner,   reader,  true",  "owner,   analyst, true",  "owner,   owner,   true",  "owner,   ingest,  true",
        "ingest,  reader,  false", "ingest,  analyst, false", "ingest,  owner,   false", "ingest,  ingest,  true"})
    void roleInclusion(String role, String other, boolean includes) {
        assertThat(Role.parse(role).includes(Role.parse(other))).isEqualTo(includes);
    }

    @ParameterizedTest
    @CsvSource({"reader", "analyst", "owner"})
    void anIngestPrincipalMayNotRead(String needed) {
        Principal shipper = new Principal("fluent-bit", Role.INGEST);
        assertThatThrownBy(() -> shipper.require(Role.parse(needed), "read alerts"))
                .isInstanceOf(VigilException.class)
                .hasMessage("fluent-bit (ingest) may not read alerts: that needs the " + needed + " role");
    }

    @ParameterizedTest
    @CsvSource({"Ingest", " OWNER ", "reader"})
    void namesParseInAnyCase(String name) {
        assertThat(Role.parse(name).toString()).isEqualTo(name.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @CsvSource({"admin", "root", "''"})
    void anUnknownNameListsTheRoles(String name) {
        assertThatThrownBy(() -> Role.parse(name)).hasMessage("unknown role '" + name + "'; one of reader, analyst,"
                + " owner, ingest");
    }
}
