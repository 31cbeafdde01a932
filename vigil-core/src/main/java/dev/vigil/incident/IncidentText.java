package dev.vigil.incident;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parsing of the incident vocabulary that people type: {@code true-positive}, {@code Active}, {@code resolved}. */
final class IncidentText {
    private IncidentText() {}

    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        throw new VigilException(ErrorCode.INCIDENT_UPDATE_INVALID, "unknown " + what + " '" + text + "'; one of "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")));
    }
}
