package dev.vigil.sigma;

import static dev.vigil.sigma.Modifier.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sigma.SigmaDocument.Item;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The modifiers appendix, value by value. */
class ModifierMatchingTest {

    private static boolean test(String field, List<Modifier> mods, List<SigmaValue> values, Object... event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < event.length; i += 2) {
            fields.put((String) event[i], event[i + 1]);
        }
        Item item = new Item(field, mods, values, 1, 1);
        assertThat(Modifiers.check(item)).isNull();
        return ItemCompiler.compile(item, f -> f, new Placeholders(Map.of("Admins", List.of("adm_*", "root"))))
                .matcher().test(new EventView("T", fields));
    }

    private static List<SigmaValue> text(String... values) {
        return Arrays.stream(values).map(v -> (SigmaValue) new SigmaValue.Text(v)).toList();
    }

    private static List<SigmaValue> number(long n) {
        return List.of(new SigmaValue.Number(BigDecimal.valueOf(n)));
    }

    @Test
    void contains_startswith_endswith() {
        assertThat(test("C", List.of(CONTAINS), text("mimikatz"), "C", "run MimiKatz.exe")).isTrue();
        assertThat(test("C", List.of(STARTSWITH), text("run"), "C", "RUN it")).isTrue();
        assertThat(test("C", List.of(STARTSWITH), text("it"), "C", "run it")).isFalse();
        assertThat(test("C", List.of(ENDSWITH), text("\\cmd.exe"), "C", "C:\\x\\CMD.exe")).isTrue();
    }

    @Test
    void values_are_or_unless_all() {
        assertThat(test("C", List.of(CONTAINS), text("a1", "b2"), "C", "xx b2")).isTrue();
        assertThat(test("C", List.of(CONTAINS, ALL), text("a1", "b2"), "C", "xx b2")).isFalse();
        assertThat(test("C", List.of(CONTAINS, ALL), text("a1", "b2"), "C", "b2 a1")).isTrue();
    }

    @Test
    void cased_turns_off_case_insensitivity() {
        assertThat(test("C", List.of(CONTAINS, CASED), text("Evil"), "C", "evil")).isFalse();
        assertThat(test("C", List.of(CONTAINS, CASED), text("Evil"), "C", "Evil")).isTrue();
    }

    @Test
    void exists_checks_presence_not_value() {
        assertThat(test("P", List.of(EXISTS), List.of(new SigmaValue.Bool(true)), "P", "")).isTrue();
        assertThat(test("P", List.of(EXISTS), List.of(new SigmaValue.Bool(false)), "Q", "x")).isTrue();
        assertThat(test("P", List.of(EXISTS), List.of(new SigmaValue.Bool(true)), "Q", "x")).isFalse();
    }

    @Test
    void null_matches_an_absent_or_null_field() {
        assertThat(test("P", List.of(), List.of(new SigmaValue.Null()), "Q", "x")).isTrue();
        assertThat(test("P", List.of(), List.of(new SigmaValue.Null()), "P", null)).isTrue();
        assertThat(test("P", List.of(), List.of(new SigmaValue.Null()), "P", "x")).isFalse();
    }

    @Test
    void neq_is_true_when_the_field_differs_from_every_value() {
        assertThat(test("U", List.of(NEQ), text("SYSTEM", "LOCAL SERVICE"), "U", "alice")).isTrue();
        assertThat(test("U", List.of(NEQ), text("SYSTEM", "LOCAL SERVICE"), "U", "system")).isFalse();
    }

    @Test
    void numbers_compare_numerically_and_match_numeric_fields() {
        assertThat(test("EventID", List.of(), number(4688), "EventID", 4688L)).isTrue();
        assertThat(test("EventID", List.of(), number(4688), "EventID", "4688")).isTrue();
        assertThat(test("N", List.of(GT), number(10), "N", 11L)).isTrue();
        assertThat(test("N", List.of(GT), number(10), "N", 10L)).isFalse();
        assertThat(test("N", List.of(GTE), number(10), "N", "10")).isTrue();
        assertThat(test("N", List.of(LT), number(10), "N", "0x9")).isTrue();
        assertThat(test("N", List.of(LTE), number(10), "N", "not a number")).isFalse();
    }

    @Test
    void time_parts_are_taken_in_utc() {
        assertThat(test("T", List.of(HOUR), number(3), "T", "2024-05-06T03:04:05Z")).isTrue();
        assertThat(test("T", List.of(HOUR, GTE), number(22), "T", "2024-05-06T03:04:05Z")).isFalse();
        assertThat(test("T", List.of(MONTH), number(5), "T", "2024-05-06T03:04:05Z")).isTrue();
        assertThat(test("T", List.of(YEAR), number(2024), "T", "2024-05-06T03:04:05Z")).isTrue();
        assertThat(test("T", List.of(MINUTE), number(4), "T", "2024-05-06T03:04:05Z")).isTrue();
        assertThat(test("T", List.of(DAY), number(6), "T", "2024-05-06T03:04:05Z")).isTrue();
        assertThat(test("T", List.of(WEEK), number(19), "T", "2024-05-06T03:04:05Z")).isTrue();
    }

    @Test
    void cidr_for_ipv4_and_ipv6() {
        assertThat(test("Ip", List.of(CIDR), text("10.0.0.0/8"), "Ip", "10.1.2.3")).isTrue();
        assertThat(test("Ip", List.of(CIDR), text("10.0.0.0/8"), "Ip", "11.1.2.3")).isFalse();
        assertThat(test("Ip", List.of(CIDR), text("192.168.1.0/25"), "Ip", "192.168.1.200")).isFalse();
        assertThat(test("Ip", List.of(CIDR), text("fe80::/10"), "Ip", "FE80::1")).isTrue();
        assertThat(test("Ip", List.of(CIDR), text("fe80::/10"), "Ip", "10.1.2.3")).isFalse();
        assertThat(test("Ip", List.of(CIDR), text("10.0.0.0/8"), "Ip", "not-an-ip.example")).isFalse();
    }

    @Test
    void re_is_case_sensitive_unless_i_and_unanchored() {
        assertThat(test("C", List.of(RE), text("Invoke-[A-Z]+"), "C", "x Invoke-MIMI y")).isTrue();
        assertThat(test("C", List.of(RE), text("Invoke-[A-Z]+"), "C", "x invoke-mimi y")).isFalse();
        assertThat(test("C", List.of(RE, I), text("Invoke-[A-Z]+"), "C", "x invoke-mimi y")).isTrue();
        assertThat(test("C", List.of(RE, S), text("a.b"), "C", "a\nb")).isTrue();
        assertThat(test("C", List.of(RE, M), text("^b$"), "C", "a\nb")).isTrue();
        assertThat(test("C", List.of(RE), text("^b$"), "C", "a\nb")).isFalse();
    }

    @Test
    void base64_and_base64offset_find_encoded_text() {
        String encoded = Base64.getEncoder().encodeToString("xxIEX (New-Object Net.WebClient)yy".getBytes(StandardCharsets.UTF_8));
        assertThat(test("C", List.of(BASE64OFFSET, CONTAINS), text("New-Object Net.WebClient"), "C", encoded)).isTrue();
        for (String prefix : List.of("", "a", "ab", "abc")) {
            String e = Base64.getEncoder().encodeToString((prefix + "http://evil").getBytes(StandardCharsets.UTF_8));
            assertThat(test("C", List.of(BASE64OFFSET, CONTAINS), text("http://"), "C", e)).as(prefix).isTrue();
        }
        assertThat(test("C", List.of(BASE64, CONTAINS), text("cmd"), "C", "x " + Base64.getEncoder()
                .encodeToString("cmd".getBytes(StandardCharsets.UTF_8)))).isTrue();
    }

    @Test
    void wide_then_base64offset_finds_powershell_encoded_commands() {
        String command = Base64.getEncoder().encodeToString("IEX (iwr http://x)".getBytes(StandardCharsets.UTF_16LE));
        assertThat(test("C", List.of(WIDE, BASE64OFFSET, CONTAINS), text("iwr http"), "C",
                "powershell -enc " + command)).isTrue();
        assertThat(test("C", List.of(UTF16LE, BASE64OFFSET, CONTAINS), text("iwr http"), "C",
                "powershell -enc " + command)).isTrue();
    }

    @Test
    void utf16_variants_encode_as_the_appendix_says() {
        assertThat(ItemCompiler.encode("cmd", List.of(UTF16LE)).getFirst()).isEqualTo("c\0m\0d\0");
        assertThat(ItemCompiler.encode("cmd", List.of(UTF16BE)).getFirst()).isEqualTo("\0c\0m\0d");
        assertThat(ItemCompiler.encode("cmd", List.of(UTF16)).getFirst()).isEqualTo("\u00ff\u00fec\0m\0d\0");
        assertThat(ItemCompiler.encode("cmd", List.of(WIDE, BASE64))).containsExactly("YwBtAGQA");
    }

    @Test
    void windash_with_contains() {
        assertThat(test("C", List.of(CONTAINS, WINDASH), text(" -decode "), "C", "certutil /decode a b")).isTrue();
        assertThat(test("C", List.of(WINDASH, CONTAINS), text(" -decode "), "C", "certutil \u2014decode a b")).isTrue();
    }

    @Test
    void expand_fills_placeholders_and_refuses_unknown_ones() {
        assertThat(test("U", List.of(EXPAND), text("%Admins%"), "U", "ADM_bob")).isTrue();
        assertThat(test("U", List.of(EXPAND), text("%Admins%"), "U", "root")).isTrue();
        assertThat(test("U", List.of(EXPAND), text("%Admins%"), "U", "alice")).isFalse();
        Item unknown = new Item("U", List.of(EXPAND), text("%Nobody%"), 1, 1);
        assertThatThrownBy(() -> ItemCompiler.compile(unknown, f -> f, Placeholders.none()))
                .hasMessageContaining("%Nobody%");
    }

    @Test
    void fieldref_compares_two_fields() {
        assertThat(test("A", List.of(FIELDREF), text("B"), "A", "x", "B", "X")).isTrue();
        assertThat(test("A", List.of(FIELDREF), text("B"), "A", "x", "B", "y")).isFalse();
        assertThat(test("A", List.of(FIELDREF, NEQ), text("B"), "A", "x", "B", "y")).isTrue();
        assertThat(test("A", List.of(FIELDREF, ENDSWITH), text("B"), "A", "c:\\x.exe", "B", "x.exe")).isTrue();
    }

    @Test
    void keywords_search_every_field() {
        assertThat(test(null, List.of(), text("*event::clear*"), "A", "1", "B", "mimikatz # event::clear")).isTrue();
        assertThat(test(null, List.of(ALL), text("*a1*", "*b2*"), "A", "a1", "B", "b2")).isTrue();
        assertThat(test(null, List.of(), text("*zz*"), "A", "a1")).isFalse();
    }

    @Test
    void empty_string_matches_only_an_empty_value() {
        assertThat(test("F", List.of(), text(""), "F", "")).isTrue();
        assertThat(test("F", List.of(), text(""), "F", "x")).isFalse();
        assertThat(test("F", List.of(), text(""), "G", "")).isFalse();
    }

    @Test
    void nonsensical_chains_are_refused_when_read() {
        assertThat(Modifiers.check(new Item("F", List.of(RE, CONTAINS), text("x"), 1, 1))).contains("'re'");
        assertThat(Modifiers.check(new Item("F", List.of(I), text("x"), 1, 1))).contains("add '|re'");
        assertThat(Modifiers.check(new Item("F", List.of(GT), text("ten"), 1, 1))).contains("not a number");
        assertThat(Modifiers.check(new Item("F", List.of(), List.of(new SigmaValue.Text(""), new SigmaValue.Null()), 1, 1)))
                .contains("null cannot be part of a list");
        assertThat(Modifiers.suggest("contians")).contains("'contains'");
    }
}
