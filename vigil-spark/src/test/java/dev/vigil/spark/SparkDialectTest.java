package dev.vigil.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the Spark dialect writes where Spark SQL differs from DuckDB (no Spark needed to check it). */
@DisplayName("The Spark SQL dialect")
class SparkDialectTest {
    private static final KqlCompiler COMPILER = new KqlCompiler(HuntCatalog.of(List.of(new HuntCatalog.Table(
            "SysmonEvent", List.of(new HuntCatalog.Column("time", "time", KqlType.DATETIME),
                    new HuntCatalog.Column("tenant", "tenant", KqlType.STRING),
                    new HuntCatalog.Column("Computer", "Computer", KqlType.STRING),
                    new HuntCatalog.Column("Image", "Image", KqlType.STRING),
                    new HuntCatalog.Column("ProcessGuid", "ProcessGuid", KqlType.STRING),
                    new HuntCatalog.Column("EventID", "EventID", KqlType.LONG))))), SparkDialect.INSTANCE);

    private static String sql(String kql) {
        return COMPILER.compile(kql, "acme", Map.of()).sql();
    }

    @Test
    void escapesLiteralsTheWaySparksParserUnescapesThem() {
        assertThat(SparkDialect.string("C:\\Windows\\it's")).isEqualTo("'C:\\\\Windows\\\\it\\'s'");
        assertThat(SparkDialect.INSTANCE.quote("odd`name")).isEqualTo("`odd``name`");
    }

    @Test
    void fixesTheTenantInEveryScanWithBacktickedNames() {
        assertThat(sql("SysmonEvent | count")).contains("FROM `SysmonEvent`\n  WHERE `tenant` = 'acme'");
    }

    @Test
    void writesWhatSparkHasInPlaceOfDuckDbsClauses() {
        assertThat(sql("SysmonEvent | join kind=leftanti (SysmonEvent | where EventID == 3) on ProcessGuid"))
                .contains("LEFT ANTI JOIN");
        assertThat(sql("SysmonEvent | summarize arg_max(time, Image) by Computer")).contains("max_by(");
        assertThat(sql("SysmonEvent | sort by time desc | take 5")).contains("LIMIT CAST(5L AS INT)");
        assertThat(sql("SysmonEvent | where Image matches regex @'\\\\cmd\\.exe$'")).contains("RLIKE '\\\\\\\\cmd\\\\.exe$'");
        assertThat(sql("SysmonEvent | extend Parts = split(Image, '.')")).contains("split(`Image`, '\\\\.', -1)");
    }

    @Test
    void mapsDotNetDateFormatsToSparkPatterns() {
        assertThat(SparkDialect.datePattern("yyyy-MM-dd HH:mm:ss.fff")).isEqualTo("yyyy-MM-dd HH:mm:ss.SSS");
        assertThat(SparkDialect.datePattern("dd/MM/yyyy T")).isEqualTo("dd/MM/yyyy 'T'");
    }
}
