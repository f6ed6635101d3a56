package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.poolwatch.testing.BrowserSession;
import io.poolwatch.testing.PoolwatchProcess;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the packaged jar on its embedded default: the
 * demo database, the simulated load and its faults. The packaged jar rather than a {@code @QuarkusTest}, because the
 * promise under test is the one the README makes: {@code java -jar} with nothing configured shows a living page.
 * The demo's fault cycle is shortened (5s instead of 90s between faults) so its fault phase comes within the test.
 * <p>
 * Screenshots of the overview, light and dark, go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> WORKLOADS = List.of("main", "jobs", "analytics", "financial");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static PoolwatchProcess app;
    private static BrowserSession browser;

    @BeforeAll
    static void start() throws Exception {
        BrowserSession.requireChromium();
        app = PoolwatchProcess.start(Map.of(), Map.of("poolwatch.simulator.demo-cycle-interval", "5s"));
        app.awaitStarted(START).orElseThrow(() -> new AssertionError("poolwatch did not start:\n" + output()));
        browser = BrowserSession.start(1280, 900);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.terminate(Duration.ofSeconds(40));
            app.close();
        }
    }

    @Test
    @Order(1)
    void theOverviewShowsACardPerPoolAndUpdatesWithoutReloading() {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/");
        List<String> cards = new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("article.card")).stream().map(e -> e.getDomAttribute("data-pool"))
                        .toList());
        assertEquals(WORKLOADS, cards);
        List<String> api = given().baseUri(app.baseUri()).when().get("/api/v1/pools").then().statusCode(200).extract()
                .jsonPath()
                .getList("name", String.class);
        assertEquals(api, cards, "a card for every pool the API lists");

        // A mark the page would lose if it reloaded.
        driver.executeScript("window.poolwatchTestMark = 'still here';");
        // htmx replaces the card's element on each refresh: an element found a moment ago may be gone (stale), so read it again.
        String before = driver.findElement(By.id("pool-main")).getDomAttribute("data-sampled-at");
        new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until(d -> {
            String now = d.findElement(By.id("pool-main")).getDomAttribute("data-sampled-at");
            return now != null && !now.isEmpty() && !now.equals(before);
        });
        assertEquals("still here", driver.executeScript("return window.poolwatchTestMark;"), "the page was reloaded");
        assertTrue(driver.findElement(By.id("live-status")).getText().contains("live, every 5s"),
                driver.findElement(By.id("live-status")).getText());
    }

    @Test
    @Order(2)
    void theDemosFaultPhaseShowsAnAlertWithoutReloadingAndSparklinesMove() throws Exception {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/");
        driver.executeScript("window.poolwatchTestMark = 'still here';");
        String line = fresh(d -> d.findElement(By.cssSelector("#pool-main svg.spark path.line")).getDomAttribute("d"));
        // The demo's faults start 30 s after start-up; the alert shows once the rules see them.
        new WebDriverWait(driver, Duration.ofSeconds(150)).ignoring(StaleElementReferenceException.class).until(
                ExpectedConditions
                        .presenceOfElementLocated(By.cssSelector("#alerts li.alert-pending, #alerts li.alert-firing")));
        String text = fresh(d -> d.findElement(By.cssSelector("#alerts li.alert-pending, #alerts li.alert-firing")).getText());
        assertTrue(text.matches("(?s).*(pending|firing).* on (pool|database|replica|check) .*since.*"), text);
        assertEquals("still here", driver.executeScript("return window.poolwatchTestMark;"), "the page was reloaded");
        // The line moves on the next sample, which may come after the alert shows.
        new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .withMessage("the sparkline did not move from " + line).until(d -> {
                    String now = d.findElement(By.cssSelector("#pool-main svg.spark path.line")).getDomAttribute("d");
                    return now != null && !now.equals(line);
                });

        browser.colorScheme("light");
        browser.screenshot(SCREENSHOTS.resolve("dashboard-overview-light.png"));
        browser.colorScheme("dark");
        browser.screenshot(SCREENSHOTS.resolve("dashboard-overview-dark.png"));
        browser.colorScheme("light");
    }

    @Test
    @Order(3)
    void aPoolLinkLeadsToThePoolsPageAndResetMetricsIsAnAdminForm() {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/");
        fresh(d -> {
            d.findElement(By.cssSelector("#pool-jobs h4 a")).click();
            return true;
        });
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.urlToBe(app.baseUri() + "/pools/jobs"));
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("jobs"));
        // The last hour's five charts (the max-size in effect among them), and the last 24 hours' two (checkout p95 and
        // utilization).
        assertEquals(7, driver.findElements(By.cssSelector("figure.chart svg")).size());
        assertEquals(1, driver.findElements(By.cssSelector("#chart-max-size svg")).size());
        assertEquals(1, driver.findElements(By.cssSelector("#chart-trend-checkout svg")).size());
        assertEquals(1, driver.findElements(By.cssSelector("#chart-trend-utilization svg")).size());

        driver.findElement(By.id("reset-jobs")).click();
        // The form asks first.
        new WebDriverWait(driver, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.alertIsPresent()).accept();
        awaitUrl("done=reset", Duration.ofSeconds(10));
        assertTrue(driver.findElement(By.cssSelector("p.notice")).getText().contains("Metrics of pool jobs reset"));
        String resetAt = given().baseUri(app.baseUri()).when().get("/api/v1/pools/jobs").then().statusCode(200).extract()
                .asString();
        assertTrue(resetAt.contains("\"name\":\"jobs\""), resetAt);
        assertTrue(fresh(d -> d.findElement(By.id("live")).getText()).contains("metrics reset"));
    }

    @Test
    @Order(4)
    void aCheckRunsFromItsButtonAndAnAlertCanBeSilencedFromThePage() {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/checks");
        driver.findElement(By.id("run-ledger-balanced")).click();
        awaitUrl("done=", Duration.ofSeconds(60));
        assertTrue(
                driver.findElement(By.cssSelector("p.notice")).getText()
                        .matches("Check ledger-balanced (ran: \\w+|is still running).*"),
                driver.findElement(By.cssSelector("p.notice")).getText());

        driver.get(app.baseUri() + "/alerts");
        driver.findElement(By.id("matcher-1")).clear();
        driver.findElement(By.id("matcher-1")).sendKeys("pool");
        driver.findElement(By.id("value-1")).sendKeys("analytics");
        driver.findElement(By.id("silence-comment")).sendKeys("browser test");
        driver.findElement(By.id("silence-submit")).click();
        awaitUrl("done=silenced", Duration.ofSeconds(10));
        assertTrue(fresh(d -> d.findElement(By.id("active")).getText()).contains("pool=\"analytics\""));
        assertTrue(given().baseUri(app.baseUri()).when().get("/api/v1/silences").then().statusCode(200).extract().asString()
                .contains("browser test"));
    }

    @Test
    @Order(5)
    void noPageHasASeriousAccessibilityViolationInLightOrDark() {
        var driver = browser.driver();
        List<String> problems = new ArrayList<>();
        for (String scheme : List.of("light", "dark")) {
            browser.colorScheme(scheme);
            for (String page : List.of("/", "/pools/main", "/pools/jobs", "/alerts", "/checks")) {
                driver.get(app.baseUri() + page);
                browser.seriousAccessibilityViolations().forEach(v -> problems.add(scheme + " " + page + ": " + v));
            }
        }
        browser.colorScheme("light");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @Order(6)
    void aPhoneSizedWindowShowsThePageWithoutSidewaysScrolling() {
        var driver = browser.driver();
        // A desktop window cannot be made this narrow: emulate the phone's screen, as DevTools' device mode does.
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
        try {
            for (String page : List.of("/", "/pools/main", "/alerts", "/checks")) {
                driver.get(app.baseUri() + page);
                long overflow = (Long) driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(overflow <= 0, page + " scrolls sideways by " + overflow + "px on a phone, past the edge: "
                        + driver.executeScript(WIDER_THAN_SCREEN));
            }
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    @Order(7)
    void aFaultStartsFromTheOverviewsFormAndIsListedThere() {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/");
        new Select(driver.findElement(By.id("fault-kind"))).selectByValue("slow");
        new Select(driver.findElement(By.id("fault-workload"))).selectByValue("main");
        driver.findElement(By.id("fault-duration")).sendKeys("10s");
        driver.findElement(By.id("fault-submit")).click();
        // The form asks first.
        new WebDriverWait(driver, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.alertIsPresent()).accept();
        awaitUrl("done=fault", Duration.ofSeconds(10));
        String notice = driver.findElement(By.cssSelector("p.notice")).getText();
        assertTrue(notice.matches("Fault slow started on main until \\d\\d:\\d\\d:\\d\\d UTC\\."), notice);
        String first = fresh(d -> d.findElement(By.cssSelector("#faults tbody tr")).getText());
        assertTrue(first.contains("slow") && first.contains("main") && first.contains("running"), first);
    }

    /** The innermost elements that reach past the window's right edge, outside any scrolling box. */
    private static final String WIDER_THAN_SCREEN = """
            const w = document.documentElement.clientWidth, out = [];
            for (const e of document.querySelectorAll('body *')) {
              if (e.getBoundingClientRect().right <= w + 1) continue;
              let p = e.parentElement, scrolled = false;
              for (; p && p !== document.body; p = p.parentElement) { if (getComputedStyle(p).overflowX === 'auto') { scrolled = true; break; } }
              if (scrolled) continue;
              out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className : '')
                + ' ' + Math.round(e.getBoundingClientRect().right));
            }
            return out.slice(0, 12).join(', ');
            """;

    /**
     * Waits for the browser to reach a page whose address contains {@code part}; when it does not, the failure shows where
     * it is, what that page says and the end of poolwatch's log, so a refused form names its reason.
     */
    private static void awaitUrl(String part, Duration timeout) {
        var driver = browser.driver();
        try {
            new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                    .until(ExpectedConditions.urlContains(part));
        } catch (TimeoutException e) {
            String page;
            try {
                page = driver.findElement(By.tagName("body")).getText();
            } catch (RuntimeException unreadable) {
                page = unreadable.toString();
            }
            String log = output();
            throw new AssertionError(
                    "no page with '" + part + "' in its address within " + timeout + "; at " + driver.getCurrentUrl()
                            + ", which says:\n" + page.substring(0, Math.min(page.length(), 2_000))
                            + "\n--- poolwatch's log (end) ---\n"
                            + log.substring(Math.max(0, log.length() - 6_000)),
                    e);
        }
    }

    private static String output() {
        try {
            return app == null ? "" : app.output();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Reads from the page, again if htmx replaced the element between finding and reading it. */
    private static <T> T fresh(Function<WebDriver, T> read) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                .until(read::apply);
    }
}
