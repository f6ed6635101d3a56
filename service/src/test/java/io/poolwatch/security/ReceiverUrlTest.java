package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.AuditLog;
import io.poolwatch.alerting.NotificationOutbox;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * A receiver whose URL carries its token in the path, as chat services' webhook URLs do: the URL is shown as scheme, host
 * and port and a masked path on the alerts page, in the receivers API, in the audit of its delivery attempts and in the
 * log, and the token appears in none of them.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ReceiverUrlTest {

    @Inject
    NotificationOutbox outbox;

    @Inject
    AuditLog audit;

    @Test
    void aTokenInAReceiversPathIsShownNowhere() throws Exception {
        // a delivery attempt (to a closed port: it fails, and the failure is logged and audited)
        outbox.enqueue("chat", "{}:{alertname=\"UrlTest\"}", "firing", 1, "{}");
        Await.until("an audited attempt to the chat receiver",
                () -> audit.recent(1000, AuditLog.NOTIFICATION_ATTEMPT).stream()
                        .anyMatch(e -> "chat".equals(e.fields().get("receiver"))));

        String token = SecurityProfile.CHAT_URL_TOKEN;
        List<String> leaks = new ArrayList<>();
        for (String path : List.of("/alerts", "/api/v1/alerts/receivers", "/api/v1/audit?limit=1000", "/api/v1/alerts", "/")) {
            Response r = RestAssured.given().auth().preemptive().basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD)
                    .when().get(path);
            assertEquals(200, r.statusCode(), path);
            if ((r.asString() + r.headers()).contains(token)) {
                leaks.add(path);
            }
            if ((r.asString() + r.headers()).contains("/services/T000")) {
                leaks.add(path + " (the path)");
            }
        }
        String log = Files.readString(Path.of(SecurityProfile.LOG_FILE));
        if (log.contains(token)) {
            leaks.add("the log");
        }
        assertEquals(List.of(), leaks);
        // what is shown instead: scheme, host, port and a masked path
        String shown = RestAssured.given().auth().preemptive().basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD)
                .when()
                .get("/api/v1/alerts/receivers").then().statusCode(200).extract().jsonPath()
                .getString("find { it.name == 'chat' }.url");
        assertTrue(shown.startsWith("http://127.0.0.1:9/"), shown);
    }
}
