package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.poolwatch.testing.BrowserSession;
import io.poolwatch.testing.PoolwatchProcess;

/**
 * The overview with 100 pools in a real browser (Debian's headless Chromium) against the packaged jar on its embedded
 * default: the demo's 4 pools and 96 more that open no connection until used. A person pages through them and filters
 * them with the plain form, and the pools fragment's refresh keeps the filter.
 */
class DashboardHundredPoolsBrowserIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static PoolwatchProcess app;
    private static BrowserSession browser;

    @BeforeAll
    static void start() throws Exception {
        BrowserSession.requireChromium();
        Map<String, String> properties = new HashMap<>();
        // Sampling every second: the pools fragment refreshes within the test.
        properties.put("poolwatch.sampling.interval", "1s");
        for (int i = 1; i <= 96; i++) {
            properties.put(String.format("poolwatch.pools.p%03d.min-size", i), "0");
            properties.put(String.format("poolwatch.pools.p%03d.max-size", i), "2");
        }
        app = PoolwatchProcess.start(Map.of(), properties);
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
    void aPersonPagesThroughAHundredPoolsAndFiltersThemAndTheRefreshKeepsTheFilter() throws Exception {
        var driver = browser.driver();
        driver.get(app.baseUri() + "/");
        List<String> first = cards();
        assertEquals(PoolFilter.PAGE_SIZE, first.size(), first.toString());
        String count = text("pool-count");
        assertTrue(count.startsWith("Showing 1–24 of 100 pools, page 1 of 5."), count);
        assertTrue(count.contains("76 more pools match; next page."), count);

        driver.findElement(By.id("pools-next")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("page=2"));
        List<String> second = cards();
        assertEquals(PoolFilter.PAGE_SIZE, second.size());
        assertTrue(second.stream().noneMatch(first::contains), "page 2 shows other pools: " + first + " / " + second);
        assertTrue(text("pool-count").startsWith("Showing 25–48 of 100 pools, page 2 of 5."));

        driver.findElement(By.id("pool-q")).clear();
        driver.findElement(By.id("pool-q")).sendKeys("P05");
        driver.findElement(By.id("pool-filter-submit")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("q=P05"));
        List<String> filtered = cards();
        assertEquals(List.of("p050", "p051", "p052", "p053", "p054", "p055", "p056", "p057", "p058", "p059"),
                filtered.stream().sorted().toList());
        assertEquals("Showing 1–10 of 10 matching pools.", text("pool-count"));
        assertEquals("P05", driver.findElement(By.id("pool-q")).getDomProperty("value"));

        // The fragment refreshes itself (htmx, every sampling interval) with the filter: still the same ten pools.
        String sampled = "return document.querySelector('#pools article.card').dataset.sampledAt;";
        String before = (String) driver.executeScript(sampled);
        new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(JavascriptException.class)
                .until(d -> !before.equals(driver.executeScript(sampled)));
        assertEquals(filtered.stream().sorted().toList(), cards().stream().sorted().toList());
        assertTrue(((String) driver.executeScript("return document.getElementById('pools').getAttribute('hx-get');"))
                .contains("q=P05"));

        List<String> problems = new ArrayList<>();
        for (String scheme : List.of("light", "dark")) {
            browser.colorScheme(scheme);
            driver.get(app.baseUri() + "/?q=p0&page=2");
            browser.seriousAccessibilityViolations().forEach(v -> problems.add(scheme + ": " + v));
            Files.createDirectories(SCREENSHOTS);
            browser.screenshot(SCREENSHOTS.resolve("dashboard-100-pools-" + scheme + ".png"));
        }
        browser.colorScheme("light");
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // A refused page number: 400, said in the page, every pool's first page shown.
        driver.get(app.baseUri() + "/?page=zero");
        assertTrue(text("pool-filter-error").contains("page=zero: accepted: a whole number from 1 to 10000"));
        assertNotEquals(0, cards().size());
    }

    /** The cards' pool names, read in one script: the fragment is swapped every second, so element by element goes stale. */
    @SuppressWarnings("unchecked")
    private static List<String> cards() {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> {
            List<String> names = (List<String>) browser.driver()
                    .executeScript(
                            "return Array.from(document.querySelectorAll('#pools article.card')).map(e => e.dataset.pool);");
            return names == null || names.isEmpty() ? null : names;
        });
    }

    /** An element's rendered text, read in one script. */
    private static String text(String id) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> (String) browser.driver()
                .executeScript("const e = document.getElementById(arguments[0]); return e ? e.innerText.trim() : null;", id));
    }

    private static String output() {
        try {
            return app == null ? "" : app.output();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
