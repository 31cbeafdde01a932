package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiteralIndexTest {

    private static List<Integer> found(LiteralIndex index, String text) {
        LiteralIndex.Hits hits = new LiteralIndex.Hits();
        index.scan(text, hits);
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < hits.size; k++) {
            if (!ids.contains(hits.ids[k])) {
                ids.add(hits.ids[k]);
            }
        }
        return ids.stream().sorted().toList();
    }

    @Test
    void finds_short_and_long_literals_anywhere_whatever_the_case() {
        LiteralIndex index = new LiteralIndex();
        int cmd = index.add("cmd");
        int rundll = index.add("\\rundll32.exe");
        int she = index.add("she");
        int he = index.add("he");
        index.build();
        assertThat(found(index, "C:\\Windows\\System32\\RUNDLL32.EXE shell")).containsExactly(rundll, she, he);
        assertThat(found(index, "xCMDx")).containsExactly(cmd);
        assertThat(found(index, "no match at all")).isEmpty();
        assertThat(found(index, "")).isEmpty();
    }

    @Test
    void a_long_literal_is_found_by_its_rarest_window_so_a_text_sharing_common_parts_is_not_a_candidate() {
        LiteralIndex index = new LiteralIndex();
        List<Integer> ids = new ArrayList<>();
        for (String tool : List.of("rundll32", "regsvr32", "mshta", "certutil", "bitsadmin")) {
            ids.add(index.add("c:\\windows\\system32\\" + tool + ".exe"));
        }
        index.build();
        assertThat(found(index, "C:\\Windows\\System32\\notepad.exe")).isEmpty();
        assertThat(found(index, "C:\\Windows\\System32\\certutil.exe -urlcache")).contains(ids.get(3));
    }

    @Test
    void non_ascii_text_is_folded_too() {
        LiteralIndex index = new LiteralIndex();
        int id = index.add("überwachung");
        index.build();
        assertThat(found(index, "Die ÜBERWACHUNG läuft")).containsExactly(id);
    }
}
