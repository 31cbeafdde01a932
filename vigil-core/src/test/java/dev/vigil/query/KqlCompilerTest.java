package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The KQL compiler")
class KqlCompilerTest {
    /** A tenant that stored Sysmon process creations with a few fields; no Security events. */
    private static final HuntCatalog CATALOG = HuntCatalog.of(List.of(new HuntCatalog.Table("SysmonEvent", List.of(
            new HuntCatalog.Column("time", "time", KqlType.DATETIME),
            new HuntCatalog.Column("tenant", "tenant", KqlType.STRING),
            new HuntCatalog.Column("EventID", "EventID", KqlType.LONG),
            new HuntCatalog.Column("Computer", "Computer", KqlType.STRING),
            new HuntCatalog.Column("Image", "Image", KqlType.STRING),
            new HuntCatalog.Column("CommandLine", "CommandLine", KqlType.STRING),
            new HuntCatalog.Column("User", "User_native", KqlType.STRING)))));

    private final KqlCompiler compiler = new KqlCompiler(CATALOG, DuckDbDialect.INSTANCE);

    private String sql(String kql) {
        return compiler.compile(kql, "acme", Map.of()).sql();
    }

    @Test
    void writesGoldenSqlForAFilterAndAggregation() {
        assertThat(sql("SysmonEvent | where EventID == 1 and CommandLine has \"whoami\" | summarize count() by Computer")).isEqualTo("""
                SELECT "Computer" AS "Computer",
                  count(*) AS "count_"
                FROM (
                  SELECT *
                  FROM "SysmonEvent"
                  WHERE "tenant" = 'acme' AND (("EventID" = 1) AND ("CommandLine" ILIKE '%whoami%' AND regexp_matches("CommandLine", '(?i)(?:^|[^0-9A-Za-z])whoami(?:$|[^0-9A-Za-z])')))
                ) AS t1
                GROUP BY 1""");
    }

    @Test
    void writesGoldenSqlForTopWithLetAndCaseInsensitiveEquality() {
        assertThat(sql("let host = 'WS1';\nSysmonEvent | where Computer =~ host | project Computer, Image | top 3 by Image asc")).isEqualTo("""
                SELECT *
                FROM (
                  SELECT "Computer" AS "Computer",
                    "Image" AS "Image"
                  FROM (
                    SELECT *
                    FROM "SysmonEvent"
                    WHERE "tenant" = 'acme' AND (lower("Computer") = 'ws1')
                  ) AS t1
                ) AS t2
                ORDER BY "Image" ASC NULLS FIRST
                LIMIT 3""");
    }

    @Test
    void injectsTheTenantIntoEveryScanIncludingViewsAndSubqueries() {
        String sql = sql("DeviceProcessEvents | where DeviceName in ((SysmonEvent | distinct Computer)) "
                + "| join kind=inner (SysmonEvent | project Computer) on $left.DeviceName == $right.Computer");

        assertThat(sql.split("FROM \"SysmonEvent\"", -1)).hasSize(4);
        assertThat(sql.split("WHERE \"tenant\" = 'acme'", -1)).hasSize(4);
        assertThat(sql).doesNotContainIgnoringCase("insert").doesNotContainIgnoringCase("delete").startsWith("SELECT");
    }

    @Test
    void mapsDefenderViewsOntoStoredFieldsAndNullsWhatTheTenantLacks() {
        KqlCompiler.Compiled compiled = compiler.compile(
                "DeviceProcessEvents | project Timestamp, DeviceName, FileName, AccountName, SHA256", "acme", Map.of());

        assertThat(compiled.sql())
                .contains("\"Computer\" AS \"DeviceName\"")
                .contains("regexp_extract(\"Image\", '([^\\\\/]+)$'")
                .contains("regexp_extract(\"User_native\", '([^\\\\]+)$'")
                .contains("CAST(NULL AS VARCHAR) AS \"SHA256\"") // the tenant stored no Hashes field
                .doesNotContain("SecurityEvent"); // nor Security events: that source adds nothing
        assertThat(compiled.columns()).extracting(KqlCompiler.OutputColumn::name)
                .containsExactly("Timestamp", "DeviceName", "FileName", "AccountName", "SHA256");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "~>", quoteCharacter = '^', textBlock = """
            SysmonEvnt | take 1 ~> 1:1: unknown table 'SysmonEvnt' (did you mean 'SysmonEvent'?)
            SysmonEvent | where Computr == 'x' ~> 1:21: unknown column 'Computr' (did you mean 'Computer'?)
            SysmonEvent | extend x = tolowr(Image) ~> 1:26: unknown function 'tolowr' (did you mean 'tolower'?)
            SysmonEvent | summarize Image ~> 1:25: summarize needs an aggregation such as count(), dcount(x), sum(x) or make_set(x), found Image
            SysmonEvent | where count() > 1 ~> 1:21: count() is an aggregation: use it in summarize
            SysmonEvent | join kind=sideways (SysmonEvent) on Image ~> 1:15: unknown join kind 'sideways' (expected inner, innerunique, leftouter, rightouter, fullouter, leftsemi, leftanti, rightsemi or rightanti)
            SysmonEvent | extend x = iff(EventID == 1, 'a') ~> 1:26: iff() takes 3 arguments, found 2
            SysmonEvent | take 'ten' ~> 1:20: expected a number of rows, found a string
            SysmonEvent | where Timestamp > ago(5) ~> 1:33: ago expects a timespan such as 1d or 30m, found a number
            """)
    void reportsSemanticErrorsWithTheirPosition(String query, String message) {
        KqlSyntaxException error = catchThrowableOfType(KqlSyntaxException.class, () -> sql(query.strip()));

        assertThat(error).as(query).isNotNull();
        assertThat(error.getMessage()).isEqualTo(message.strip());
    }

    @Test
    void keepsTheRenderHintAndReportsTheTablesRead() {
        KqlCompiler.Compiled compiled = compiler.compile("let p = DeviceProcessEvents | take 1;\n"
                + "p | union SysmonEvent | summarize count() by bin(Timestamp, 1h) | render timechart", "acme", Map.of());

        assertThat(compiled.chart()).isEqualTo("timechart");
        assertThat(compiled.tables()).containsExactlyInAnyOrder("DeviceProcessEvents", "SysmonEvent");
        assertThat(compiled.columns()).extracting(KqlCompiler.OutputColumn::name).containsExactly("Timestamp", "count_");
    }

    @Test
    void bindsQueryParameters() {
        String sql = compiler.compile("declare query_parameters(host:string, n:long = 5);\nSysmonEvent | where Computer == host | take n",
                "acme", Map.of("host", "WS'1")).sql();

        assertThat(sql).contains("(\"Computer\" = 'WS''1')").contains("LIMIT 5");
    }
    @Test
    void boundsEveryScanByTheScheduledWindowAndFixesNow() {
        TimeWindow window = new TimeWindow(java.time.Instant.parse("2024-05-01T11:00:00Z"),
                java.time.Instant.parse("2024-05-01T13:00:00Z"));

        String sql = compiler.compile("DeviceProcessEvents | where Timestamp > ago(30m) | join kind=inner "
                + "(SysmonEvent | where TimeGenerated <= now()) on $left.DeviceName == $right.Computer", "acme",
                Map.of(), window).sql();

        assertThat(sql.split("\"time\" >= CAST\\('2024-05-01T11:00:00Z' AS TIMESTAMPTZ\\) AND \"time\" < "
                + "CAST\\('2024-05-01T13:00:00Z' AS TIMESTAMPTZ\\)", -1)).hasSize(3);
        assertThat(sql).doesNotContain("now()")
                .contains("(CAST('2024-05-01T13:00:00Z' AS TIMESTAMPTZ) - to_microseconds(CAST(1800000000 AS BIGINT)))");
        assertThat(sql("SysmonEvent | take 1")).doesNotContain("\"time\" >=");
    }

    @Test
    void givesEveryDefenderViewTheStoredEventId() {
        KqlCompiler.Compiled compiled = compiler.compile("DeviceProcessEvents | project DeviceName, event_id", "acme", Map.of());

        assertThat(compiled.columns()).extracting(KqlCompiler.OutputColumn::name).containsExactly("DeviceName", "event_id");
        for (String view : List.of("DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileEvents", "DeviceLogonEvents",
                "DeviceEvents", "IdentityLogonEvents")) {
            assertThat(compiler.compile(view, "acme", Map.of()).columns()).extracting(KqlCompiler.OutputColumn::name)
                    .as(view).endsWith("event_id");
        }
    }

    @Test
    void convertsAPassedParameterToItsDeclaredType() {
        String sql = compiler.compile("declare query_parameters(since:datetime, span:timespan = 1h);"
                + " SysmonEvent | where Timestamp between (since .. (since + span))", "acme",
                Map.of("since", "2024-05-01T00:00:00Z")).sql();

        assertThat(sql).contains("CAST('2024-05-01T00:00:00Z' AS TIMESTAMPTZ)");
        assertThat(compiler.compile("declare query_parameters(span:timespan); SysmonEvent | where Timestamp > ago(span)",
                "acme", Map.of("span", java.time.Duration.ofMinutes(5))).sql()).contains("CAST(300000000 AS BIGINT)");
    }

    @Test
    void listsTheDeclaredParametersAndRefusesAnUnknownType() {
        assertThat(KqlCompiler.declaredParameters("declare query_parameters(a:string, b:int = 3); SysmonEvent"))
                .containsExactly(new QueryParameter("a", KqlType.STRING, "string", null),
                        new QueryParameter("b", KqlType.LONG, "int", "3"));
        assertThat(catchThrowableOfType(KqlSyntaxException.class, () -> KqlCompiler.declaredParameters(
                "declare query_parameters(a:text); SysmonEvent")).detail()).startsWith("unknown type 'text' of query parameter 'a'");
    }
}
