package dev.vigil.connectors;

import static dev.vigil.connectors.FakeMicrosoft.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.store.AlertQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentinel incidents and their alerts through the Azure management API, in its documented ARM shapes. */
class SentinelIncidentsConnectorTest {
    static final String WORKSPACE = "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/"
            + "Microsoft.OperationalInsights/workspaces/myWorkspace";
    static final String INCIDENTS = WORKSPACE + "/providers/Microsoft.SecurityInsights/incidents";

    @TempDir
    Path data;

    ConnectorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
        fixture.add("sentinel", ConnectorConfig.Kind.SENTINEL_INCIDENTS, WORKSPACE, "");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    static String incident(String name, int number, String modified) {
        return """
                {"id":"%1$s/%2$s","name":"%2$s","etag":"\\"0300bf09-0000-0000-0000-5c37296e0000\\"",\
                "type":"Microsoft.SecurityInsights/Incidents","properties":{"title":"Incident %3$d",\
                "description":"This is a demo incident","severity":"High","status":"New","classification":null,\
                "owner":{"objectId":null,"email":null,"userPrincipalName":null,"assignedTo":null},"labels":[],\
                "firstActivityTimeUtc":"2026-11-29T08:00:00Z","lastActivityTimeUtc":"2026-11-29T08:30:00Z",\
                "lastModifiedTimeUtc":"%4$s","createdTimeUtc":"2026-11-29T08:35:00Z","incidentNumber":%3$d,\
                "additionalData":{"alertsCount":2,"bookmarksCount":0,"commentsCount":0,\
                "alertProductNames":["Azure Sentinel"],"tactics":["InitialAccess"]},\
                "relatedAnalyticRuleIds":[],"incidentUrl":"https://portal.azure.com/#asset/Incident/%2$s"}}"""
                .formatted(INCIDENTS, name, number, modified);
    }

    static String alert(String id, String time) {
        return """
                {"id":"%1$s/Entities/%2$s","name":"%2$s","type":"Microsoft.SecurityInsights/Entities",\
                "kind":"SecurityAlert","properties":{"additionalData":{},"alertDisplayName":"Brute force on %2$s",\
                "alertType":"BruteForce","compromisedEntity":"dc01","confidenceLevel":"Unknown",\
                "endTimeUtc":"%3$s","intent":"Unknown","providerAlertId":"p-%2$s","productComponentName":"",\
                "productName":"Azure Sentinel","productVersion":"","remediationSteps":[],"severity":"Medium",\
                "startTimeUtc":"%3$s","status":"New","systemAlertId":"%2$s","tactics":["CredentialAccess"],\
                "techniques":["T1110"],"timeGenerated":"%3$s","vendorName":"Microsoft","friendlyName":"Brute force"}}"""
                .formatted(WORKSPACE, id, time);
    }

    void serve(boolean failPageTwo) {
        String base = fixture.server.baseUrl();
        fixture.server.respond(request -> {
            if (request.method().equals("POST") && request.path().endsWith("/alerts")) {
                String incident = request.path().substring(INCIDENTS.length() + 1, request.path().length() - 7);
                return Reply.ok("{\"value\":[" + alert(incident + "-a", "2026-11-29T08:10:00Z") + ","
                        + alert(incident + "-b", "2026-11-29T08:20:00Z") + "]}");
            }
            if (!request.path().equals(INCIDENTS)) {
                return Reply.status(404, "{}");
            }
            if (request.param("$skipToken").equals("2")) {
                return failPageTwo ? Reply.status(500, "{}") : Reply.ok("{\"value\":["
                        + incident("inc-2", 2, "2026-11-29T09:00:00Z") + "]}");
            }
            return Reply.ok("{\"value\":[" + incident("inc-1", 1, "2026-11-29T08:40:00Z") + "],\"nextLink\":\""
                    + base + INCIDENTS + "?api-version=2025-06-01&$skipToken=2\"}");
        });
    }

    @Test
    void incidentsAndTheirAlertsAreStoredAndKeepSentinelsGroupingAcrossARestart() {
        serve(true);
        assertThat(catchThrowableOfType(ConnectorException.class, () -> fixture.open("sentinel").run(line -> { })))
                .hasMessageContaining("connector 'sentinel': GET " + INCIDENTS + " failed 4 times");
        assertThat(fixture.count("SentinelIncident")).isEqualTo(1);

        fixture.restart();
        serve(false);
        int before = fixture.server.apiRequests().size();
        RunSummary resumed = fixture.open("sentinel").run(line -> { });
        CorrelationSummary correlated = fixture.store.incidents().correlate(CorrelationPolicy.defaults(),
                TacticStages.unknown(), ConnectorFixture.NOW, step -> { });
        fixture.store.commit();

        FakeMicrosoft.Request first = fixture.server.apiRequests().get(before);
        assertThat(first.param("$skipToken")).isEqualTo("2");
        assertThat(resumed.storedNew()).isEqualTo(3);
        assertThat(fixture.count("SentinelIncident")).isEqualTo(2);
        assertThat(fixture.count("SentinelAlert")).isEqualTo(4);
        assertThat(fixture.store.alerts(AlertQuery.newest(10))).extracting(Alert::incidentRef)
                .containsExactlyInAnyOrder("sentinel:1", "sentinel:1", "sentinel:2", "sentinel:2");
        assertThat(fixture.store.alerts(AlertQuery.newest(10)).get(0).techniques()).containsExactly("T1110");
        assertThat(correlated.opened()).isEqualTo(2);
        assertThat(fixture.connectors.registry().checkpoint("sentinel").watermark())
                .isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
    }

    @Test
    void theFirstPageAsksForIncidentsModifiedSinceTheLookbackInOrder() {
        serve(false);
        fixture.open("sentinel").run(line -> { });

        FakeMicrosoft.Request first = fixture.server.apiRequests().get(0);
        assertThat(first.path()).isEqualTo(INCIDENTS);
        assertThat(first.param("api-version")).isEqualTo("2025-06-01");
        assertThat(first.param("$filter")).isEqualTo("properties%2FlastModifiedTimeUtc%20ge%202026-11-28T12%3A00%3A00Z");
        assertThat(first.param("$orderby")).isEqualTo("properties%2FlastModifiedTimeUtc%20asc");
    }

    @Test
    void theWorkspaceMustBeAResourceId() {
        assertThatThrownBy(() -> new ConnectorConfig("s", ConnectorConfig.Kind.SENTINEL_INCIDENTS, "d", "c", "", "",
                "", "myWorkspace", "", "", Duration.ofDays(1), 0))
                .hasMessage("connector 's' of kind sentinel-incidents needs --workspace as the workspace's resource id");
    }
}
