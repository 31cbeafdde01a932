package dev.vigil.posture.inventory;

import static java.util.Objects.requireNonNull;

import dev.vigil.csv.Csv;
import dev.vigil.posture.version.Cpe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an inventory file in whatever format it is, recognized by its content:
 * <ul>
 *   <li>Vigil's JSON: {@code {"assets": [{hostname, addresses, os, os_version, owner, criticality, internet_facing,
 *       tags, software: [{name, vendor, version, purl, cpe}], services: [{port, protocol, address, process}]}],
 *       "identities": [{name, display_name, groups, admin_roles, mfa_methods, last_sign_in, enabled,
 *       password_never_expires}]}};</li>
 *   <li>Vigil's CSV, one kind per file told by its header: assets ({@code hostname} with {@code os},
 *       {@code criticality} ...), software ({@code hostname,name,version}), services ({@code hostname,port}),
 *       identities ({@code user}); lists inside a cell are separated by {@code ;};</li>
 *   <li>CycloneDX SBOMs as JSON ({@code bomFormat: CycloneDX}): the components, on the asset named by the caller or by
 *       the SBOM's subject;</li>
 *   <li>osquery results: the daemon's result log (one JSON object per line with {@code name} and {@code columns} or
 *       {@code snapshot}) or {@code osqueryi --json} output (an array of rows), for the tables {@code os_version},
 *       {@code programs}, {@code deb_packages}, {@code rpm_packages}, {@code listening_ports} and {@code users}.</li>
 * </ul>
 * A record that cannot be used is skipped with where it is and why; the rest of the file is kept.
 */
public final class InventoryFiles {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "0");

    private InventoryFiles() {}

    /**
     * @param host the asset that SBOMs and osquery output without a host name describe, or null to take it from the
     *     file (the SBOM's subject, the file name)
     */
    public static InventoryImport read(String source, byte[] content, String host) {
        requireNonNull(source, "source is null");
        requireNonNull(content, "content is null");
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String start = text.stripLeading();
        if (start.isEmpty()) {
            return InventoryImport.problem(source, "the file is empty");
        }
        Reader reader = new Reader(source, host);
        if (start.startsWith("{") || start.startsWith("[")) {
            List<JsonNode> documents = new ArrayList<>();
            try {
                JsonNode root = JSON.readTree(text);
                documents.add(root);
            } catch (JacksonException whole) {
                // the osquery daemon's result log: one JSON object per line
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].isBlank()) {
                        continue;
                    }
                    try {
                        documents.add(JSON.readTree(lines[i]));
                    } catch (JacksonException e) {
                        return InventoryImport.problem(source, "not valid JSON at line " + (i + 1) + ": "
                                + firstLine(e.getOriginalMessage()));
                    }
                }
                if (documents.size() < 2) {
                    return InventoryImport.problem(source, jsonProblem(whole));
                }
            }
            JsonNode first = documents.get(0);
            if (first.has("bomFormat") || first.has("specVersion") && first.has("components")) {
                reader.cycloneDx(first);
                return reader.result("cyclonedx");
            }
            if (first.has("assets") || first.has("identities")) {
                reader.vigilJson(first);
                return reader.result("vigil-json");
            }
            if (first.has("hostIdentifier") || first.has("columns") || first.has("snapshot") || first.isArray()) {
                for (int i = 0; i < documents.size(); i++) {
                    reader.osquery(documents.get(i), documents.size() > 1 ? ":" + (i + 1) : "");
                }
                return reader.result("osquery");
            }
            return InventoryImport.problem(source, "JSON that is none of Vigil's inventory ({\"assets\": ...}), a"
                    + " CycloneDX SBOM (bomFormat) or osquery results (hostIdentifier and columns, or an array of"
                    + " rows)");
        }
        List<String> header = Csv.header(text);
        if (!header.contains("hostname") && !header.contains("user") && !header.contains("username")) {
            return InventoryImport.problem(source, "neither JSON nor a CSV with a 'hostname' or 'user' column; the"
                    + " header is '" + String.join(",", header) + "'");
        }
        reader.vigilCsv(text, header);
        return reader.result("vigil-csv");
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String jsonProblem(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "not valid JSON" + where + ": " + firstLine(e.getOriginalMessage());
    }

    /** One file's reading: what it gave and what was rejected. */
    private static final class Reader {
        private final String source;
        private final String host;
        private final List<Asset> assets = new ArrayList<>();
        private final List<Software> software = new ArrayList<>();
        private final List<Identity> identities = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<String> rejected = new ArrayList<>();

        Reader(String source, String host) {
            this.source = source;
            this.host = host;
        }

        InventoryImport result(String format) {
            return new InventoryImport(source, format, Inventory.merge(List.of(new Inventory(assets, software,
                    identities, services))), rejected, null);
        }

        private String defaultHost() {
            if (host != null && !host.isBlank()) {
                return host;
            }
            String file = Path.of(source).getFileName().toString();
            int dot = file.indexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }

        private void reject(String where, String why) {
            rejected.add(source + where + ": " + why);
        }

        // --- Vigil JSON -----------------------------------------------------------------------------------------

        void vigilJson(JsonNode root) {
            JsonNode list = root.path("assets");
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String where = ": /assets/" + i;
                String hostname = text(item, "hostname");
                if (hostname.isEmpty()) {
                    reject(where, "an asset needs a hostname");
                    continue;
                }
                Asset asset;
                try {
                    asset = asset(hostname, strings(item.get("addresses")), text(item, "os"), text(item, "os_version"),
                            text(item, "owner"), text(item, "criticality"), text(item, "internet_facing"),
                            strings(item.get("tags")), source + where);
                } catch (IllegalArgumentException e) {
                    reject(where, e.getMessage());
                    continue;
                }
                assets.add(asset);
                JsonNode softwareList = item.path("software");
                for (int s = 0; s < softwareList.size(); s++) {
                    JsonNode entry = softwareList.get(s);
                    addSoftware(asset.id(), text(entry, "name"), text(entry, "vendor"), text(entry, "version"),
                            text(entry, "purl"), text(entry, "cpe"), where + "/software/" + s);
                }
                JsonNode serviceList = item.path("services");
                for (int s = 0; s < serviceList.size(); s++) {
                    JsonNode entry = serviceList.get(s);
                    addService(asset.id(), text(entry, "address"), text(entry, "port"), text(entry, "protocol"),
                            text(entry, "process"), where + "/services/" + s);
                }
            }
            JsonNode people = root.path("identities");
            for (int i = 0; i < people.size(); i++) {
                JsonNode item = people.get(i);
                addIdentity(text(item, "name"), text(item, "display_name"), strings(item.get("groups")),
                        strings(item.get("admin_roles")), item.has("mfa_methods") ? strings(item.get("mfa_methods"))
                                : null, text(item, "last_sign_in"), text(item, "enabled"),
                        text(item, "password_never_expires"), ": /identities/" + i);
            }
        }

        private Asset asset(String hostname, List<String> addresses, String os, String osVersion, String owner,
                String criticality, String internetFacing, List<String> tags, String where) {
            return new Asset(Asset.key(hostname), hostname, addresses, blankToNull(os), blankToNull(osVersion),
                    blankToNull(owner), Criticality.parse(criticality), bool(internetFacing, "internet_facing"), tags,
                    Origin.IMPORTED, where, null);
        }

        private void addSoftware(String assetId, String name, String vendor, String version, String purl, String cpe,
                String where) {
            if (!purl.isEmpty()) {
                try {
                    PackageUrl parsed = PackageUrl.parse(purl);
                    if (name.isEmpty()) {
                        name = parsed.name();
                    }
                    if (version.isEmpty()) {
                        version = parsed.fullVersion();
                    }
                } catch (IllegalArgumentException e) {
                    reject(where, e.getMessage());
                    return;
                }
            }
            if (!cpe.isEmpty()) {
                try {
                    Cpe parsed = Cpe.parse(cpe);
                    if (name.isEmpty()) {
                        name = parsed.product();
                    }
                    if (vendor.isEmpty()) {
                        vendor = parsed.vendor();
                    }
                    if (version.isEmpty() && !parsed.version().equals(Cpe.ANY)) {
                        version = parsed.version();
                    }
                } catch (IllegalArgumentException e) {
                    reject(where, e.getMessage());
                    return;
                }
            }
            if (name.isEmpty()) {
                reject(where, "software needs a name, a purl or a cpe");
                return;
            }
            software.add(new Software(assetId, name, vendor, version, purl, cpe, Origin.IMPORTED, source + where));
        }

        private void addService(String assetId, String address, String port, String protocol, String process,
                String where) {
            int number;
            try {
                number = Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                reject(where, "port '" + port + "' is not a number");
                return;
            }
            if (number < 0 || number > 65_535) {
                reject(where, "port " + number + " is not from 0 to 65535");
                return;
            }
            String proto = switch (protocol.strip()) {
                case "6" -> "tcp";
                case "17" -> "udp";
                default -> protocol;
            };
            services.add(new Service(assetId, address, number, proto, process, Origin.IMPORTED, source + where));
        }

        private void addIdentity(String name, String displayName, List<String> groups, List<String> adminRoles,
                List<String> mfa, String lastSignIn, String enabled, String neverExpires, String where) {
            if (name.isEmpty()) {
                reject(where, "an identity needs a name");
                return;
            }
            try {
                identities.add(new Identity(name, displayName, groups, adminRoles, mfa, instant(lastSignIn),
                        bool(enabled, "enabled"), bool(neverExpires, "password_never_expires"), Origin.IMPORTED,
                        source + where));
            } catch (IllegalArgumentException e) {
                reject(where, e.getMessage());
            }
        }

        // --- Vigil CSV ------------------------------------------------------------------------------------------

        void vigilCsv(String text, List<String> header) {
            boolean identitiesFile = !header.contains("hostname");
            boolean servicesFile = header.contains("port");
            boolean softwareFile = !servicesFile && header.contains("name") && header.contains("version");
            for (Csv.Row row : Csv.read(text)) {
                String where = ":" + row.line();
                if (row.problem() != null) {
                    reject(where, row.problem());
                    continue;
                }
                if (identitiesFile) {
                    String name = row.get("user").isEmpty() ? row.get("username") : row.get("user");
                    addIdentity(name, row.get("display_name"), list(row.get("groups")), list(row.get("admin_roles")),
                            row.values().containsKey("mfa_methods") ? list(row.get("mfa_methods")) : null,
                            row.get("last_sign_in"), row.get("enabled"), row.get("password_never_expires"), where);
                    continue;
                }
                String hostname = row.get("hostname");
                if (hostname.isEmpty()) {
                    reject(where, "the hostname is empty");
                    continue;
                }
                String assetId = Asset.key(hostname);
                if (servicesFile) {
                    addService(assetId, row.get("address"), row.get("port"), row.get("protocol"), row.get("process"),
                            where);
                } else if (softwareFile) {
                    addSoftware(assetId, row.get("name"), row.get("vendor"), row.get("version"), row.get("purl"),
                            row.get("cpe"), where);
                } else {
                    try {
                        assets.add(asset(hostname, list(row.get("addresses")), row.get("os"), row.get("os_version"),
                                row.get("owner"), row.get("criticality"), row.get("internet_facing"),
                                list(row.get("tags")), source + where));
                    } catch (IllegalArgumentException e) {
                        reject(where, e.getMessage());
                    }
                }
            }
        }

        // --- CycloneDX ------------------------------------------------------------------------------------------

        void cycloneDx(JsonNode root) {
            if (!"CycloneDX".equalsIgnoreCase(text(root, "bomFormat"))) {
                reject("", "bomFormat '" + text(root, "bomFormat") + "' is not CycloneDX");
                return;
            }
            JsonNode subject = root.path("metadata").path("component");
            String hostname = host != null && !host.isBlank() ? host
                    : "device".equals(text(subject, "type")) || "operating-system".equals(text(subject, "type"))
                            || "machine".equals(text(subject, "type")) ? text(subject, "name") : defaultHost();
            if (hostname.isEmpty()) {
                hostname = defaultHost();
            }
            Asset asset = Asset.named(hostname, Origin.IMPORTED, source);
            assets.add(asset);
            components(asset.id(), root.path("components"), "/components");
        }

        private void components(String assetId, JsonNode list, String where) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode component = list.get(i);
                String here = where + "/" + i;
                String type = text(component, "type");
                if (!type.isEmpty() && !Set.of("library", "application", "framework", "operating-system",
                        "firmware", "container", "platform", "device-driver").contains(type)) {
                    continue; // files, data, services: not installed software
                }
                String vendor = text(component.path("supplier"), "name");
                if (vendor.isEmpty()) {
                    vendor = text(component, "publisher");
                }
                if (vendor.isEmpty()) {
                    vendor = text(component, "group");
                }
                addSoftware(assetId, text(component, "name"), vendor, text(component, "version"),
                        text(component, "purl"), text(component, "cpe"), ": " + here);
                components(assetId, component.path("components"), here + "/components");
            }
        }

        // --- osquery --------------------------------------------------------------------------------------------

        void osquery(JsonNode document, String line) {
            if (document.isArray()) {
                for (int i = 0; i < document.size(); i++) {
                    osqueryRow(null, defaultHost(), document.get(i), line + ": /" + i);
                }
                return;
            }
            String query = text(document, "name");
            String hostname = text(document, "hostIdentifier");
            if (hostname.isEmpty()) {
                hostname = defaultHost();
            }
            if ("removed".equals(text(document, "action"))) {
                return;
            }
            if (document.has("snapshot")) {
                JsonNode rows = document.path("snapshot");
                for (int i = 0; i < rows.size(); i++) {
                    osqueryRow(query, hostname, rows.get(i), line + ": /snapshot/" + i);
                }
            } else if (document.has("columns")) {
                osqueryRow(query, hostname, document.path("columns"), line);
            } else {
                reject(line, "an osquery result without 'columns' or 'snapshot'");
            }
        }

        /** One row of an osquery table, the table told by the query's name or else by its columns. */
        private void osqueryRow(String query, String hostname, JsonNode row, String where) {
            String table = osqueryTable(query, row);
            String rowHost = text(row, "hostname").isEmpty() ? text(row, "host_identifier") : text(row, "hostname");
            String assetHost = rowHost.isEmpty() ? hostname : rowHost;
            String assetId = Asset.key(assetHost);
            if (table == null) {
                reject(where, "an osquery row of no table Vigil reads (os_version, programs, deb_packages,"
                        + " rpm_packages, listening_ports, users); its columns are " + fieldNames(row));
                return;
            }
            switch (table) {
                case "os_version" -> assets.add(new Asset(assetId, assetHost, List.of(), text(row, "name"),
                        text(row, "version"), null, null, null, List.of(), Origin.IMPORTED, source + where, null));
                case "programs" -> addSoftware(assetId, text(row, "name"), text(row, "publisher"),
                        text(row, "version"), "", "", where);
                case "deb_packages" -> {
                    String name = text(row, "name");
                    String version = text(row, "version");
                    addSoftware(assetId, name, text(row, "maintainer"), version, "pkg:deb/debian/" + name + "@"
                            + version + (text(row, "arch").isEmpty() ? "" : "?arch=" + text(row, "arch")), "", where);
                }
                case "rpm_packages" -> {
                    String name = text(row, "name");
                    String epoch = text(row, "epoch");
                    String version = text(row, "version") + (text(row, "release").isEmpty() ? ""
                            : "-" + text(row, "release"));
                    String full = epoch.isEmpty() || epoch.equals("0") ? version : epoch + ":" + version;
                    addSoftware(assetId, name, text(row, "vendor"), full, "pkg:rpm/" + name + "@" + version
                            + (epoch.isEmpty() || epoch.equals("0") ? "" : "?epoch=" + epoch), "", where);
                }
                case "listening_ports" -> {
                    if (!text(row, "port").isEmpty() && !"0".equals(text(row, "port"))) {
                        addService(assetId, text(row, "address"), text(row, "port"), text(row, "protocol"),
                                text(row, "name"), where);
                    }
                }
                case "users" -> {
                    String uid = text(row, "uid");
                    identities.add(new Identity(text(row, "username"), text(row, "description"),
                            "0".equals(uid) ? List.of("root") : List.of(), List.of(), null, null, null, null,
                            Origin.IMPORTED, source + where));
                }
                default -> throw new IllegalStateException(table);
            }
            if (!"os_version".equals(table)) {
                assets.add(Asset.named(assetHost, Origin.IMPORTED, source + where));
            }
        }

        private static String osqueryTable(String query, JsonNode row) {
            if (query != null) {
                String lower = query.toLowerCase(Locale.ROOT);
                for (String table : List.of("os_version", "deb_packages", "rpm_packages", "listening_ports",
                        "programs", "users")) {
                    if (lower.contains(table)) {
                        return table;
                    }
                }
            }
            if (row.has("port") && (row.has("pid") || row.has("protocol"))) {
                return "listening_ports";
            }
            if (row.has("release") && row.has("version") && row.has("name")) {
                return "rpm_packages";
            }
            if (row.has("platform") && row.has("major") && row.has("version")) {
                return "os_version";
            }
            if (row.has("username") && row.has("uid")) {
                return "users";
            }
            if (row.has("publisher") || row.has("install_location")) {
                return "programs";
            }
            if (row.has("arch") && row.has("version") && row.has("name")) {
                return "deb_packages";
            }
            return null;
        }

        private static String fieldNames(JsonNode row) {
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.properties().iterator(); it.hasNext();) {
                names.add(it.next().getKey());
            }
            return String.join(", ", names);
        }
    }

    // --- values -----------------------------------------------------------------------------------------------

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainer() ? "" : value.asString().strip();
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return list(node.asString());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.asString().isBlank()) {
                out.add(item.asString().strip());
            }
        }
        return out;
    }

    private static List<String> list(String cell) {
        List<String> out = new ArrayList<>();
        for (String part : cell.split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Boolean bool(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String lower = text.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return true;
        }
        if (FALSE.contains(lower)) {
            return false;
        }
        throw new IllegalArgumentException(field + " '" + text + "' is not true or false");
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("last_sign_in '" + text + "' is not an ISO-8601 time"
                    + " (2025-01-31 or 2025-01-31T08:00:00Z)");
        }
    }
}
