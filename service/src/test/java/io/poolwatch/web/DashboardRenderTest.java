package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

import io.poolwatch.checks.CheckResult;
import io.poolwatch.pool.SlowStatement;
import io.poolwatch.sampling.SizingAdvice;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.web.DashboardModel.AlertBanner;
import io.poolwatch.web.DashboardModel.AlertRow;
import io.poolwatch.web.DashboardModel.AlertsPage;
import io.poolwatch.web.DashboardModel.Chart;
import io.poolwatch.web.DashboardModel.CheckRow;
import io.poolwatch.web.DashboardModel.Event;
import io.poolwatch.web.DashboardModel.Gauge;
import io.poolwatch.web.DashboardModel.LeakRow;
import io.poolwatch.web.DashboardModel.Page;
import io.poolwatch.web.DashboardModel.PoolCard;
import io.poolwatch.web.DashboardModel.PoolPage;
import io.poolwatch.web.DashboardModel.PoolSessionsRow;
import io.poolwatch.web.DashboardModel.ReceiverRow;
import io.poolwatch.web.DashboardModel.ReplicaRow;
import io.poolwatch.web.DashboardModel.RuleRow;
import io.poolwatch.web.DashboardModel.ServerRow;
import io.poolwatch.web.DashboardModel.Setting;
import io.poolwatch.web.DashboardModel.SilenceForm;
import io.poolwatch.web.DashboardModel.SilenceRow;
import io.poolwatch.web.DashboardModel.WorkloadGroup;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every page and fragment rendered by its type-safe template from made-up views: empty (no pool, no history, nothing
 * run), normal, and extreme (50 pools, NaN and missing values, hostile text where people's data goes). Each result is
 * parsed as HTML and checked for what a person and a screen reader rely on: one card per pool, no NaN or "null" shown,
 * nothing unescaped, every form field labelled, every admin form with its CSRF field, ids unique.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class DashboardRenderTest {

    static final Instant NOW = Instant.parse("2026-11-22T14:00:00Z");
    static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&";

    /**
     * The overview as the embedded demo shows it: poolwatch's own pools first, no application defined, no PgBouncer, no
     * blocking read yet.
     */
    static TemplateInstance overview(Page page, AlertBanner banner, List<WorkloadGroup> groups, int poolCount,
            double utilizationWarning, String history, List<CheckRow> checks, List<ServerRow> servers,
            List<SizingAdvice> advice, DashboardModel.Faults faults) {
        DashboardModel.PoolList pools = DashboardModel.PoolList.of(groups);
        pools = new DashboardModel.PoolList(pools.groups(), List.of(), 0, PoolFilter.NONE, poolCount, pools.matching(), 0,
                pools.first(), pools.last(),
                1, 1, null, null, null);
        return overview(page, banner, pools, utilizationWarning, history, checks, servers, advice, faults);
    }

    /** The overview with a page of pools as {@link OverviewViews#poolList} makes it. */
    static TemplateInstance overview(Page page, AlertBanner banner, DashboardModel.PoolList pools,
            double utilizationWarning,
            String history, List<CheckRow> checks, List<ServerRow> servers, List<SizingAdvice> advice,
            DashboardModel.Faults faults) {
        return DashboardResource.Templates.index(page, banner, pools, utilizationWarning, history, checks, servers, advice,
                faults, false, new ApplicationViews.ApplicationOverview(List.of(), List.of(), 0, 0.8), false, List.of(),
                List.of(), true);
    }

    // --- overview --------------------------------------------------------------------------------------------------

    @Test
    void theOverviewRendersWithNoPoolAndNothingRun() {
        Document doc = render(overview(page(), banner(List.of()), List.of(), 0, 0.8, "1h", List.of(), List.of(),
                List.of(), faults(List.of(), null)).render());
        assertEquals(0, doc.select("article.card").size());
        assertTrue(doc.select("#pools .empty").text().contains("No pool is configured"), doc.select("#pools").outerHtml());
        assertTrue(doc.select("#alerts").text().contains("No alert is firing or pending"));
        assertTrue(doc.select("#checks .empty").text().contains("No consistency check"));
        assertTrue(doc.select("#servers .empty").text().contains("No server-side view"));
        assertTrue(doc.select("#faults .empty").text().contains("No fault has been started"));
    }

    @Test
    void theOverviewShowsACardPerPoolGroupedByWorkloadWithReplicas() {
        List<WorkloadGroup> groups = List.of(
                new WorkloadGroup("main",
                        List.of(card("main", 0.42, false), card("main-replica-1", 0.1, false, "main", "replica")),
                        List.of(new ReplicaRow(1, "postgresql://replica:5432/app", 2))),
                new WorkloadGroup("jobs", List.of(card("jobs", 0.9, false)), List.of()),
                new WorkloadGroup("financial", List.of(card("financial", 1.0, false)), List.of()));
        Document doc = render(overview(page(), banner(alerts()), groups, 4, 0.8, "1h", checks(false), servers(),
                List.of(new SizingAdvice("jobs", "undersized", "at its max-size of 10 in 12% of samples")),
                faults(List.of(), null)).render());
        assertEquals(List.of("main", "main-replica-1", "jobs", "financial"), doc.select("article.card").eachAttr("data-pool"));
        Element main = doc.selectFirst("section.workload:has(#pool-main)");
        assertTrue(main.select("#pool-main-replica-1").size() == 1, "the replica sits with its primary");
        assertTrue(main.text().contains("postgresql://replica:5432/app"));
        // the level is in words next to the colour, and the bar has an accessible name with the marks
        assertEquals("ok", doc.selectFirst("#pool-main .gauge").className().replace("gauge level-", ""));
        assertTrue(doc.selectFirst("#pool-jobs .gauge-text").text().contains("warning"));
        assertTrue(doc.selectFirst("#pool-financial .gauge-text").text().contains("critical"));
        assertTrue(doc.selectFirst("#pool-main svg.bar").attr("aria-label").contains("warning above 80%"));
        assertEquals("42.0", doc.selectFirst("#pool-main svg.bar rect.fill").attr("width"));
        assertEquals("80.0", doc.selectFirst("#pool-main line.mark-warning").attr("x1"));
        assertEquals("95.0", doc.selectFirst("#pool-main line.mark-critical").attr("x1"));
        assertFalse(doc.selectFirst("#pool-main svg.spark path.line").attr("d").isEmpty());
        // the banner: severity, since when, the alert's summary as the API has it, and a way to silence
        Element firing = doc.selectFirst("#alerts li.alert-firing");
        assertTrue(firing.text().contains("warning pool-utilization on pool jobs: 90.0% > 80.0% since"), firing.text());
        assertTrue(firing.text().contains("since 13:58:00"), firing.text());
        assertTrue(firing.select("a[href^=/alerts?silence=]").size() == 1);
        assertTrue(doc.selectFirst("#alerts h2").text().contains("1 firing · 1 pending"));
        assertTrue(doc.select("#checks tbody tr").size() == 2);
        assertTrue(doc.select("#checks").text().contains("fail"));
        assertTrue(doc.select("#servers").text().contains("42 of 97 usable"));
        assertTrue(doc.select("#servers").text().contains("undersized"));
        assertAccessible(doc);
    }

    @Test
    void fiftyPoolsWithNaNAndNoHistoryRenderWithoutNaN() {
        List<WorkloadGroup> groups = IntStream.range(0, 50)
                .mapToObj(i -> new WorkloadGroup("w" + i,
                        List.of(card("w" + i, i % 3 == 0 ? Double.NaN : i / 50.0, i % 2 == 0)), List.of()))
                .toList();
        String html = overview(page(), banner(alerts()), groups, 50, 0.8, "1h", checks(true), servers(), List.of(),
                faults(List.of(), null)).render();
        Document doc = render(html);
        assertEquals(50, doc.select("article.card").size());
        assertEquals(50, doc.select("article.card h4 a[href^=/pools/w]").size());
        assertTrue(
                doc.select("article.card svg.spark").stream().anyMatch(s -> s.attr("aria-label").contains("no samples yet")));
        assertTrue(doc.selectFirst("#pool-w0 .gauge-text").text().contains("unknown"), "NaN utilization reads as unknown");
        assertAccessible(doc);
    }

    /** Page 2 of 100 matching pools, as {@link OverviewViews#poolList} makes it, filtered by {@code text}. */
    static DashboardModel.PoolList secondPageOfAHundred(String text, String error) {
        List<WorkloadGroup> groups = IntStream.range(24, 48)
                .mapToObj(i -> new WorkloadGroup("p" + i, List.of(card("p" + i, i / 100.0, i % 5 == 0)), List.of())).toList();
        PoolFilter filter = new PoolFilter(text, "all", 2);
        return new DashboardModel.PoolList(groups, List.of(), 0, filter, 400, 100, 7, 25, 48, 2, 5, filter.onPage(1).pageLink(),
                filter.onPage(3).pageLink(), error);
    }

    @Test
    void aPageOfAHundredMatchingPoolsCountsWhatIsNotShownAndLinksOnWithTheFilter() {
        DashboardModel.PoolList pools = secondPageOfAHundred(HOSTILE, null);
        Document doc = render(
                overview(page(), banner(List.of()), pools, 0.8, "1h", List.of(), List.of(), List.of(), faults(List.of(), null))
                        .render());
        assertEquals(24, doc.select("article.card").size());
        assertEquals("p24", doc.select("article.card").first().attr("data-pool"));
        assertEquals("Showing 25–48 of 100 matching pools, page 2 of 5. 52 more pools match; next page.",
                doc.selectFirst("#pool-count").text());
        assertTrue(doc.selectFirst("#pools-title").text().contains("400 pools · 7 need a look"),
                doc.selectFirst("#pools-title").text());
        // The filter goes everywhere the list goes next: the refresh, the pages; encoded, and the typed text echoed as text.
        String q = URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8);
        assertEquals("/?fragment=pools&q=" + q + "&page=2", doc.selectFirst("#pools").attr("hx-get"));
        assertEquals("/?q=" + q + "&page=3#pool-list", doc.selectFirst("#pools-next").attr("href"));
        assertEquals("/?q=" + q + "#pool-list", doc.selectFirst("#pools-previous").attr("href"));
        assertEquals("/?q=" + q + "&page=3#pool-list", doc.selectFirst("#pool-count a[rel=next]").attr("href"));
        assertEquals(HOSTILE, doc.selectFirst("#pool-q").attr("value"));
        assertEquals("100", doc.selectFirst("#pool-q").attr("maxlength"));
        assertEquals("get", doc.selectFirst("form.pool-filter").attr("method"));
        assertEquals(1, doc.select("#pool-filter-clear").size());
        assertEquals("Page 2 of 5", doc.selectFirst(".pager .pager-at").text());
        assertEquals(0, doc.select("img[src=x]").size());
        assertEquals(0, doc.select("script:not([src])").size());
        assertAccessible(doc);
    }

    @Test
    void aRefusedFilterSaysWhyAndMarksTheFieldWithoutReloadingItself() {
        DashboardModel.PoolList pools = secondPageOfAHundred("",
                "page=" + HOSTILE + ": accepted: a whole number from 1 to 10000");
        Document doc = render(
                overview(page(), banner(List.of()), pools, 0.8, "1h", List.of(), List.of(), List.of(), faults(List.of(), null))
                        .render());
        Element error = doc.selectFirst("#pool-filter-error");
        assertEquals("alert", error.attr("role"));
        assertTrue(error.text().contains("page=" + HOSTILE + ": accepted: a whole number from 1 to 10000"), error.text());
        assertEquals("true", doc.selectFirst("#pool-q").attr("aria-invalid"));
        assertTrue(doc.selectFirst("#pool-q").attr("aria-describedby").contains("pool-filter-error"));
        assertEquals(0, doc.select("noscript meta[http-equiv=refresh]").size(), "no reload of a refused request");
        assertEquals(0, doc.select("img[src=x]").size());
        assertAccessible(doc);
    }

    @Test
    void aFilterMatchingNothingSaysSoAndHowToSeeEveryPool() {
        PoolFilter filter = new PoolFilter("nothing-like-it", "trouble", 1);
        DashboardModel.PoolList none = new DashboardModel.PoolList(List.of(), List.of(), 0, filter, 100, 0, 0, 0, 0, 1, 1, null,
                null, null);
        Document doc = render(DashboardResource.Templates.index$pools(page(), none).render());
        assertEquals("No pool matches “nothing-like-it” among the pools in trouble. Show every pool.",
                doc.selectFirst("#pool-count").text());
        assertEquals(0, doc.select("article.card").size());
        assertEquals(0, doc.select(".pager").size(), "one page: no pager");
        assertEquals("/?fragment=pools&q=nothing-like-it&show=trouble", doc.selectFirst("#pools").attr("hx-get"));
    }

    @Test
    void everyOverviewFragmentRendersAloneWithItsRefreshAttributes() {
        Page page = page();
        Map<String, String> fragments = Map.of(
                "alerts", DashboardResource.Templates.index$alerts(page, banner(alerts())).render(),
                "pools",
                DashboardResource.Templates.index$pools(page, DashboardModel.PoolList.of(List.of(new WorkloadGroup("main",
                        List.of(card("main", 0.5, false)), List.of())))).render(),
                "checks", DashboardResource.Templates.index$checks(page, checks(false)).render(),
                "servers", DashboardResource.Templates.index$servers(page, servers(), List.of()).render(),
                "faults", DashboardResource.Templates.index$faults(page, faults(faultRows(), null)).render());
        fragments.forEach((id, html) -> {
            Document doc = Jsoup.parseBodyFragment(html);
            Element root = doc.body().child(0);
            assertEquals(id, root.id(), html);
            assertEquals("/?fragment=" + id, root.attr("hx-get"));
            assertEquals("every 5s", root.attr("hx-trigger"));
            assertEquals("outerHTML", root.attr("hx-swap"));
            assertEquals(1, doc.body().childrenSize(), "one element, swapped as a whole: " + id);
            assertFalse(html.contains("<html"), "a fragment is not a page");
        });
    }

    @Test
    void theFaultPhasesListStateInWordsAndTheFormOffersEveryKindAndPool() {
        Document doc = render(overview(page(), banner(List.of()), List.of(), 0, 0.8, "1h", List.of(), List.of(),
                List.of(), faults(faultRows(), null)).render());
        Element form = doc.selectFirst("form[action=/actions/faults]");
        assertEquals(List.of("leak", "slow", "saturate", "inconsistency"), form.select("#fault-kind option").eachAttr("value"));
        assertEquals(List.of("main", "jobs", HOSTILE), form.select("#fault-workload option").eachAttr("value"));
        assertEquals("main", form.selectFirst("#fault-workload option[selected]").attr("value"));
        assertEquals("", form.selectFirst("#fault-duration").attr("value"));
        assertEquals(0, doc.select("#fault-error").size());
        assertEquals(1, doc.select("noscript meta[http-equiv=refresh]").size(),
                "the overview still reloads itself without scripts");
        List<String> states = doc.select("#faults tbody tr td:last-child .state").eachText();
        assertEquals(List.of("▶ running", "○ finished", "✕ failed"), states);
        assertTrue(doc.select("#faults tbody tr").get(2).text().contains(HOSTILE), "a failure's reason is shown, as text");
        assertEquals(0, doc.select("img[src=x]").size());
        assertTrue(doc.select("#faults h3").text().contains("1 running"));
        assertAccessible(doc);
    }

    @Test
    void aRefusedFaultFormKeepsWhatWasTypedSaysWhyAndDoesNotReload() {
        Document doc = render(overview(page(), banner(List.of()), List.of(), 0, 0.8, "1h", List.of(), List.of(),
                List.of(), faults(List.of(), "duration=" + HOSTILE + ": not a duration")).render());
        Element error = doc.selectFirst("#fault-error");
        assertTrue(error.text().contains("Not started: duration=" + HOSTILE), error.text());
        assertEquals("fault-error", doc.selectFirst("form[action=/actions/faults]").attr("aria-describedby"));
        assertEquals(HOSTILE, doc.selectFirst("#fault-duration").attr("value"));
        assertEquals("saturate", doc.selectFirst("#fault-kind option[selected]").attr("value"));
        assertEquals("jobs", doc.selectFirst("#fault-workload option[selected]").attr("value"));
        assertEquals(0, doc.select("noscript meta[http-equiv=refresh]").size(), "a reload would throw away what was typed");
        assertEquals(0, doc.select("img[src=x]").size());
        assertAccessible(doc);
    }

    // --- a pool's page ---------------------------------------------------------------------------------------------

    @Test
    void thePoolPageEscapesStatementsThreadsAndStacksAndMasksThePassword() {
        PoolPage pool = poolPage(card("main", 0.5, false), true);
        String html = DashboardResource.Templates.pool(page(), pool).render();
        Document doc = render(html);
        assertEquals(4, doc.select("figure.chart").size());
        assertTrue(doc.select("#chart-utilization svg line.threshold").size() == 1);
        // hostile text is shown as text, never as markup
        assertEquals(0, doc.select("script:not([src])").size(), "no inline script");
        assertEquals(0, doc.select("img[src=x]").size());
        assertTrue(doc.select("code.sql").text().contains(HOSTILE));
        assertTrue(doc.select(".leak code").eachText().contains(HOSTILE));
        assertTrue(doc.selectFirst("details pre.stack").text().contains(HOSTILE));
        assertFalse(doc.selectFirst("details").hasAttr("open"), "stacks are collapsed");
        assertTrue(doc.select("td code").eachText().contains("****"));
        assertFalse(html.contains("s3cr3t"));
        assertTrue(doc.select(".events li").size() == 2);
        Element reset = doc.selectFirst("form[action=/actions/pools/main/reset-metrics]");
        assertEquals("post", reset.attr("method"));
        assertAccessible(doc);
    }

    @Test
    void thePoolPageRendersWithNoHistoryNoLeaksAndNothingSlow() {
        PoolPage pool = poolPage(card("main", Double.NaN, true), false);
        Document doc = render(DashboardResource.Templates.pool(page(), pool).render());
        assertEquals(4, doc.select("figure.chart svg[aria-label*=no samples yet]").size());
        assertTrue(doc.text().contains("No connection has been held past the leak-detection interval."));
        assertTrue(doc.text().contains("No statement ran longer than the slow-query threshold"));
        assertTrue(doc.text().contains("Nothing has happened to this pool yet."));
        Document live = Jsoup.parseBodyFragment(DashboardResource.Templates.pool$live(page(), pool).render());
        assertEquals("/pools/main?fragment=live", live.body().child(0).attr("hx-get"));
        assertAccessible(doc);
    }

    // --- alerts and checks -----------------------------------------------------------------------------------------

    @Test
    void theAlertsPageListsEveryStateRulesSilencesAndDelivery() {
        List<AlertRow> all = alerts();
        AlertsPage alertsPage = new AlertsPage(all.stream().filter(a -> a.state().equals("firing")).toList(),
                all.stream().filter(a -> a.state().equals("pending")).toList(), List.of(silenced()), List.of(resolved()), NOW,
                List.of(new RuleRow("pool-utilization", "pool", null, "pool utilization", ">", "80%", "1m", "30s", "warning",
                        true, "built-in"),
                        new RuleRow("pool-utilization", "pool", "jobs", "pool utilization", ">", "90%", "1m", "30s", "warning",
                                true,
                                "poolwatch.pools.\"jobs\".alerts.\"pool-utilization\".threshold")),
                List.of(new SilenceRow("s-1", "pool=\"jobs\"", NOW.minusSeconds(60), NOW.plusSeconds(3600), HOSTILE, HOSTILE,
                        true)),
                true,
                "h2:./poolwatch-data",
                List.of(new ReceiverRow("ops", "https://hooks.example/…", "warning, critical", true, "bearer", 1, NOW,
                        NOW.minusSeconds(30), HOSTILE, 2, 10, 3, 0, 1, 4)),
                0, SilenceForm.blank());
        Document doc = render(DashboardResource.Templates.alerts(page(), alertsPage).render());
        assertEquals(List.of("Firing 1", "Pending 1", "Silenced 1", "Recently resolved 1"),
                doc.select(".alert-section h2").eachText());
        // each row has the alert's summary and description, as /api/v1/alerts has them: a resolved one reads as resolved
        Element firingRow = doc.selectFirst("#section-firing tbody tr");
        assertTrue(firingRow.text().contains("pool-utilization on pool jobs: 90.0% > 80.0%"), firingRow.text());
        assertTrue(
                firingRow.text().contains("Pool jobs: utilization (active / max-size) is 90.0%; warning above 80.0% for 1m."),
                firingRow.text());
        Element resolvedRow = doc.selectFirst("#section-resolved tbody tr");
        assertTrue(resolvedRow.text().contains("consistency-check on check ledger-balanced: the latest run passed"),
                resolvedRow.text());
        assertFalse(resolvedRow.text().contains(">="), "no comparison that reads as still breaching: " + resolvedRow.text());
        assertTrue(doc.select("#delivery").text().contains("ops"));
        assertTrue(doc.select("#delivery td.bad").text().equals("2"), "failures in a row");
        assertTrue(doc.text().contains("poolwatch.pools.\"jobs\".alerts.\"pool-utilization\".threshold"));
        assertEquals(1, doc.select("form[action=/actions/silences/s-1/expire]").size());
        assertEquals(0, doc.select("meta[http-equiv=refresh]").size(), "no reload that would throw away a silence being typed");
        assertAccessible(doc);

        AlertsPage empty = new AlertsPage(List.of(), List.of(), List.of(), List.of(), null, List.of(), List.of(), false, null,
                List.of(), 0,
                new SilenceForm(List.of(Map.entry("pool", HOSTILE)), "2h", HOSTILE, "", "comment: missing"));
        Document refused = render(DashboardResource.Templates.alerts(page(), empty).render());
        assertTrue(refused.select("#silence-error").text().contains("comment: missing"));
        assertEquals(HOSTILE, refused.selectFirst("#value-1").val());
        assertEquals("2h", refused.selectFirst("#silence-duration option[selected]").val());
        assertTrue(refused.select("#delivery").text()
                .contains("No receiver is configured, neither a webhook nor an Alertmanager"));
        assertAccessible(refused);
    }

    @Test
    void theChecksPageShowsEachChecksHistoryAndEscapesSampleRows() {
        Document doc = render(DashboardResource.Templates.checks(page(), checks(true)).render());
        assertEquals(2, doc.select("article.check").size());
        Element failing = doc.getElementById("ledger-balanced");
        assertTrue(failing.hasClass("check-failing"));
        assertEquals(3, failing.select("tbody tr").size() - failing.select("details tbody tr").size());
        assertTrue(failing.select("details code").eachText().contains(HOSTILE));
        assertEquals(0, doc.select("img[src=x]").size());
        assertTrue(doc.getElementById("never-run").text().contains("Not run yet."));
        assertAccessible(doc);
        Document none = render(DashboardResource.Templates.checks(page(), List.of()).render());
        assertTrue(none.text().contains("No consistency check is configured"));
    }

    @Test
    void theNotFoundPageNamesWhatIsMissing() {
        Document doc = render(DashboardResource.Templates.notFound(page(), "pool '" + HOSTILE + "'").render());
        assertTrue(doc.selectFirst("main p").text().contains(HOSTILE));
        assertEquals(0, doc.select("img[src=x]").size());
    }

    // --- checks on every page --------------------------------------------------------------------------------------

    /** What every rendered page must hold to, whatever its data. */
    static void assertAccessible(Document doc) {
        String text = doc.text();
        for (String bad : List.of("NaN", "Infinity", "null")) {
            assertFalse(text.matches("(?s).*\\b" + bad + "\\b.*"), "shows " + bad + ": " + snippet(text, bad));
        }
        assertEquals("en", doc.selectFirst("html").attr("lang"));
        assertEquals(1, doc.select("h1").size(), "one h1");
        assertEquals(1, doc.select("main#main").size());
        Set<String> ids = new HashSet<>();
        for (Element e : doc.select("[id]")) {
            assertTrue(ids.add(e.id()), "duplicate id " + e.id());
        }
        for (Element input : doc.select("input:not([type=hidden]), select, textarea")) {
            assertFalse(input.id().isEmpty(), "a field without id: " + input);
            assertEquals(1, doc.select("label[for=" + input.id() + "]").size(), "a field without its label: " + input);
        }
        for (Element form : doc.select("form[method=post]")) {
            assertEquals(1, form.select("input[type=hidden][name=_csrf]").size(),
                    "an admin form without its CSRF field: " + form);
            assertTrue(form.attr("action").startsWith("/actions/"),
                    "admin actions live under /actions/: " + form.attr("action"));
        }
        for (Element svg : doc.select("svg")) {
            assertEquals("img", svg.attr("role"));
            assertFalse(svg.attr("aria-label").isBlank(), "an SVG without a text alternative");
        }
        for (Element a : doc.select("a")) {
            assertFalse(a.text().isBlank() && a.select("img[alt]:not([alt=''])").isEmpty(), "a link without text: " + a);
        }
        for (Element button : doc.select("button")) {
            assertFalse(button.text().isBlank(), "a button without text");
        }
        assertEquals(0, doc.select("[style]").size(), "no inline style: a CSP without 'unsafe-inline' must not break the page");
        assertEquals(0, doc.select("script:not([src])").size(), "no inline script");
        for (Element e : doc.getAllElements()) {
            e.attributes().forEach(attr -> assertFalse(attr.getKey().startsWith("on"), "an inline handler: " + e));
        }
    }

    private static String snippet(String text, String word) {
        int i = text.indexOf(word);
        return i < 0 ? "" : text.substring(Math.max(0, i - 80), Math.min(text.length(), i + 40));
    }

    static Document render(String html) {
        Document doc = Jsoup.parse(html, "", Parser.htmlParser().setTrackErrors(50));
        assertTrue(doc.parser().getErrors().isEmpty() || html.isEmpty(), "HTML errors: " + doc.parser().getErrors());
        return doc;
    }

    // --- made-up views ---------------------------------------------------------------------------------------------

    static final List<String> FAULT_KINDS = List.of("leak", "slow", "saturate", "inconsistency");

    static DashboardModel.Faults faults(List<DashboardModel.FaultRow> rows, String error) {
        List<String> pools = List.of("main", "jobs", HOSTILE);
        DashboardModel.FaultForm form = error == null
                ? new DashboardModel.FaultForm(FAULT_KINDS, pools, "leak", "main", "", null)
                : new DashboardModel.FaultForm(FAULT_KINDS, pools, "saturate", "jobs", HOSTILE, error);
        return new DashboardModel.Faults(true, rows, (int) rows.stream().filter(r -> r.state().equals("running")).count(),
                form);
    }

    static List<DashboardModel.FaultRow> faultRows() {
        return List.of(
                new DashboardModel.FaultRow(3, "saturate", "jobs", NOW.minusSeconds(5), NOW.plusSeconds(25), "running", ""),
                new DashboardModel.FaultRow(2, "leak", "main", NOW.minusSeconds(120), NOW.minusSeconds(100), "finished", ""),
                new DashboardModel.FaultRow(1, "slow", HOSTILE, NOW.minusSeconds(300), NOW.minusSeconds(270), "failed",
                        HOSTILE));
    }

    static Page page() {
        return new Page("Test", "overview", NOW, 5, false, 1, 1, null, false, true);
    }

    static AlertBanner banner(List<AlertRow> alerts) {
        List<AlertRow> active = alerts.stream().filter(a -> !a.state().equals("resolved")).toList();
        return new AlertBanner(active, (int) active.stream().filter(a -> a.state().equals("firing")).count(),
                (int) active.stream().filter(a -> a.state().equals("pending")).count(), 0, NOW.minusSeconds(5));
    }

    static List<AlertRow> alerts() {
        return List.of(
                new AlertRow("f1", "pool-utilization", "firing", "warning", "pool jobs", "/pools/jobs",
                        "pool-utilization on pool jobs: 90.0% > 80.0%",
                        "Pool jobs: utilization (active / max-size) is 90.0%; warning above 80.0% for 1m.", 0.9, 0.8, ">",
                        "ratio", NOW.minusSeconds(120), NOW.minusSeconds(180), false,
                        List.of(), Map.of("alertname", "pool-utilization", "pool", "jobs")),
                new AlertRow("f2", "checkout-time", "pending", "warning", "pool main", "/pools/main", "checkout-time", HOSTILE,
                        2.5, 2, ">",
                        "seconds", NOW.minusSeconds(20), NOW.minusSeconds(20), false, List.of(),
                        Map.of("alertname", "checkout-time")));
    }

    static AlertRow silenced() {
        return new AlertRow("f3", "leaked-connections", "firing", "critical", "pool jobs", "/pools/jobs", "leaks", "", 7, 5,
                ">=",
                "connections", NOW.minusSeconds(600), NOW.minusSeconds(600), true, List.of("s-1"), Map.of());
    }

    static AlertRow resolved() {
        return new AlertRow("f4", "consistency-check", "resolved", "critical", "check ledger-balanced",
                "/checks#ledger-balanced",
                "consistency-check on check ledger-balanced: the latest run passed",
                "Check ledger-balanced (ledger-balance check): the latest run passed, 0 violation(s), 0 allowed; full, whole table.",
                0, 1, ">=",
                "failing", NOW.minusSeconds(60), NOW.minusSeconds(900), false, List.of(), Map.of());
    }

    static PoolCard card(String name, double utilization, boolean empty) {
        return card(name, utilization, empty, name, "primary");
    }

    static PoolCard card(String name, double utilization, boolean empty, String workload, String role) {
        Sparkline util = empty ? Sparkline.none(120, 32, NOW.minusSeconds(3600), NOW) : line(utilization, 120, 32, 1.0, 0.8);
        Sparkline checkout = empty ? Sparkline.none(120, 32, NOW.minusSeconds(3600), NOW)
                : line(Double.NaN, 120, 32, 1.0, 2000);
        return new PoolCard(name, workload, role, name.equals("main"), "postgresql", empty ? "unknown" : "up",
                "utilization 0.42, 0 waiting", !empty, empty ? null : NOW.minusSeconds(2),
                new Gauge(utilization, 0.8, 0.95, "6 of 15"), 6,
                4, utilization >= 1 ? 3 : 0, 2, 15, empty ? Double.NaN : 2.5, 2000, empty ? Double.NaN : 0.002, 0.05, 0, 5,
                empty ? -1 : 3,
                util, checkout, empty ? NO_TLS_TO_REMOTE : VERIFIED_TLS,
                role.equals("replica")
                        ? new DashboardModel.ReplicaView("lagging", "replay lag 42.0 s is over max-lag 30 s", false, 2,
                                "paused", 42.0,
                                1_048_576, 10.0)
                        : null);
    }

    @Test
    void aReplicaCardShowsItsRoutingAndItsLagAgainstTheThreshold() {
        List<WorkloadGroup> groups = List
                .of(new WorkloadGroup("main", List.of(card("main", 0.4, false), card("main-replica-1", 0.1, false, "main",
                        "replica")), List.of()));
        Document doc = render(overview(page(), banner(List.of()), groups, 2, 0.8, "1h", List.of(), List.of(),
                List.of(), faults(List.of(), null)).render());
        Element replica = doc.selectFirst("#pool-main-replica-1 .replica-state");
        assertTrue(replica.text().contains("not routed (lagging)"), replica.text());
        assertTrue(replica.text().contains("replication paused"), replica.text());
        assertTrue(replica.text().contains("1048576 bytes"), replica.text());
        assertTrue(replica.text().contains("above the replica-lag threshold"),
                "the breach is said in words, not only by colour: " + replica.text());
        assertEquals(1, replica.select(".bad").size());
        assertTrue(doc.select("#pool-main .replica-state").isEmpty(), "a primary has no replica line");
    }

    static final TlsView VERIFIED_TLS = new TlsView(true, "verify-full", "poolwatch.defaults.tls.mode", "/etc/poolwatch/ca.pem",
            true,
            "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, true, NOW.minusSeconds(30), null, null);
    static final TlsView NO_TLS_TO_REMOTE = new TlsView(true, "disable", "DATABASE_URL (URL parameter sslmode)", null, false,
            null, null,
            false, false, NOW.minusSeconds(30), null,
            "pool jobs is connected to db.example without TLS (reported by the server); set "
                    + "poolwatch.pools.\"jobs\".tls.mode=verify-full and poolwatch.pools.\"jobs\".tls.ca-file");

    @Test
    void poolCardsShowTlsAsTextAndTheWarning() {
        List<WorkloadGroup> groups = List.of(new WorkloadGroup("main", List.of(card("main", 0.4, false)), List.of()),
                new WorkloadGroup("jobs", List.of(card("jobs", 0.1, true)), List.of()));
        Document doc = render(overview(page(), banner(List.of()), groups, 2, 0.8, "1h", List.of(), List.of(),
                List.of(), faults(List.of(), null)).render());
        Element mainBadge = doc.selectFirst("#pool-main .tag.tls-on");
        assertEquals("TLS", mainBadge.text());
        assertEquals("mode verify-full; encrypted, TLSv1.3 TLS_AES_256_GCM_SHA384; certificate and host name verified",
                mainBadge.attr("title"));
        assertEquals("no TLS", doc.selectFirst("#pool-jobs .tag.tls-off").text());
        assertTrue(
                doc.selectFirst("#pool-jobs [role=note]").text().contains("pool jobs is connected to db.example without TLS"));
        assertTrue(doc.select("#pool-main [role=note]").isEmpty());
    }

    /** A made-up hour of samples: a ramp with a gap (NaN) in the middle. */
    static Sparkline line(double end, int w, int h, double floor, double threshold) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            double v = i == 30 ? Double.NaN : (Double.isFinite(end) ? end * i / 60 : i % 7);
            points.add(new double[] { i, v });
        }
        return Sparkline.of(points, p -> NOW.minusSeconds(3600).plusSeconds((long) p[0] * 60), p -> p[1],
                NOW.minusSeconds(3600), NOW, w, h,
                floor, threshold, Duration.ofMinutes(5));
    }

    static PoolPage poolPage(PoolCard card, boolean data) {
        Sparkline none = Sparkline.none(600, 160, NOW.minusSeconds(3600), NOW);
        List<Chart> charts = List.of(
                new Chart("utilization", "Utilization", "ratio", data ? line(0.6, 600, 160, 1, 0.8) : none, "threshold"),
                new Chart("checkout", "Checkout", "ms", data ? line(Double.NaN, 600, 160, 1, 2000) : none, "threshold"),
                new Chart("awaiting", "Awaiting", "count", data ? line(3, 600, 160, 1, Double.NaN) : none, null),
                new Chart("errors", "Errors", "ratio", data ? line(0.01, 600, 160, 0.1, 0.05) : none, "threshold"));
        List<LeakRow> leaks = data
                ? List.of(new LeakRow("conn-1", HOSTILE, "WAITING", NOW.minusSeconds(90), NOW.minusSeconds(5), "2m",
                        List.of("app.Service.work(Service.java:42)", HOSTILE), true, null))
                : List.of();
        List<SlowStatement> slow = data
                ? List.of(new SlowStatement(HOSTILE + " SELECT * FROM t WHERE id = ?", 3, 2300, 1200, NOW))
                : List.of();
        List<Setting> settings = List.of(new Setting("url", "postgresql://db:5432/app", "DATABASE_URL"),
                new Setting("password", "****", "DATABASE_URL"));
        List<Event> events = data ? List.of(new Event(NOW.minusSeconds(10), "alert", "pool-utilization firing"),
                new Event(NOW.minusSeconds(90), "leak", "connection conn-1 held by " + HOSTILE)) : List.of();
        return new PoolPage(card, charts, leaks, slow, settings, List.of(), events, data ? NOW.minusSeconds(300) : null,
                data ? 720 : 0);
    }

    static List<CheckRow> checks(boolean withHistory) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("transaction_id", 42);
        sample.put("note", HOSTILE);
        List<CheckResult> history = withHistory ? List.of(
                new CheckResult("ledger-balanced", "fail", 1L, 0, "full", "whole table", NOW.minusSeconds(30), 0.25, null,
                        List.of(sample),
                        "schedule", "critical", "analytics"),
                new CheckResult("ledger-balanced", "timeout", null, 0, "full", "whole table", NOW.minusSeconds(330), 30,
                        HOSTILE, List.of(),
                        "manual", "critical", "analytics"),
                new CheckResult("ledger-balanced", "pass", 0L, 0, "full", "whole table", NOW.minusSeconds(630), 0.2, null,
                        List.of(),
                        "schedule", "critical", "analytics"))
                : List.of();
        Sparkline durations = withHistory ? line(250, 240, 40, 1, Double.NaN) : Sparkline.none(240, 40, NOW, NOW);
        return List.of(
                new CheckRow("ledger-balanced", "Debits equal credits per transaction", "ledger-balance", "analytics", "full",
                        "5m", "critical",
                        false, NOW.plusSeconds(270), "fail", 1L, 0, NOW.minusSeconds(29), 0.25, null, history, durations),
                new CheckRow("never-run", null, "sql", "analytics", "full", "off", "warning", false, null, "not run", null, 0,
                        null, Double.NaN,
                        null, List.of(), Sparkline.none(240, 40, NOW, NOW)));
    }

    static List<ServerRow> servers() {
        return List.of(
                new ServerRow("127.0.0.1:5432/app", "postgresql", true, null, NOW.minusSeconds(3), 42, 100, 3,
                        new Gauge(42 / 97.0, 0.8, 0.95, "42 of 97 usable (max_connections 100, 3 reserved)"),
                        Map.of("active", 4, "idle", 38),
                        "12s", List.of(new PoolSessionsRow("main", "poolwatch-main", 2, 5, "2 active, 5 idle"))),
                new ServerRow("db2:3306/app", "mariadb", false, "cannot connect: " + HOSTILE, NOW, 0, null, 0,
                        new Gauge(Double.NaN, 0.8, 0.95, "not read"), Map.of(), null, List.of()));
    }
}
