package dev.vigil.connectors;

import java.util.List;

/**
 * Microsoft Graph Security API payloads in the documented shapes ({@code alert} of {@code alerts_v2},
 * {@code incident}, the {@code alertEvidence} subtypes, OData collections with {@code @odata.nextLink}), written by hand.
 */
final class GraphPayloads {
    private GraphPayloads() {}

    static String alert(String id, String incidentId, String created, String lastUpdate) {
        return """
                {"@odata.type":"#microsoft.graph.security.alert","id":"%1$s","providerAlertId":"%1$s-p",\
                "incidentId":"%2$s","status":"new","severity":"high","classification":null,"determination":null,\
                "serviceSource":"microsoftDefenderForEndpoint","detectionSource":"antivirus",\
                "detectorId":"e0da400f-affd-43ef-b1d5-afc2eb6f2756","tenantId":"b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c",\
                "title":"Suspicious execution of hidden file","description":"A hidden file has been launched.",\
                "recommendedActions":"Collect artifacts and determine scope","category":"DefenseEvasion",\
                "assignedTo":null,"alertWebUrl":"https://security.microsoft.com/alerts/%1$s",\
                "incidentWebUrl":"https://security.microsoft.com/incidents/%2$s","actorDisplayName":null,\
                "threatDisplayName":null,"threatFamilyName":null,"mitreTechniques":["T1564.001"],\
                "createdDateTime":"%3$s","lastUpdateDateTime":"%4$s","resolvedDateTime":null,\
                "firstActivityDateTime":"%3$s","lastActivityDateTime":"%3$s","comments":[],\
                "evidence":[\
                {"@odata.type":"#microsoft.graph.security.deviceEvidence","createdDateTime":"%3$s","verdict":"unknown",\
                "remediationStatus":"none","remediationStatusDetails":null,"roles":[],"tags":[],\
                "firstSeenDateTime":"2020-09-12T07:28:32.4321753Z","mdeDeviceId":"73e7e2de709dff64ef64b1d0c30e67fab63279db",\
                "azureAdDeviceId":null,"deviceDnsName":"tempdc.contoso.com","osPlatform":"WindowsServer2016",\
                "osBuild":14393,"version":"1607","healthStatus":"active","riskScore":"high","rbacGroupId":75,\
                "rbacGroupName":"UnassignedGroup","onboardingStatus":"onboarded","defenderAvStatus":"unknown",\
                "loggedOnUsers":[{"accountName":"tempadmin","domainName":"CONTOSO"}],"ipInterfaces":["10.0.0.4"]},\
                {"@odata.type":"#microsoft.graph.security.userEvidence","createdDateTime":"%3$s","verdict":"unknown",\
                "remediationStatus":"none","roles":[],"tags":[],"userAccount":{"accountName":"user1",\
                "domainName":"contoso.com","userSid":"S-1-5-21-1-2-3-1001","azureAdUserId":null,\
                "userPrincipalName":"user1@contoso.com","displayName":"User One"}},\
                {"@odata.type":"#microsoft.graph.security.ipEvidence","createdDateTime":"%3$s","verdict":"suspicious",\
                "remediationStatus":"none","roles":["attacker"],"tags":[],"ipAddress":"203.0.113.7",\
                "countryLetterCode":"NL"},\
                {"@odata.type":"#microsoft.graph.security.fileEvidence","createdDateTime":"%3$s","verdict":"malicious",\
                "remediationStatus":"prevented","roles":[],"tags":[],"detectionStatus":"detected",\
                "mdeDeviceId":"73e7e2de709dff64ef64b1d0c30e67fab63279db","fileDetails":{"sha1":"5f1e8acedc065031aad553b710838eb366cfee9a",\
                "sha256":"8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec","fileName":"MsSense.exe",\
                "filePath":"C:\\\\Program Files\\\\temp","fileSize":6136392,"filePublisher":"Microsoft Corporation",\
                "signer":null,"issuer":null}},\
                {"@odata.type":"#microsoft.graph.security.urlEvidence","createdDateTime":"%3$s","verdict":"suspicious",\
                "remediationStatus":"none","roles":[],"tags":[],"url":"http://phish.example/login"}]}"""
                .formatted(id, incidentId, created, lastUpdate);
    }

    static String incident(String id, String lastUpdate, String... alerts) {
        return """
                {"@odata.type":"#microsoft.graph.security.incident","id":"%1$s",\
                "incidentWebUrl":"https://security.microsoft.com/incidents/%1$s","redirectIncidentId":null,\
                "displayName":"Multi-stage incident on one endpoint","tenantId":"b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c",\
                "createdDateTime":"2026-11-29T08:00:00Z","lastUpdateDateTime":"%2$s","assignedTo":null,\
                "classification":"unknown","determination":"unknown","status":"active","severity":"high",\
                "customTags":[],"comments":[],"systemTags":[],"description":null,"alerts":[%3$s]}"""
                .formatted(id, lastUpdate, String.join(",", alerts));
    }

    /** An OData collection page; {@code nextLink} null on the last page. */
    static String page(String context, String nextLink, List<String> values) {
        return "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/" + context + "\","
                + (nextLink == null ? "" : "\"@odata.nextLink\":\"" + nextLink + "\",")
                + "\"value\":[" + String.join(",", values) + "]}";
    }
}
