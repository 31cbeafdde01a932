package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** A small tenant and vocabulary shared by the extractor's tests. */
final class Fixtures {
    private Fixtures() {}

    static final Instant NOW = Instant.parse("2026-11-29T15:30:00Z");

    /** A slice of the planner's vocabulary. */
    static final List<String> LEXICON = List.of("show", "list", "which", "what", "who", "how", "many", "count", "top",
            "process", "processes", "procs", "host", "hosts", "user", "users", "logon", "logons", "failed",
            "successful", "powershell", "incident", "incidents", "summarize", "explain", "touching", "touched",
            "accessed", "network", "connection", "connections", "conns", "connected", "external", "ran", "started",
            "launched", "spawned", "on", "by", "for", "in", "the", "last", "past", "since", "between", "and", "or",
            "of", "to", "from", "is", "was", "did", "anything", "malicious", "alerts", "alert", "rule", "rules",
            "fired", "file", "files", "registry", "persistence", "run", "running", "keys", "service", "services",
            "dns", "query", "domain", "domains", "hour", "hours", "day", "days", "week", "today", "yesterday",
            "analyze", "behavior", "happen", "admin", "longer", "than", "via", "known", "isolate", "memory");

    static final ValueDictionary DICTIONARY = ValueDictionary.of(Map.of(
            EntityType.HOST, List.of("WORKSTATION5", "WORKSTATION6", "WS5.corp.local", "DC01.corp.local",
                    "SRV-WEB-01", "WORKSTATION5.corp.com"),
            EntityType.USER, List.of("CORP\\jdoe", "alice@corp.com", "jsmith", "jsmyth", "admin", "svc_backup"),
            EntityType.PROCESS, List.of("powershell.exe", "lsass.exe", "C:\\Windows\\System32\\rundll32.exe",
                    "mimikatz.exe"),
            EntityType.RULE, List.of("Suspicious LSASS Access", "Encoded PowerShell Command"),
            EntityType.PRODUCT, List.of("Microsoft Exchange Server", "OpenSSL")));

    static final KnowledgeNames KNOWLEDGE = KnowledgeNames.of(Map.of(
            EntityType.TECHNIQUE, Map.of("os credential dumping", "T1003", "credential dumping", "T1003",
                    "lsass memory", "T1003.001", "os credential dumping: lsass memory", "T1003.001",
                    "powershell", "T1059.001", "pass the hash", "T1550.002", "at", "T1053.002"),
            EntityType.TACTIC, Map.of("lateral movement", "TA0008", "persistence", "TA0003",
                    "credential access", "TA0006"),
            EntityType.ACTOR, Map.of("apt29", "G0016", "cozy bear", "G0016", "the dukes", "G0016")));

    static final Extractor EXTRACTOR = new Extractor(LEXICON, DICTIONARY, KNOWLEDGE);

    static Extraction extract(String prompt) {
        return EXTRACTOR.extract(prompt, NOW, ZoneOffset.UTC);
    }

    /** {@code TYPE value}, and {@code <- text} when the prompt wrote it differently. */
    static String describe(Mention mention) {
        String described = mention.type() + " " + mention.value();
        return mention.text().equals(mention.value()) ? described : described + " <- " + mention.text();
    }
}
