package dev.vigil.hunt;

import dev.vigil.model.Alert;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an alert's entities from a result row by its columns' names, as Sentinel's entity mapping does but without
 * configuration: Vigil's common columns ({@code host}, {@code user}, {@code src_ip} ...), the native names of
 * Windows logs ({@code Computer}, {@code TargetUserName}, {@code IpAddress}) and Defender's ({@code DeviceName},
 * {@code AccountName}, {@code RemoteIP}, {@code SHA256}, {@code InitiatingProcessFileName}). Names compare ignoring
 * case; empty values, {@code -} and JSON nulls are skipped.
 *
 * <p>Defender's {@code RemoteIP} is the peer of the device, so it maps to {@code dst_ip}; correlation folds source and
 * destination addresses to one kind, so the direction only affects how an alert reads.
 */
public final class EntityColumns {
    /** Folded column name to entity kind. */
    private static final Map<String, String> KINDS = kinds();

    private EntityColumns() {}

    private static Map<String, String> kinds() {
        Map<String, String> kinds = new java.util.HashMap<>();
        put(kinds, "host", "host", "devicename", "computer", "computername", "hostname", "dvchost", "dvchostname");
        put(kinds, "user", "user", "username", "accountname", "accountupn", "userprincipalname", "targetusername",
                "subjectusername", "initiatingprocessaccountname", "initiatingprocessaccountupn", "account");
        put(kinds, "src_ip", "src_ip", "srcip", "sourceip", "sourceipaddress", "ipaddress", "clientip", "callerip",
                "callingipaddress", "localip");
        put(kinds, "dst_ip", "dst_ip", "dstip", "destinationip", "destinationipaddress", "remoteip");
        put(kinds, "file_hash", "file_hash", "sha256", "sha1", "md5", "hash", "hashes", "initiatingprocesssha256",
                "initiatingprocesssha1", "initiatingprocessmd5");
        put(kinds, "process", "process", "image", "processname", "newprocessname", "initiatingprocessfilename");
        put(kinds, "parent_process", "parent_process", "parentimage", "parentprocessname",
                "initiatingprocessparentfilename");
        put(kinds, Alert.PROCESS_GUID, "processguid", "process_guid", "parentprocessguid");
        put(kinds, "domain", "domain", "queryname", "dnsquery", "remotedomain");
        put(kinds, "url", "url", "remoteurl", "requesturl", "fileoriginurl");
        return Map.copyOf(kinds);
    }

    private static void put(Map<String, String> kinds, String kind, String... columns) {
        for (String column : columns) {
            kinds.put(column, kind);
        }
    }

    /** The entity kind a column maps to, or null. */
    public static String kindOf(String column) {
        return KINDS.get(column.toLowerCase(Locale.ROOT));
    }

    /** The entities of one row, in column order, each kind and value once. */
    public static List<Alert.Entity> entities(List<String> columns, List<Object> row) {
        Set<Alert.Entity> entities = new LinkedHashSet<>();
        add(entities, columns, row);
        return new ArrayList<>(entities);
    }

    static void add(Set<Alert.Entity> entities, List<String> columns, List<Object> row) {
        for (int i = 0; i < columns.size(); i++) {
            String kind = kindOf(columns.get(i));
            Object value = row.get(i);
            if (kind == null || value == null) {
                continue;
            }
            String text = value.toString().strip();
            if (text.isEmpty() || text.equals("-") || text.equals("null") || text.length() > 2048) {
                continue;
            }
            entities.add(new Alert.Entity(kind, kind.equals(Alert.PROCESS_GUID) ? text.toLowerCase(Locale.ROOT) : text));
        }
    }
}
