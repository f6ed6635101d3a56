package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Limits;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Stored fields are bounded and so are the lists showing them, through real HTTP: for every field a silence stores, a
 * value one over its limit is a 400 naming the field, the limit and the length given, with nothing stored; a value at
 * its limit is stored. Then silences at every field's limit, as many as may be kept, leave {@code /api/v1/silences} and
 * {@code /alerts} within stated byte bounds, one page at a time, with every silence reachable through the pages.
 * <p>
 * The bounds: a silence's user text is at most {@value #USER_CHARS} characters; escaped for JSON or HTML a character
 * takes at most 6 bytes (a control character in JSON, {@code &quot;} in HTML), so a silence takes at most
 * {@value #WORST_SILENCE}
 * bytes with its markup. A page of the API holds {@value Limits#API_SILENCES_DEFAULT} silences by default, the alerts
 * page {@value Limits#PAGE_SILENCES}.
 */
@QuarkusTest
@TestProfile(StoredFieldLimitsTest.OwnApplication.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoredFieldLimitsTest {

    /** An application of its own: this test fills the silences to their limit, which would refuse other tests' silences. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    static final int USER_CHARS = Limits.SILENCE_CREATED_BY + Limits.SILENCE_COMMENT
            + Limits.SILENCE_MATCHERS * (Limits.MATCHER_NAME + Limits.MATCHER_VALUE);
    static final int WORST_SILENCE = 6 * USER_CHARS + 2048;
    static final long API_PAGE_BOUND = (long) Limits.API_SILENCES_DEFAULT * WORST_SILENCE + 1024;
    static final long ALERTS_PAGE_BOUND = (long) Limits.PAGE_SILENCES * WORST_SILENCE + 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stored field: its name in errors, its limit, and a request body with that field {@code n} characters (or items) long.
     */
    record Field(String name, int limit, Function<Integer, Map<String, Object>> withLength) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, Object> matcher(String name, String value, boolean regex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", value);
        m.put("isRegex", regex);
        m.put("isEqual", true);
        return m;
    }

    private static Map<String, Object> body(List<Map<String, Object>> matchers, String createdBy, String comment) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("matchers", matchers);
        b.put("duration", "1h");
        b.put("createdBy", createdBy);
        b.put("comment", comment);
        return b;
    }

    private static List<Map<String, Object>> matchers(int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(matcher("pool", "no-such-pool-" + i, false));
        }
        return out;
    }

    /** Every field a silence stores; per-matcher fields at the first and the last position a silence may have. */
    static Stream<Field> fields() {
        List<Field> out = new ArrayList<>();
        out.add(new Field("createdBy", Limits.SILENCE_CREATED_BY, n -> body(matchers(1), "b".repeat(n), "why")));
        out.add(new Field("comment", Limits.SILENCE_COMMENT, n -> body(matchers(1), "oncall", "c".repeat(n))));
        out.add(new Field("matchers", Limits.SILENCE_MATCHERS, n -> body(matchers(n), "oncall", "why")));
        for (int at : new int[] { 0, Limits.SILENCE_MATCHERS - 1 }) {
            out.add(new Field("matchers[" + at + "].name", Limits.MATCHER_NAME, n -> {
                List<Map<String, Object>> m = matchers(Limits.SILENCE_MATCHERS);
                m.set(at, matcher("l" + "a".repeat(n - 1), "x", false));
                return body(m, "oncall", "why");
            }));
            out.add(new Field("matchers[" + at + "].value", Limits.MATCHER_VALUE, n -> {
                List<Map<String, Object>> m = matchers(Limits.SILENCE_MATCHERS);
                m.set(at, matcher("pool", "v".repeat(n), false));
                return body(m, "oncall", "why");
            }));
        }
        return out.stream();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many silences are kept (active or recently ended). */
    private static int stored() {
        Response r = given().when().get("/api/v1/silences?limit=1");
        r.then().statusCode(200);
        String total = r.header("X-Total-Count");
        return total != null ? Integer.parseInt(total) : r.jsonPath().getList("id").size();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void aFieldOneOverItsLimitIsA400NamingItAndOneAtItsLimitIsStored(Field field) {
        int before = given().when().get("/api/v1/silences").then().statusCode(200).extract().jsonPath().getList("id").size();
        String error = given().contentType(ContentType.JSON).body(json(field.withLength().apply(field.limit() + 1)))
                .when().post("/api/v1/silences").then().statusCode(400).extract().path("error");
        assertTrue(error.startsWith(field.name() + ": "), error);
        assertTrue(error.contains((field.limit() + 1) + " "), "the length given: " + error);
        assertTrue(error.contains("at most " + field.limit()), "the limit: " + error);
        assertTrue(error.length() < 300, "a long value is quoted cut, not whole: " + error.length());
        assertEquals(before,
                given().when().get("/api/v1/silences").then().statusCode(200).extract().jsonPath().getList("id").size(),
                "nothing stored");

        String id = given().contentType(ContentType.JSON).body(json(field.withLength().apply(field.limit())))
                .when().post("/api/v1/silences").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).when().delete("/api/v1/silences/" + id).then().statusCode(200);
    }

    @Order(2)
    @Test
    void theDurationAndEndTimeAreBoundedAndTheFormRefusesAnOversizedFieldToo() {
        Map<String, Object> b = body(matchers(1), "oncall", "why");
        b.put("duration", "1".repeat(Limits.TIME_TEXT + 1) + "h");
        given().contentType(ContentType.JSON).body(json(b)).when().post("/api/v1/silences").then().statusCode(400)
                .body("error", containsString(
                        "duration: " + (Limits.TIME_TEXT + 2) + " characters given; accepted: at most " + Limits.TIME_TEXT));
        b.remove("duration");
        b.put("endsAt", "2".repeat(30_000));
        given().contentType(ContentType.JSON).body(json(b)).when().post("/api/v1/silences").then().statusCode(400)
                .body("error", containsString("endsAt: 30000 characters given; accepted: at most " + Limits.TIME_TEXT));

        int before = stored();
        CsrfForm.given().formParam("matcher", "pool").formParam("op", "=").formParam("value", "jobs")
                .formParam("duration", "1h")
                .formParam("comment", "why").formParam("createdBy", "b".repeat(Limits.SILENCE_CREATED_BY + 1)).when()
                .post("/actions/silences")
                .then().statusCode(400)
                .body(containsString("createdBy: " + (Limits.SILENCE_CREATED_BY + 1) + " characters given; accepted: at most "
                        + Limits.SILENCE_CREATED_BY));
        assertEquals(before, stored(), "nothing stored");
    }

    @Order(3)
    @Test
    void asManySilencesAsMayBeKeptAtEveryFieldsLimitLeaveTheApiAndTheAlertsPageBoundedAndPaged() throws Exception {
        // The characters that JSON and HTML escape longest where a field allows them.
        String quotes = "\"";
        List<Map<String, Object>> widest = new ArrayList<>();
        for (int i = 0; i < Limits.SILENCE_MATCHERS; i++) {
            widest.add(matcher("l" + "a".repeat(Limits.MATCHER_NAME - 1),
                    (i % 2 == 0 ? quotes : "\u0001").repeat(Limits.MATCHER_VALUE), false));
        }
        String body = json(
                body(widest, quotes.repeat(Limits.SILENCE_CREATED_BY), "<&'\"\u0001".repeat(Limits.SILENCE_COMMENT / 5)));
        for (int n = stored(); n < Limits.SILENCES; n++) {
            given().contentType(ContentType.JSON).body(body).when().post("/api/v1/silences").then().statusCode(201);
        }

        // Both answers within their bounds, whatever was stored.
        Response first = given().when().get("/api/v1/silences");
        first.then().statusCode(200);
        Response alerts = given().when().get("/alerts");
        alerts.then().statusCode(200);
        long size = first.asByteArray().length;
        byte[] html = alerts.asByteArray();
        Assertions.assertAll(
                () -> assertTrue(size <= API_PAGE_BOUND, "GET /api/v1/silences is " + size + " bytes; bound " + API_PAGE_BOUND),
                () -> assertTrue(html.length <= ALERTS_PAGE_BOUND,
                        "GET /alerts is " + html.length + " bytes; bound " + ALERTS_PAGE_BOUND));

        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/silences").then().statusCode(409)
                .body("error", containsString("at most " + Limits.SILENCES));

        // The API: one page, and every silence reachable by following rel="next".
        assertEquals(Limits.API_SILENCES_DEFAULT, first.jsonPath().getList("id").size());
        assertEquals(String.valueOf(Limits.SILENCES), first.header("X-Total-Count"));
        Set<String> ids = new HashSet<>(first.jsonPath().getList("id", String.class));
        String next = nextLink(first);
        int pages = 1;
        while (next != null) {
            Response page = given().when().get(next);
            page.then().statusCode(200);
            assertTrue(page.asByteArray().length <= API_PAGE_BOUND, next + " is " + page.asByteArray().length + " bytes");
            ids.addAll(page.jsonPath().getList("id", String.class));
            next = nextLink(page);
            pages++;
        }
        assertEquals(Limits.SILENCES, ids.size(), "every silence, each once, in " + pages + " pages");
        given().when().get("/api/v1/silences?limit=" + (Limits.API_SILENCES_MAX + 1)).then().statusCode(400)
                .body("error", containsString("limit=" + (Limits.API_SILENCES_MAX + 1) + ": accepted: a whole number from 1 to "
                        + Limits.API_SILENCES_MAX));
        given().when().get("/api/v1/silences?offset=-1").then().statusCode(400).body("error", containsString("offset=-1"));
        Response largest = given().when().get("/api/v1/silences?limit=" + Limits.API_SILENCES_MAX);
        assertEquals(Limits.API_SILENCES_MAX, largest.jsonPath().getList("id").size());
        assertTrue(largest.asByteArray().length <= (long) Limits.API_SILENCES_MAX * WORST_SILENCE);

        // The alerts page: one page of silences, the next ones a link away.
        Document doc = Jsoup.parse(new String(html, StandardCharsets.UTF_8));
        assertEquals(Limits.PAGE_SILENCES, doc.select("section[aria-labelledby=silences-title] tbody tr").size());
        String older = doc.select("#silences-next").attr("href");
        assertTrue(older.contains("silences-from=" + Limits.PAGE_SILENCES), older);
        Document second = Jsoup
                .parse(given().when().get(older.replace("#silences-title", "")).then().statusCode(200).extract().asString());
        Set<String> firstPage = expireButtons(doc);
        Set<String> secondPage = expireButtons(second);
        assertEquals(Limits.PAGE_SILENCES, secondPage.size());
        assertTrue(firstPage.stream().noneMatch(secondPage::contains), "the second page shows other silences");
        byte[] fragment = given().when().get("/alerts?fragment=active").then().statusCode(200).extract().asByteArray();
        assertTrue(fragment.length <= ALERTS_PAGE_BOUND, "the refreshed fragment is " + fragment.length + " bytes");
    }

    private static Set<String> expireButtons(Document doc) {
        Set<String> out = new HashSet<>();
        doc.select("section[aria-labelledby=silences-title] tbody tr button").forEach(b -> out.add(b.attr("id")));
        return out;
    }

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private static String nextLink(Response r) {
        String link = r.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertTrue(m.find(), link);
        return m.group(1);
    }

    @Test
    @Order(4)
    void theSimulatorKeepsABoundedListOfFaults() throws Exception {
        int started = Limits.FAULTS_KEPT + 5;
        int last = 0;
        for (int i = 0; i < started; i++) {
            Await.until("fewer than 10 faults running",
                    () -> given().when().get("/api/v1/simulator/faults").then()
                            .extract().jsonPath().getList("findAll { it.state == 'running' }").size() < 10);
            last = given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?workload=jobs&duration=1ms")
                    .then()
                    .statusCode(202).extract().path("id");
        }
        Await.until("every fault has ended",
                () -> given().when().get("/api/v1/simulator/faults").then().extract()
                        .jsonPath().getList("findAll { it.state == 'running' }").isEmpty());
        List<Integer> ids = given().when().get("/api/v1/simulator/faults").then().statusCode(200).extract().jsonPath()
                .getList("id", Integer.class);
        assertEquals(Limits.FAULTS_KEPT, ids.size(), started + " started; the newest " + Limits.FAULTS_KEPT + " kept");
        assertEquals(last, ids.get(0), "newest first");
    }

    @Test
    @Order(0)
    void theListsAnswerTheirPagingHeaders() {
        Response r = given().when().get("/api/v1/alerts");
        r.then().statusCode(200);
        assertNotNull(r.header("X-Total-Count"));
        assertNull(r.header("Link"), "one page");
        given().when().get("/api/v1/alerts?limit=0").then().statusCode(400).body("error", containsString("limit=0"));
        Response checks = given().when().get("/api/v1/checks?limit=1");
        checks.then().statusCode(200);
        assertNotNull(checks.header("X-Total-Count"));
    }
}
