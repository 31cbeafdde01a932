package dev.vigil.store;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.JoinReason;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reading the incident repositories' rows, the same in DuckDB and PostgreSQL. */
final class IncidentRows {
    private IncidentRows() {}

    /**
     * A placement's reason from columns 2 to 7 of a row: {@code reason, entity_kind, entity_value, other_alert,
     * gap_us, detail}.
     */
    static JoinReason joinReason(ResultSet rows) throws SQLException {
        String kind = rows.getString(3);
        EntityKey entity = kind == null ? null : new EntityKey(EntityKey.Kind.valueOf(kind), rows.getString(4));
        return new JoinReason(JoinReason.Kind.valueOf(rows.getString(2)), entity, rows.getObject(5, UUID.class),
                rows.getLong(6), rows.getString(7));
    }

    /** A text array column's values; none when it is null. */
    static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (Object value : (Object[]) array.getArray()) {
                out.add((String) value);
            }
        }
        return out;
    }
}
