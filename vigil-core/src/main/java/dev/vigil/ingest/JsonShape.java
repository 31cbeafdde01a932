package dev.vigil.ingest;

/** The producers of JSON records that Vigil recognizes; {@code --format} may force one. */
public enum JsonShape {
    /** Recognize each record by its fields. */
    AUTO,
    /** evtx_dump / python-evtx: {@code {"Event":{"System":{..},"EventData":{..}}}}. */
    EVTX,
    /** Elastic Winlogbeat, 6.x ({@code event_data}) and 7+ ({@code winlog.event_data}). */
    WINLOGBEAT,
    /** NXLog im_msvistalog flat records ({@code EventID}, {@code Channel}, {@code Hostname}). */
    NXLOG,
    /** Microsoft Sentinel (Log Analytics) exports, table in {@code Type}. */
    SENTINEL,
    /** Microsoft Defender XDR advanced-hunting exports ({@code Timestamp}, {@code ActionType}). */
    DEFENDER,
    /** Open Cybersecurity Schema Framework events ({@code class_uid}). */
    OCSF,
    /** Zeek (Bro) network logs in JSON ({@code ts}, {@code uid}, {@code id.orig_h}), table {@code Zeek<Log>}. */
    ZEEK,
    /** Any other JSON object: kept as it is, in the default table. */
    GENERIC
}
