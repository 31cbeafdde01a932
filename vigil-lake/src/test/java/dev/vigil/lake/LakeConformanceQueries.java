package dev.vigil.lake;

import java.util.List;

/**
 * Hunts over the {@link LakeFixture}'s telemetry, written the way analysts write them, that every engine must answer
 * alike: the embedded store, DuckDB over the lake and Spark over the lake. Each one leans on different parts of the
 * language (string operators, aggregates, time binning, joins, dynamic values); their results are deterministic (no
 * unordered take).
 */
public final class LakeConformanceQueries {
    public static final List<String> HUNTS = List.of(
            "SysmonEvent | summarize Events = count() by EventID",
            "SysmonEvent | where EventID == 1 | where CommandLine has 'powershell' | project Computer, Image, CommandLine",
            "SysmonEvent | where Image endswith '\\\\cmd.exe' or Image endswith '\\\\powershell.exe'"
                    + " | summarize Runs = count(), Hosts = dcount(Computer) by Image",
            "SysmonEvent | where CommandLine contains 'MIMIKATZ' or CommandLine has_any ('sekurlsa', 'lsadump', 'procdump')"
                    + " | project TimeCreated = time, Computer, CommandLine",
            "SysmonEvent | where EventID == 3 | summarize Connections = count() by DestinationIp, DestinationPort"
                    + " | where Connections > 1",
            "SysmonEvent | summarize Events = count() by bin(time, 1h) | sort by time asc",
            "SysmonEvent | extend Hour = hourofday(time), Day = startofday(time) | summarize count() by Hour, Day",
            "SysmonEvent | where isnotempty(ParentImage) | extend Parent = tolower(extract(@'([^\\\\]+)$', 1, ParentImage))"
                    + " | summarize Children = dcount(Image) by Parent | sort by Children desc, Parent asc | take 10",
            "SysmonEvent | where Image startswith 'C:\\\\Windows\\\\System32' and not(Image has 'svchost')"
                    + " | summarize First = min(time), Last = max(time), N = count() by Computer",
            "SysmonEvent | where EventID in (1, 3, 11) | summarize Kinds = count() by EventID, Computer",
            "SysmonEvent | where EventID == 1 | extend Len = strlen(CommandLine) | summarize Longest = max(Len),"
                    + " Average = round(avg(Len), 2) by Computer",
            "SysmonEvent | where EventID == 1 | extend Exe = tostring(split(Image, '\\\\')[-1])"
                    + " | where Exe =~ 'CMD.EXE' | count",
            "SysmonEvent | where CommandLine matches regex @'(?i)-(e|en|enc|enco|encodedcommand)\\s'"
                    + " | project Computer, CommandLine",
            "SysmonEvent | where EventID == 1 | summarize arg_max(time, CommandLine) by Computer",
            "SysmonEvent | where EventID == 1 | summarize Images = make_set(Image) by Computer"
                    + " | extend N = array_length(Images) | project Computer, N",
            "SysmonEvent | where EventID == 1 | project Computer, User | distinct Computer, User",
            "SecurityEvent | summarize count() by EventID, Computer",
            "SecurityEvent | where EventID == 4688 or EventID == 4624 | summarize Accounts = dcount(TargetUserName)"
                    + " by EventID",
            "SysmonEvent | where EventID == 1 | join kind=inner (SysmonEvent | where EventID == 3"
                    + " | summarize Connections = count() by ProcessGuid) on ProcessGuid"
                    + " | project Computer, Image, Connections",
            "SysmonEvent | where EventID == 1 | join kind=leftanti (SysmonEvent | where EventID == 3) on ProcessGuid"
                    + " | summarize NoNetwork = count() by Computer",
            "SysmonEvent | extend Suspicious = iff(CommandLine has_any ('whoami', 'net user', 'nltest'), 'recon', 'other')"
                    + " | summarize count() by Suspicious",
            "SysmonEvent | where time between (datetime(2019-01-01) .. datetime(2030-01-01))"
                    + " | summarize Days = dcount(startofday(time))",
            "DeviceProcessEvents | where FileName in~ ('cmd.exe', 'powershell.exe', 'rundll32.exe')"
                    + " | summarize Runs = count() by DeviceName, FileName",
            "DeviceNetworkEvents | summarize Remote = dcount(RemoteIP) by DeviceName",
            "SysmonEvent | where EventID == 1 | extend Args = substring(CommandLine, 0, 12)"
                    + " | summarize count() by Args | sort by count_ desc, Args asc | take 5",
            "SysmonEvent | where EventID == 1 | summarize Total = count(), Shells = countif(Image has 'cmd.exe')"
                    + " by Computer | extend Share = todouble(Shells) / Total",
            "SysmonEvent | where EventID == 1 | project Computer, Image | sort by Computer asc, Image asc | take 5");

    private LakeConformanceQueries() {}
}
