package dev.vigil.copilot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.plan.Frame.Filter;
import dev.vigil.copilot.plan.Frame.Intent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How questions read into frames: concept, intent, projection, grouping, filters and coverage. */
class FrameReaderTest {
    private final FrameReader reader = new FrameReader(Lexicon.builtIn());

    /** Reads a question whose entities are marked as {@code [TYPE:value:text]}. */
    private Frame read(String marked) {
        return readMaybe(marked).orElseThrow(() -> new AssertionError("no frame for: " + marked));
    }

    private Optional<Frame> readMaybe(String marked) {
        StringBuilder text = new StringBuilder();
        List<Mention> mentions = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\w+):([^:\\]]+):([^\\]]+)\\]").matcher(marked);
        int at = 0;
        while (m.find()) {
            text.append(marked, at, m.start());
            int start = text.length();
            text.append(m.group(3));
            mentions.add(new Mention(EntityType.valueOf(m.group(1)), m.group(2), m.group(3), start, text.length(), 1));
            at = m.end();
        }
        text.append(marked.substring(at));
        return reader.read(text.toString(), mentions, Optional.empty());
    }

    @Test
    void aVerbNamesTheConceptAndARoleWordAfterWhichIsWhatIsAskedFor() {
        Frame frame = read("which processes accessed [PROCESS:lsass.exe:lsass]");
        assertThat(frame.concept().name()).isEqualTo("process_access");
        assertThat(frame.intent()).isEqualTo(Intent.DISTINCT);
        assertThat(frame.projection()).contains("process");
        assertThat(frame.filters()).containsExactly(new Filter("target", "name", "lsass.exe", "lsass"));
    }

    @Test
    void socShorthandStillReadsAsProcessAccessOnAHost() {
        Frame frame = read("procs on [HOST:WS007.corp:ws007] touching [PROCESS:lsass.exe:lsass]");
        assertThat(frame.concept().name()).isEqualTo("process_access");
        assertThat(frame.filters()).extracting(Filter::role).containsExactlyInAnyOrder("host", "target");
    }

    @Test
    void howManyOutranksWereThere() {
        assertThat(read("how many failed logons were there").intent()).isEqualTo(Intent.COUNT);
        assertThat(read("were there any failed logons").intent()).isEqualTo(Intent.EXISTS);
        assertThat(read("failed logons per hour").intent()).isEqualTo(Intent.TIMELINE);
    }

    @Test
    void byAndPerGroupAndTopNLimits() {
        Frame frame = read("top 5 source addresses of failed sign-ins");
        assertThat(frame.concept().name()).isEqualTo("signin");
        assertThat(frame.intent()).isEqualTo(Intent.TOP);
        assertThat(frame.limit()).isEqualTo(5);
        assertThat(frame.projection()).contains("src_ip");
        assertThat(read("failed sign-ins by source ip").groupBy()).containsExactly("src_ip");
    }

    @Test
    void modifiersAndCountriesBecomeFilters() {
        Frame frame = read("failed sign-ins for admin accounts from outside the US");
        assertThat(frame.filters()).contains(new Filter("outcome", "eq", "failure", "failed"),
                new Filter("user", "contains", "admin", "admin accounts"));
        assertThat(frame.filters()).anySatisfy(f -> {
            assertThat(f.role()).isEqualTo("country");
            assertThat(f.op()).isEqualTo("ne");
            assertThat(f.value()).isEqualTo("US");
        });
        assertThat(read("sign-ins from germany").filters()).anySatisfy(f -> assertThat(f.value()).isEqualTo("DE"));
    }

    @Test
    void aProcessAfterByOrWhatDidIsTheParent() {
        assertThat(read("processes started by [PROCESS:winword.exe:winword]").filters())
                .containsExactly(new Filter("parent", "name", "winword.exe", "winword"));
        assertThat(read("what did [PROCESS:winword.exe:WINWORD.EXE] spawn").filters())
                .containsExactly(new Filter("parent", "name", "winword.exe", "WINWORD.EXE"));
    }

    @Test
    void addressesTakeTheirDirectionFromTheWordsBefore() {
        assertThat(read("connections to [IP:198.51.100.23:198.51.100.23]").filters())
                .containsExactly(new Filter("dst_ip", "eq", "198.51.100.23", "198.51.100.23"));
        assertThat(read("which machines connected with [IP:198.51.100.23:198.51.100.23]").filters())
                .extracting(Filter::role).containsExactly("dst_ip");
        assertThat(read("logons from [IP:10.0.0.5:10.0.0.5]").filters())
                .containsExactly(new Filter("src_ip", "eq", "10.0.0.5", "10.0.0.5"));
    }

    @Test
    void aQuestionWithNoConceptHasNoFrame() {
        assertThat(readMaybe("what's the weather in Paris tomorrow")).isEmpty();
        assertThat(readMaybe("summarize incident 12")).isEmpty();
    }

    @Test
    void confidenceIsTheShareOfTheQuestionItAccountsFor() {
        double full = read("failed logons by user").confidence();
        double partial = read("failed logons for the quarterly board deck").confidence();
        assertThat(full).isEqualTo(1.0);
        assertThat(partial).isLessThan(0.8);
        assertThat(read("failed logons for the quarterly board deck").unknown()).contains("quarterly", "board", "deck");
    }

    @Test
    void theTimeRangeIsCarried() {
        TimeRange week = new TimeRange(Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"),
                "last week");
        Frame frame = reader.read("failed logons last week", List.of(), Optional.of(week)).orElseThrow();
        assertThat(frame.time()).contains(week);
        assertThat(frame.unknown()).isEmpty();
    }
}
