package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Principal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * What a running skill knows about its caller.
 *
 * @param principal who asks, in which tenant and with which role; skills read only this tenant's data
 * @param now the instant relative times are resolved against
 * @param zone the analyst's time zone
 * @param progress receives progress lines of long work ("scanned 2,000,000 of 5,000,000 events")
 */
public record SkillContext(Principal principal, Instant now, ZoneId zone, Consumer<String> progress) {
    public SkillContext {
        requireNonNull(principal, "principal is null");
        requireNonNull(now, "now is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(progress, "progress is null");
    }
}
