package io.poolwatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * A headless Chromium from the distribution's packages ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}),
 * driven through Selenium; never one downloaded by Selenium Manager. Where no Chromium is installed the calling test
 * is skipped, unless {@code CHROMIUM_REQUIRED=true} makes that a failure (as in CI).
 */
public final class BrowserSession implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    private BrowserSession(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the test (or fails it, with CHROMIUM_REQUIRED=true) when Chromium or its driver is not installed. */
    public static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && Boolean.parseBoolean(System.getenv("CHROMIUM_REQUIRED"))) {
            throw new AssertionError("CHROMIUM_REQUIRED=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(present,
                "no Chromium: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium chromium-driver)");
    }

    /** A new headless browser with a laptop-sized window. */
    public static BrowserSession start(int width, int height) {
        requireChromium();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return new BrowserSession(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Makes the page see {@code prefers-color-scheme: dark} (or light), as a system setting would. */
    public void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** A PNG of the whole page, however long. */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Object result = driver
                .executeCdpCommand("Page.captureScreenshot", Map.of("captureBeyondViewport", true, "format", "png"))
                .get("data");
        Files.write(file, OutputType.BYTES.convertFromBase64Png(result.toString()));
    }

    /**
     * The axe-core violations of the page that are serious or critical, one line each (rule, impact, help, the first
     * offending elements); empty when there are none.
     */
    public List<String> seriousAccessibilityViolations() {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze(driver);
        if (results.isErrored()) {
            throw new AssertionError("axe-core failed: " + results.getErrorMessage());
        }
        return results.getViolations().stream().filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(BrowserSession::describe).toList();
    }

    private static String describe(Rule r) {
        return r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at "
                + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
