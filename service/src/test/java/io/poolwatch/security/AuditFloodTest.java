package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.AuditLog;
import io.poolwatch.alerting.AuditStore;
import io.poolwatch.alerting.JdbcAuditStore;
import io.poolwatch.alerting.NotificationOutbox;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The audit under a flood of refused anonymous requests, as an attacker without an account can send them: thousands of
 * POSTs with 2 KB paths leave a bounded number of entries, in memory and in the outbox's table, each field bounded,
 * counted in aggregates, and the admin's own actions are all still listed at {@code /api/v1/audit}.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuditFloodTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    NotificationOutbox outbox;

    @Inject
    AuditLog audit;

    private static RequestSpecification admin() {
        return RestAssured.given().redirects().follow(false).auth().preemptive().basic(SecurityProfile.ADMIN,
                SecurityProfile.ADMIN_PASSWORD);
    }

    @Test
    void refusedAnonymousRequestsAreAggregatedAndEvictNoAdminAction() throws Exception {
        for (int i = 0; i < 3; i++) {
            CsrfForm.given(admin()).when().post("/actions/pools/main/reset-metrics").then().statusCode(303);
        }
        // The outbox's own table (the profile's receivers keep it open): how many rows it has now.
        AuditStore store = new JdbcAuditStore(outbox.database().orElseThrow());
        Await.until("the admin's actions stored", () -> store.recentAudit(AuditLog.Retention.ACTIONS, 1000).size() >= 3);
        int rowsBefore = store.recentAudit(1_000_000).size();
        long started = System.nanoTime();
        Instant floodStart = Instant.now();
        // Paths of about 2 KB, under the 2,048 characters beyond which a path is refused (400) before authentication.
        String padding = "p".repeat(1950);
        int flood = 3000;
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < flood; i++) {
            String path = "actions/pools/" + padding + (i % 2 == 0 ? "" : "-" + i) + "/reset-metrics";
            HttpRequest post = HttpRequest.newBuilder(URI.create(root + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")).build();
            int status = http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(401, status, "an anonymous POST is refused");
        }

        // Stored when their window ends; the flood's last window ends within the window's length.
        long windows = Duration.ofNanos(System.nanoTime() - started).dividedBy(audit.limits().refusedWindow()) + 2;
        Await.until("the refused requests' entries stored",
                () -> store.recentAudit(AuditLog.Retention.REFUSED, 100_000).stream()
                        .mapToLong(e -> ((Number) e.fields().getOrDefault("count", 1)).longValue()).sum() >= flood);
        List<AuditLog.Event> stored = store.recentAudit(1_000_000);
        int added = stored.size() - rowsBefore;
        assertTrue(added <= windows * (audit.limits().refusedPerWindow() + 1) + 10,
                added + " rows stored for " + flood + " refused requests over " + windows + " windows");
        long bytes = stored.stream().mapToLong(e -> e.fields().toString().length()).sum();
        assertTrue(bytes <= stored.size() * 4096L, bytes + " bytes in " + stored.size() + " rows");

        List<Map<String, Object>> events = admin().when().get("/api/v1/audit?limit=1000&type=" + AdminAudit.ADMIN_ACTION).then()
                .statusCode(200)
                .extract().jsonPath().getList("$");
        long mine = events.stream().filter(e -> SecurityProfile.ADMIN.equals(e.get("user")) && "done".equals(e.get("outcome"))
                && "/actions/pools/main/reset-metrics".equals(e.get("path"))).count();
        assertTrue(mine >= 3, "the admin's actions were evicted: " + mine + " of 3 left");
        // This flood's entries: anonymous, last counted after it began (the outbox keeps earlier tests' and earlier runs' entries).
        List<Map<String, Object>> anonymous = events.stream()
                .filter(e -> "anonymous".equals(e.get("user")) && e.get("last") != null
                        && !Instant.parse((String) e.get("last")).isBefore(floodStart))
                .toList();
        assertTrue(anonymous.size() <= windows * (audit.limits().refusedPerWindow() + 1) + 10,
                anonymous.size() + " entries for " + flood + " refused requests over " + windows + " windows");
        long counted = anonymous.stream().mapToLong(e -> e.get("count") == null ? 1 : ((Number) e.get("count")).longValue())
                .sum();
        assertTrue(counted >= flood, "the aggregates count " + counted + " of " + flood + " refused requests");
        for (Map<String, Object> e : events) {
            for (Object v : e.values()) {
                assertTrue(!(v instanceof String s) || s.length() <= 256,
                        "a field of " + String.valueOf(v).length() + " characters");
            }
        }
    }
}
