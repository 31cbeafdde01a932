package dev.vigil.report.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.build.RenderedReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDeliveryTest {
    private static final Delivery.Context CONTEXT = new Delivery.Context("acme", "weekly-soc", "monday-soc",
            Instant.parse("2026-11-30T08:00:00Z"), Map.of("period", "7d"));

    @TempDir
    Path folder;

    private static RenderedReport report(String fileName, String text) {
        return new RenderedReport("Weekly SOC report", fileName, "text/markdown",
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static Stream<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theReportIsWrittenUnderItsFileNameIntoAFolderCreatedIfMissing() throws Exception {
        Path target = folder.resolve("reports/weekly");
        DeliveryResult result = new FolderDelivery(new Destination.Folder(target))
                .deliver(report("weekly-soc-acme-2026-11-30.md", "# Weekly"), CONTEXT);

        assertThat(result.delivered()).isTrue();
        assertThat(result.detail()).isEqualTo("wrote " + target.resolve("weekly-soc-acme-2026-11-30.md"));
        assertThat(Files.readString(target.resolve("weekly-soc-acme-2026-11-30.md"))).isEqualTo("# Weekly");
        assertThat(names(target)).containsExactly("weekly-soc-acme-2026-11-30.md"); // no temporary file left
    }

    @Test
    void anExistingFileIsNeverReplacedButNumbered() throws Exception {
        Files.writeString(folder.resolve("weekly.md"), "last week's, edited by hand");
        FolderDelivery delivery = new FolderDelivery(new Destination.Folder(folder));

        DeliveryResult second = delivery.deliver(report("weekly.md", "second"), CONTEXT);
        DeliveryResult third = delivery.deliver(report("weekly.md", "third"), CONTEXT);

        assertThat(Files.readString(folder.resolve("weekly.md"))).isEqualTo("last week's, edited by hand");
        assertThat(Files.readString(folder.resolve("weekly-2.md"))).isEqualTo("second");
        assertThat(Files.readString(folder.resolve("weekly-3.md"))).isEqualTo("third");
        assertThat(second.detail()).endsWith("weekly-2.md (weekly.md already existed)");
        assertThat(third.delivered()).isTrue();
        assertThat(names(folder)).containsExactly("weekly-2.md", "weekly-3.md", "weekly.md");
    }

    @Test
    void aFileNameCannotLeaveTheFolder() throws Exception {
        new FolderDelivery(new Destination.Folder(folder)).deliver(report("../../etc/cron.d/x.md", "x"), CONTEXT);

        assertThat(names(folder)).containsExactly("etc-cron.d-x.md");
    }

    @Test
    void aFolderThatCannotBeWrittenIsAFailureSayingWhy() throws Exception {
        Path file = Files.writeString(folder.resolve("not-a-folder"), "x");
        DeliveryResult result = new FolderDelivery(new Destination.Folder(file)).deliver(report("a.md", "a"),
                CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).startsWith("not written: ").contains("not-a-folder");
    }
}
