package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.Silence;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.simulator.LoadSimulator;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The dashboard's routes on the test PostgreSQL: pages and fragments from live pools (a real leak and a real slow
 * statement among them), not-found pages, and the admin forms with their 303s, refusals and effects.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class DashboardResourceTest {

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    @Inject
    Alerting alerting;

    @Inject
    LoadSimulator simulator;

    /** Faults hold connections of the pools the other tests use: none may outlive its test. */
    @AfterEach
    void faultsHaveEnded() throws Exception {
        Await.until("every fault has ended", () -> simulator.faults().stream().noneMatch(f -> f.state().equals("running")));
    }

    @Test
    void theOverviewAndItsFragmentsServeEveryPoolLiveAndUncached() throws Exception {
        // Pointed at a real database the overview draws only pools something has borrowed from: borrow from each.
        for (String name : registry.names()) {
            try (Connection c = registry.dataSource(name).getConnection()) {
                assertTrue(c.isValid(5));
            }
        }
        sampler.sampleNow();
        String html = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-store").extract().asString();
        Document doc = Jsoup.parse(html);
        assertEquals(List.copyOf(registry.names()), doc.select("article.card").eachAttr("data-pool"),
                doc.select("#pool-list").outerHtml());
        assertFalse(doc.selectFirst("#pool-main").attr("data-sampled-at").isEmpty());
        assertEquals(1, doc.select("noscript meta[http-equiv=refresh]").size(), "without scripts the overview reloads itself");
        assertEquals(1, doc.select("script[src=/static/htmx.min.js]").size());
        DashboardRenderTest.assertAccessible(doc);
        for (String fragment : List.of("alerts", "pools", "checks", "servers", "faults")) {
            String part = given().when().get("/?fragment=" + fragment).then().statusCode(200).extract().asString();
            Document d = Jsoup.parseBodyFragment(part);
            assertEquals(fragment, d.body().child(0).id(), part);
            assertFalse(part.contains("<html"), fragment);
        }
        given().when().get("/?fragment=nope").then().statusCode(404).body(containsString("no fragment &#39;nope&#39;"));
    }

    @Test
    void theOverviewFiltersItsPoolsAndRefusesABadFilterNamingIt() throws Exception {
        for (String name : registry.names()) {
            try (Connection c = registry.dataSource(name).getConnection()) {
                assertTrue(c.isValid(5));
            }
        }
        Document doc = Jsoup.parse(given().when().get("/?q=JOB").then().statusCode(200).extract().asString());
        assertEquals(List.of("jobs"), doc.select("article.card").eachAttr("data-pool"));
        assertEquals("JOB", doc.selectFirst("#pool-q").attr("value"));
        assertEquals("/?fragment=pools&q=JOB", doc.selectFirst("#pools").attr("hx-get"));
        Document part = Jsoup
                .parseBodyFragment(given().when().get("/?fragment=pools&q=JOB").then().statusCode(200).extract().asString());
        assertEquals(List.of("jobs"), part.select("article.card").eachAttr("data-pool"));
        assertEquals("Showing 1–1 of 1 matching pool.", part.selectFirst("#pool-count").text());

        String refused = given().when().get("/?page=abc&q=<b>").then().statusCode(400).header("Cache-Control", "no-store")
                .extract().asString();
        Document bad = Jsoup.parse(refused);
        assertTrue(bad.selectFirst("#pool-filter-error").text().contains("page=abc: accepted: a whole number from 1 to 10000"),
                refused);
        assertEquals(List.copyOf(registry.names()), bad.select("article.card").eachAttr("data-pool"),
                "nothing half-applied: every pool");
        assertFalse(refused.contains("<b>"));
        given().when().get("/?fragment=pools&show=worst").then().statusCode(400)
                .body(containsString("show=worst: accepted: all (every pool) or trouble (pools that need a look)"));
        given().when().get("/?q=" + "y".repeat(101)).then().statusCode(400)
                .body(containsString("accepted: at most 100 characters"));
    }

    @Test
    void thePoolsApiPagesAndFilters() {
        List<String> all = List.copyOf(registry.names());
        given().when().get("/api/v1/pools").then().statusCode(200).header("X-Total-Count", String.valueOf(all.size()))
                .header("Link", Matchers.nullValue());
        List<String> first = given().when().get("/api/v1/pools?limit=2").then().statusCode(200)
                .header("X-Total-Count", String.valueOf(all.size()))
                .header("Link", equalTo("</api/v1/pools?limit=2&offset=2>; rel=\"next\"")).extract().jsonPath().getList("name");
        assertEquals(all.subList(0, 2), first);
        List<String> jobs = given().when().get("/api/v1/pools?q=JOB").then().statusCode(200).header("X-Total-Count", "1")
                .extract().jsonPath()
                .getList("name");
        assertEquals(List.of("jobs"), jobs);
        given().when().get("/api/v1/pools?limit=0").then().statusCode(400).body("error",
                containsString("limit=0: accepted: a whole number from 1 to 1000"));
        given().when().get("/api/v1/pools?q=" + "z".repeat(101)).then().statusCode(400).body("error",
                containsString("accepted: at most 100 characters"));
    }

    @Test
    void theScriptsAndStylesTheLayoutNamesAreServed() {
        given().when().get("/static/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().when().get("/static/js/dashboard.js").then().statusCode(200).body(containsString("htmx:beforeSwap"));
        given().when().get("/static/css/dashboard.css").then().statusCode(200)
                .body(containsString("prefers-color-scheme: dark"));
        given().when().get("/static/icons/poolwatch.svg").then().statusCode(200);
    }

    @Test
    void aPoolsPageShowsARealLeakWithItsHolderAndStackAndARealSlowStatement() throws Exception {
        // PostgresTestResource: jobs reports a connection held past 400 ms; statements over 200 ms are slow.
        DataSource jobs = registry.dataSource("jobs");
        try (Connection c = jobs.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_sleep(0.3)");
            }
            // Held past the leak interval after the statement: the leak check runs again while this thread sleeps here, so
            // the holder's stack it keeps (the latest) is this method's, not the driver's socket read 40 frames down.
            Thread.sleep(1500);
            sampler.sampleNow();
            Document doc = Jsoup.parse(given().when().get("/pools/jobs").then().statusCode(200).extract().asString());
            assertTrue(doc.select(".leak-current").text().contains(Thread.currentThread().getName()),
                    doc.select("#live").text());
            assertTrue(doc.select(".leak details pre.stack").text().contains("DashboardResourceTest"), "the holder's stack");
            assertTrue(doc.select("code.sql").text().contains("pg_sleep"), doc.select("code.sql").text());
            assertTrue(doc.select(".events").text().contains("held past the leak interval"));
            String config = doc.select("section[aria-labelledby=config-title]").text();
            assertTrue(config.contains("password ****") || config.contains("password (none)"), config);
            assertFalse(doc.html().contains("secret"), "no password on the page");
            DashboardRenderTest.assertAccessible(doc);
        }
        given().when().get("/pools/jobs?fragment=live").then().statusCode(200).body(containsString("id=\"live\""));
        given().when().get("/pools/nope").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("There is no pool &#39;nope&#39;"));
        // What a not-found page echoes is cut to a bounded length, whatever was asked for.
        String longName = "n".repeat(2000);
        for (String path : List.of("/pools/" + longName, "/pools/jobs?fragment=" + longName, "/applications/" + longName,
                "/pgbouncers/" + longName, "/blocking?fragment=" + longName)) {
            String body = given().when().get(path).then().statusCode(404).extract().asString();
            assertTrue(body.contains("n".repeat(60) + "..."), path);
            assertFalse(body.contains("n".repeat(61)), path + ": the whole name echoed");
        }
    }

    @Test
    void aPoolsTimeoutsAreShownByTheApiAndItsPageWithTheirSources() {
        given().when().get("/api/v1/pools/financial").then().statusCode(200).body("pool.statementTimeout", equalTo("10s"))
                .body("pool.socketTimeout", equalTo("25s")).body("pool.sources.'socket-timeout'", equalTo("built-in"));
        given().when().get("/api/v1/pools/analytics").then().statusCode(200).body("pool.statementTimeout", equalTo("1s"))
                .body("pool.socketTimeout", equalTo("none"));
        Document doc = Jsoup.parse(given().when().get("/pools/main").then().statusCode(200).extract().asString());
        var row = doc.select("tr").stream().filter(tr -> tr.text().startsWith("socket-timeout")).findFirst().orElseThrow();
        assertEquals("socket-timeout 45s built-in", row.text());
    }

    @Test
    void theAlertsAndChecksPagesRender() {
        alerting.evaluateNow();
        Document alerts = Jsoup.parse(given().when().get("/alerts").then().statusCode(200).extract().asString());
        assertTrue(alerts.select("#rules-title + .scroll").text().contains("pool-utilization"));
        assertEquals(1, alerts.select("form[action=/actions/silences]").size());
        DashboardRenderTest.assertAccessible(alerts);
        given().when().get("/alerts?fragment=active").then().statusCode(200).body(containsString("id=\"active\""));
        given().when().get("/alerts?fragment=delivery").then().statusCode(200).body(containsString("id=\"delivery\""));
        DashboardRenderTest
                .assertAccessible(Jsoup.parse(given().when().get("/checks").then().statusCode(200).extract().asString()));
        given().when().get("/checks?fragment=list").then().statusCode(200).body(containsString("id=\"list\""));
    }

    @Test
    void resetMetricsIsAFormPostAnsweredWithASeeOtherBackToThePool() {
        Instant before = Instant.now();
        String location = CsrfForm.given().redirects().follow(false).when().post("/actions/pools/financial/reset-metrics")
                .then().statusCode(303).header("Location", endsWith("/pools/financial?done=reset&pool=financial")).extract()
                .header("Location");
        assertNotNull(sampler.baseline("financial").at());
        assertFalse(sampler.baseline("financial").at().isBefore(before.minusSeconds(1)));
        given().when().get(location).then().statusCode(200).body(containsString("Metrics of pool financial reset"));
        // back to the page the form was on, but never to another site
        CsrfForm.given().redirects().follow(false).formParam("back", "/").when().post("/actions/pools/financial/reset-metrics")
                .then().statusCode(303)
                .header("Location", endsWith("/?done=reset&pool=financial"));
        CsrfForm.given().redirects().follow(false).formParam("back", "//evil.example/x").when()
                .post("/actions/pools/financial/reset-metrics").then()
                .statusCode(400).body(containsString("back=//evil.example/x"));
        CsrfForm.given().redirects().follow(false).when().post("/actions/pools/nope/reset-metrics").then().statusCode(404);
        // a notice names only what exists
        given().when().get("/pools/financial?done=reset&pool=%3Cb%3Ex").then().statusCode(200)
                .body(not(containsString("<b>x")));
    }

    @Test
    void aSilenceIsCreatedAndEndedFromTheFormsAndARefusedOneKeepsWhatWasTyped() {
        CsrfForm.given().redirects().follow(false).formParam("matcher", "pool", "", "").formParam("op", "=", "=", "=")
                .formParam("value", "<i>jobs</i>", "", "")
                .formParam("duration", "2h").formParam("comment", "").when().post("/actions/silences").then().statusCode(400)
                .body(containsString("comment: missing")).body(containsString("value=\"&lt;i&gt;jobs&lt;/i&gt;\""));
        CsrfForm.given().redirects().follow(false).formParam("matcher", "pool").formParam("op", "=~").formParam("value", "(")
                .formParam("duration", "1h")
                .formParam("comment", "x").when().post("/actions/silences").then().statusCode(400)
                .body(containsString("not a regular expression"));

        CsrfForm.given().redirects().follow(false).formParam("matcher", "pool", "alertname").formParam("op", "=", "!=")
                .formParam("value", "jobs", "leaked-connections").formParam("duration", "2h")
                .formParam("comment", "maintenance window")
                .formParam("createdBy", "oncall").when().post("/actions/silences").then().statusCode(303)
                .header("Location", endsWith("/alerts?done=silenced"));
        Silence made = alerting.silences().all().stream().filter(s -> s.comment().equals("maintenance window")).findFirst()
                .orElseThrow();
        assertEquals("oncall", made.createdBy());
        assertEquals(
                List.of(new Silence.Matcher("pool", "jobs", false, true),
                        new Silence.Matcher("alertname", "leaked-connections", false, false)),
                made.matchers());
        assertTrue(made.endsAt().isAfter(Instant.now().plusSeconds(7000)));
        given().when().get("/alerts?done=silenced").then().statusCode(200).body(containsString("Silence created"))
                .body(containsString("maintenance window"));

        CsrfForm.given().redirects().follow(false).when().post("/actions/silences/" + made.id() + "/expire").then()
                .statusCode(303)
                .header("Location", endsWith("/alerts?done=expired"));
        assertFalse(alerting.silences().all().stream().filter(s -> s.id().equals(made.id())).findFirst().orElseThrow()
                .active(Instant.now()));
        CsrfForm.given().redirects().follow(false).when().post("/actions/silences/nope/expire").then().statusCode(404);
    }

    @Test
    void theFaultFormStartsARealFaultThatTheApiAndTheOverviewShow() throws Exception {
        String location = CsrfForm.given().redirects().follow(false).formParam("kind", "leak").formParam("workload", "jobs")
                .formParam("duration", "3s").when().post("/actions/faults").then().statusCode(303)
                .header("Location", containsString("/?done=fault&fault=")).header("Location", endsWith("#fault-phases"))
                .extract().header("Location");
        int id = Integer.parseInt(location.replaceAll(".*fault=(\\d+)#.*", "$1"));
        given().when().get("/api/v1/simulator/faults").then().statusCode(200)
                .body("find { it.id == " + id + " }.kind", equalTo("leak"))
                .body("find { it.id == " + id + " }.workload", equalTo("jobs"))
                .body("find { it.id == " + id + " }.state", equalTo("running"));
        Await.until("the leak is reported", () -> registry.pool("jobs").recorder().leaks().stream()
                .anyMatch(l -> l.holderThread().startsWith("fault-leak-jobs-" + id)));

        Document doc = Jsoup.parse(
                given().when().get(location.substring(0, location.indexOf('#'))).then().statusCode(200).extract().asString());
        String notice = doc.selectFirst("p.notice").text();
        assertTrue(notice.matches("Fault leak started on jobs until \\d\\d:\\d\\d:\\d\\d UTC\\."), notice);
        assertTrue(doc.select("#faults tbody tr").first().text().contains("leak #" + id + " jobs"),
                doc.select("#faults").text());
        assertTrue(doc.select("#faults tbody tr").first().text().contains("running"), doc.select("#faults").text());
        DashboardRenderTest.assertAccessible(doc);

        Await.until("the fault ends by itself",
                () -> simulator.faults().stream().anyMatch(f -> f.id() == id && f.state().equals("finished")));
        Document part = Jsoup
                .parseBodyFragment(given().when().get("/?fragment=faults").then().statusCode(200).extract().asString());
        assertTrue(part.select("tbody tr").first().text().contains("finished"), part.text());
        // the notice says only what exists
        given().when().get("/?done=fault&fault=99999").then().statusCode(200).body(not(containsString("started on")));
        given().when().get("/?done=fault&fault=%3Cb%3Ex").then().statusCode(200).body(not(containsString("<b>x")));
    }

    @Test
    void aRefusedFaultFormIs400NamingTheFieldTheValueAndWhatIsAcceptedAndStartsNothing() {
        int before = simulator.faults().size();
        refusedFault("meltdown", "jobs", "", "kind=meltdown: accepted: leak, slow, saturate, inconsistency");
        refusedFault("", "jobs", "", "kind=: accepted: leak, slow, saturate, inconsistency");
        refusedFault("leak", "nope", "", "workload=nope: no such pool; accepted: ");
        refusedFault("leak", "jobs", "soon", "duration=soon: &#39;soon&#39; is not a duration; accepted: ");
        refusedFault("leak", "jobs", "99h", "duration=99h: accepted: above 0s and at most 10m");
        refusedFault("leak", "jobs", "0s", "duration=0s: accepted: above 0s and at most 10m");
        refusedFault("leak", "analytics", "", "kind=leak: leak detection is off for pool &#39;analytics&#39;");
        String page = refusedFault("slow", "main", "<b>x</b>", "duration=&lt;b&gt;x&lt;/b&gt;");
        assertFalse(page.contains("<b>x"), "what was typed is shown as text");
        Document doc = Jsoup.parse(page);
        assertEquals("<b>x</b>", doc.selectFirst("#fault-duration").attr("value"), "what was typed is kept");
        assertEquals("slow", doc.selectFirst("#fault-kind option[selected]").attr("value"));
        assertEquals("main", doc.selectFirst("#fault-workload option[selected]").attr("value"));
        assertEquals(0, doc.select("noscript meta[http-equiv=refresh]").size(), "no reload that would throw the form away");
        DashboardRenderTest.assertAccessible(doc);
        assertEquals(before, simulator.faults().size(), "nothing was started");
        given().when().get("/actions/faults").then().statusCode(405);
    }

    @Test
    void theFaultFormCarriesItsCsrfTokenAndIsRefusedWithoutIt() {
        // The page hands out its cookie and writes a token signed for it into the fault form.
        Response page = given().when().get("/");
        String cookie = page.getCookie(CsrfForm.COOKIE);
        String field = Jsoup.parse(page.asString()).selectFirst("form[action=/actions/faults] input[name=_csrf]").attr("value");
        assertFalse(field.isEmpty());

        int before = simulator.faults().size();
        given().redirects().follow(false).formParam("kind", "slow").formParam("workload", "main").formParam("duration", "300ms")
                .when()
                .post("/actions/faults").then().statusCode(400)
                .body(containsString("security token is missing or out of date"));
        given().redirects().follow(false).cookie(CsrfForm.COOKIE, cookie).formParam("_csrf", "forged-forged-forged")
                .formParam("kind", "slow")
                .formParam("workload", "main").formParam("duration", "300ms").when().post("/actions/faults").then()
                .statusCode(400);
        // refused before the fields are read: a bad form without the token is refused as such, not validated
        given().redirects().follow(false).formParam("kind", "meltdown").when().post("/actions/faults").then().statusCode(400)
                .body(containsString("security token"));
        assertEquals(before, simulator.faults().size(), "nothing was started");

        given().redirects().follow(false).cookie(CsrfForm.COOKIE, cookie).formParam("_csrf", field).formParam("kind", "slow")
                .formParam("workload", "main").formParam("duration", "300ms").when().post("/actions/faults").then()
                .statusCode(303);
        assertEquals(before + 1, simulator.faults().size());
    }

    private static String refusedFault(String kind, String workload, String duration, String says) {
        return CsrfForm.given().redirects().follow(false).formParam("kind", kind).formParam("workload", workload)
                .formParam("duration", duration).when().post("/actions/faults").then().statusCode(400)
                .contentType(containsString("text/html"))
                .body(containsString("Not started: " + says)).extract().asString();
    }

    @Test
    void aNoticeNamesOnlyChecksThatExist() {
        given().when().get("/?done=ran&check=nope").then().statusCode(200).body(not(containsString("Check nope")));
    }

    @Test
    void runningAnUnknownCheckIsNotFound() {
        CsrfForm.given().redirects().follow(false).when().post("/actions/checks/nope/run").then().statusCode(404)
                .body(containsString("There is no check"));
    }

    @Test
    void aFormWithoutItsCsrfTokenOrWithAnotherOneIsRefusedAndChangesNothing() {
        Instant before = sampler.baseline("analytics").at();
        given().redirects().follow(false).when().post("/actions/pools/analytics/reset-metrics").then().statusCode(400)
                .body(containsString("security token"));
        CsrfForm.Token mine = CsrfForm.token(given());
        CsrfForm.Token other = CsrfForm.token(given());
        given().redirects().follow(false).cookie(CsrfForm.COOKIE, mine.cookie()).formParam(CsrfForm.FIELD, other.field()).when()
                .post("/actions/pools/analytics/reset-metrics").then().statusCode(400);
        assertEquals(before, sampler.baseline("analytics").at(), "a refused form reset nothing");
    }

    @Test
    void theAdminActionsAreFormPostsOnly() {
        given().when().get("/actions/pools/main/reset-metrics").then().statusCode(equalTo(405));
    }
}
