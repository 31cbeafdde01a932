package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a session has been discussing, so that "that host", "those users", "the second one" and "it" resolve, and a
 * follow-up such as "only the failed ones" edits the last question instead of starting over.
 *
 * @param recent entities mentioned or shown, most recent first
 * @param lastSubjects the entities the last answer was about, in the order it showed them
 * @param lastFrame the last data question's frame
 * @param lastSkills the skills of the last plan
 */
public record SessionContext(List<EntityRef> recent, List<EntityRef> lastSubjects, Optional<Frame> lastFrame,
        List<String> lastSkills) {
    private static final int REMEMBERED = 50;

    public SessionContext {
        recent = List.copyOf(recent);
        lastSubjects = List.copyOf(lastSubjects);
        requireNonNull(lastFrame, "lastFrame is null");
        lastSkills = List.copyOf(lastSkills);
    }

    public static SessionContext empty() {
        return new SessionContext(List.of(), List.of(), Optional.empty(), List.of());
    }

    /** The most recent entity of a type. */
    public Optional<EntityRef> latest(EntityType type) {
        return recent.stream().filter(e -> e.type() == type).findFirst();
    }

    /** The last answer's subjects of a type, in order. */
    public List<EntityRef> subjects(EntityType type) {
        return lastSubjects.stream().filter(e -> e.type() == type).toList();
    }

    /**
     * The context after an answer.
     *
     * @param mentioned entities the prompt named (its inputs)
     * @param subjects entities the answer was about
     * @param frame the frame of the answer, when it was a data question
     * @param skills the skills that ran
     */
    public SessionContext after(List<EntityRef> mentioned, List<EntityRef> subjects, Optional<Frame> frame,
            List<String> skills) {
        List<EntityRef> next = new ArrayList<>();
        // the prompt's own entities are the most salient, then what the answer showed
        for (EntityRef e : mentioned) {
            if (!next.contains(e)) {
                next.add(e);
            }
        }
        for (EntityRef e : subjects) {
            if (!next.contains(e)) {
                next.add(e);
            }
        }
        for (EntityRef e : recent) {
            if (!next.contains(e) && next.size() < REMEMBERED) {
                next.add(e);
            }
        }
        return new SessionContext(next, subjects.isEmpty() ? lastSubjects : subjects,
                frame.isPresent() ? frame : lastFrame, skills);
    }
}
