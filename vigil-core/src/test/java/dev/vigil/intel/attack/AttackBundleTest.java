package dev.vigil.intel.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What makes a bundle unreadable, with the messages users see, verbatim. */
class AttackBundleTest {

    private static AttackKnowledge read(String json) {
        return AttackBundle.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                                           | t.json: empty; expected a STIX bundle, a JSON object with "type": "bundle"
            []                                           | t.json: line 1, column 1: not a STIX bundle: the top-level JSON value is an array; expected an object with "type": "bundle"
            {"type": "attack-pattern", "id": "x--1"}     | t.json: line 1, column 10: not a STIX bundle: its "type" is "attack-pattern"; expected "bundle", whose "objects" hold the attack-pattern, intrusion-set, ... objects
            {"type": 2}                                  | t.json: line 1, column 10: not a STIX bundle: its "type" is a number; expected "bundle", whose "objects" hold the attack-pattern, intrusion-set, ... objects
            {"objects": []}                              | t.json: not a STIX bundle: the top-level object has no "type"; expected "type": "bundle"
            {"type": "bundle"}                           | t.json: the bundle has no "objects" array
            {"type": "bundle", "objects": {}}            | t.json: line 1, column 31: the bundle's "objects" is an object; expected an array of STIX objects
            {"type": "bundle", "objects": [1]}           | t.json: line 1, column 32: objects[0] is a number; expected a STIX object
            {"type": "bundle", "objects": [{"type": "attack-pattern", "name": "X"}]} | t.json: line 1, column 32: objects[0] (attack-pattern "X") has no "id"; every STIX object needs one
            {"type": "bundle", "objects": [{"type": "malware"}]} | t.json: line 1, column 32: objects[0] (malware) has no "id"; every STIX object needs one
            {"type": "bundle", "objects": [{}, {"id": "x--1"}]} | t.json: line 1, column 32: objects[0] has no "type"; every STIX object needs one
            {"type": "bundle", "objects": [{"type": "tool", "id": "tool--1", "name": "X"}, {"id": "x--1"}]} | t.json: line 1, column 80: objects[1] (x--1) has no "type"; every STIX object needs one
            """)
    void rejectsWhatIsNotABundleNamingTheSourceAndPosition(String json, String message) {
        VigilException error = catchThrowableOfType(VigilException.class, () -> read(json == null ? "" : json));

        assertThat(error.getMessage()).isEqualTo(message);
        assertThat(error.code()).isEqualTo(ErrorCode.INPUT_UNREADABLE);
        assertThat(error.fix()).contains("enterprise-attack.json");
    }

    @Test
    void rejectsTruncatedJsonWithItsPosition() {
        String truncated = TinyBundle.STIX_2_1.json().substring(0, 2_000);

        assertThatThrownBy(() -> read(truncated))
                .isInstanceOfSatisfying(VigilException.class, error -> {
                    assertThat(error.code()).isEqualTo(ErrorCode.INPUT_UNREADABLE);
                    assertThat(error.getMessage()).matches("t\\.json: line \\d+, column \\d+: not valid JSON: "
                            + "Unexpected end-of-input.*");
                });
    }

    @Test
    void readsFilesAndNamesAMissingOne(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("attack.json");
        Files.writeString(file, TinyBundle.STIX_2_0.json());

        assertThat(AttackBundle.read(file).summary().source()).isEqualTo(file.toString());
        assertThatThrownBy(() -> AttackBundle.read(folder.resolve("missing.json")))
                .isInstanceOfSatisfying(VigilException.class, error -> {
                    assertThat(error.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
                    assertThat(error.getMessage()).isEqualTo(folder.resolve("missing.json") + ": no such file");
                });
    }

    @Test
    void leavesTheStreamOpenForItsOwner() {
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(TinyBundle.STIX_2_1.json().getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        AttackBundle.read(in, "in");

        assertThat(closed[0]).isFalse();
    }

    @Test
    void anEmptyBundleIsAnEmptyKnowledgeBase() {
        AttackKnowledge empty = read("{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": []}");

        assertThat(empty.activeTechniques()).isEmpty();
        assertThat(empty.technique("T1003")).isEmpty();
        assertThat(empty.search("anything", 5)).isEmpty();
        assertThat(empty.summary().specVersion()).isEmpty();
    }

    @Test
    void fieldsOutsideTheObjectsAreSkippedWhateverTheirOrder() {
        AttackKnowledge attack = read("""
                {"objects": [{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1", "name": "Impact",
                  "x_mitre_shortname": "impact",
                  "external_references": [{"source_name": "mitre-attack", "external_id": "TA0040"}]}],
                 "x_extension": {"nested": [1, {"deep": true}]}, "type": "bundle", "spec_version": "2.0"}""");

        assertThat(attack.tactic("impact").map(Tactic::id)).contains("TA0040");
        assertThat(attack.summary().specVersion()).isEqualTo("2.0");
    }
}
