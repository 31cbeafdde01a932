package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A remote entry into a machine as the tenant's events show it, with where it came from: what correlation needs to
 * place a lateral-movement alert that does not name its source (a service installed, a WMI or remote PowerShell
 * process started, as an account of many machines).
 *
 * <p>Two kinds of event show one (see {@link #of}):
 * <ul>
 *   <li>on the machine entered, a network or remote-interactive logon (Windows Security 4624, logon type 3 or 10)
 *       naming the address it came from ({@code IpAddress}) or, without one, the workstation ({@code
 *       WorkstationName});
 *   <li>on the machine it came from, a connection that machine opened (Sysmon 3, {@code Initiated}) to a remote
 *       administration port of the machine entered: SMB 445, RPC 135 (WMI, DCOM, services), WinRM 5985/5986, RDP
 *       3389, SSH 22.
 * </ul>
 *
 * @param timeMicros when the event happened
 * @param target the machine entered: a host, or an address (a connection names where it went by address)
 * @param source where it came from: an address (a logon's), or a host (the machine whose own connection it is)
 * @param account the account, when the event names one (the logon's account; the connecting process's user)
 * @param evidence what the event is, as people read it: "network logon (4624 type 3)"
 * @param eventId the event's id, to find it again
 */
public record RemoteEntry(long timeMicros, EntityKey target, EntityKey source, Optional<EntityKey> account,
        String evidence, String eventId) {

    /** Ports of remote administration: SMB, RPC (WMI, DCOM, the service manager), WinRM, RDP, SSH. */
    public static final Set<Integer> ADMIN_PORTS = Set.of(445, 135, 5985, 5986, 3389, 22);

    public RemoteEntry {
        requireNonNull(target, "target is null");
        requireNonNull(source, "source is null");
        requireNonNull(account, "account is null");
        requireNonNull(evidence, "evidence is null");
        requireNonNull(eventId, "eventId is null");
    }

    /**
     * The remote entry an event shows, or empty: a successful 4624 of logon type 3 or 10 with a source address or
     * workstation other than the machine itself, or an initiated Sysmon 3 connection to a remote administration port
     * of another address. Other events (local logons, logons without a source, connections to web or DNS ports) show
     * none.
     */
    public static Optional<RemoteEntry> of(Event event) {
        String code = event.common(CommonColumn.EVENT_CODE);
        if ("SecurityEvent".equals(event.table()) && "4624".equals(code)) {
            return logon(event);
        }
        if ("SysmonEvent".equals(event.table()) && "3".equals(code)) {
            return connection(event);
        }
        return Optional.empty();
    }

    private static Optional<RemoteEntry> logon(Event event) {
        String type = text(event.fields().get("LogonType"));
        if (!"3".equals(type) && !"10".equals(type)) {
            return Optional.empty();
        }
        Optional<EntityKey> target = hostOf(event.common(CommonColumn.HOST));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<EntityKey> source = Optional.ofNullable(event.common(CommonColumn.SRC_IP)).flatMap(EntityKey::ip)
                .or(() -> Optional.ofNullable(text(event.fields().get("WorkstationName"))).flatMap(EntityKey::host));
        if (source.isEmpty() || source.get().equals(target.get())) {
            return Optional.empty();
        }
        Optional<EntityKey> account = Optional.ofNullable(event.common(CommonColumn.USER)).flatMap(EntityKey::user);
        return Optional.of(new RemoteEntry(event.timeMicros(), target.get(), source.get(), account,
                (type.equals("10") ? "remote interactive logon" : "network logon") + " (4624 type " + type + ")",
                event.id().toString()));
    }

    private static Optional<RemoteEntry> connection(Event event) {
        if (!"true".equalsIgnoreCase(text(event.fields().get("Initiated")))) {
            return Optional.empty();
        }
        Integer port = port(event.fields().get("DestinationPort"));
        if (port == null || !ADMIN_PORTS.contains(port)) {
            return Optional.empty();
        }
        Optional<EntityKey> source = hostOf(event.common(CommonColumn.HOST));
        Optional<EntityKey> target = Optional.ofNullable(event.common(CommonColumn.DST_IP)).flatMap(EntityKey::ip)
                .or(() -> Optional.ofNullable(text(event.fields().get("DestinationHostname")))
                        .flatMap(EntityKey::host));
        if (source.isEmpty() || target.isEmpty() || target.get().equals(source.get())) {
            return Optional.empty();
        }
        Optional<EntityKey> account = Optional.ofNullable(event.common(CommonColumn.USER)).flatMap(EntityKey::user);
        return Optional.of(new RemoteEntry(event.timeMicros(), target.get(), source.get(), account,
                "connection to port " + port + " (Sysmon 3)", event.id().toString()));
    }

    private static Optional<EntityKey> hostOf(String value) {
        return value == null ? Optional.empty() : EntityKey.host(value).filter(k -> k.kind() == EntityKey.Kind.HOST);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty() || text.equals("-") ? null : text.toLowerCase(Locale.ROOT);
    }

    private static Integer port(Object value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return (int) Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
