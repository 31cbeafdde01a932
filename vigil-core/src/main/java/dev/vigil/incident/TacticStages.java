package dev.vigil.incident;

import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Tactic;
import dev.vigil.intel.attack.Technique;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where techniques stand in the attack's progression: the position of their latest tactic in the ATT&CK matrix
 * (reconnaissance first, impact last), from the tenant's ATT&CK knowledge.
 */
public interface TacticStages {
    /** The latest stage any of the techniques reaches, or -1 when none is known. */
    int stage(List<String> techniques);

    /** The tactic's name at a stage, for explanations. */
    String tacticName(int stage);

    /** Without ATT&CK knowledge, no stage is known and no progression is seen. */
    static TacticStages unknown() {
        return new TacticStages() {
            @Override
            public int stage(List<String> techniques) {
                return -1;
            }

            @Override
            public String tacticName(int stage) {
                return "unknown";
            }
        };
    }

    /**
     * Stages from knowledge loaded on first use, so that a run with no alert to place does not pay for reading the
     * ATT&CK bundle; without knowledge, no stage is known.
     */
    static TacticStages lazy(java.util.function.Supplier<Optional<AttackKnowledge>> knowledge) {
        return new TacticStages() {
            private TacticStages loaded;

            private TacticStages loaded() {
                if (loaded == null) {
                    loaded = knowledge.get().map(TacticStages::of).orElse(unknown());
                }
                return loaded;
            }

            @Override
            public int stage(List<String> techniques) {
                return techniques.isEmpty() ? -1 : loaded().stage(techniques);
            }

            @Override
            public String tacticName(int stage) {
                return loaded().tacticName(stage);
            }
        };
    }

    /** The stages of ATT&CK's enterprise matrix. */
    static TacticStages of(AttackKnowledge knowledge) {
        List<Tactic> tactics = knowledge.tactics();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < tactics.size(); i++) {
            position.put(tactics.get(i).shortname(), i);
        }
        Map<String, Integer> cache = new HashMap<>();
        return new TacticStages() {
            @Override
            public int stage(List<String> techniques) {
                int best = -1;
                for (String id : techniques) {
                    best = Math.max(best, cache.computeIfAbsent(id.toUpperCase(Locale.ROOT), this::latest));
                }
                return best;
            }

            private int latest(String id) {
                Optional<Technique> technique = knowledge.technique(id);
                int best = -1;
                for (Technique.TacticRef tactic : technique.map(Technique::tactics).orElse(List.of())) {
                    best = Math.max(best, position.getOrDefault(tactic.shortname(), -1));
                }
                return best;
            }

            @Override
            public String tacticName(int stage) {
                return stage >= 0 && stage < tactics.size() ? tactics.get(stage).name() : "unknown";
            }
        };
    }
}
