package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The live page in a real browser (Debian's Chromium, driven by its chromedriver), against the
 * running sample app: every control, clicked as a person clicks (pressed for 120 ms while the
 * page refreshes), and the numbers it shows against the endpoint's. Nothing here tolerates a
 * stale element: the page updates in place, so an element found once stays valid.
 *
 * <p>Skipped, saying so, where Chromium is not installed, before any Spring context starts; CI
 * installs it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "chromiumInstalled", disabledReason = "Chromium is not installed (Debian packages 'chromium'"
        + " and 'chromium-driver'): the browser test cannot run here")
class LiveViewBrowserTest extends RunningSampleApp {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private ChromeDriver browser;
    private WebDriverWait wait;

    static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    void startBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1280,1250",
                        "--user-data-dir=" + Files.createTempDirectory("qorb-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Opens the page once the app serves: every backend listed, none drained, health UP. */
    @BeforeEach
    void openThePage() {
        browser.get("http://localhost:" + port + "/");
        for (String pool : POOLS) {
            wait.until(d -> rows(pool).size() == 3);
            awaitRows(pool, "draining", 0);
            wait.until(d -> "UP".equals(health(pool).getAttribute("data-health")));
        }
    }

    /** Keeps the page as the test left it (target/live-view-after-*.png), then puts the app back. */
    @AfterEach
    void restore(TestInfo test) throws Exception {
        screenshot("after-" + test.getTestMethod().orElseThrow().getName());
        restoreTheDemo();
    }

    @Test
    void backendsKeepTheirPlacesAndTheirButtonsAcrossRefreshes() {
        Map<String, List<WebElement>> before = new LinkedHashMap<>();
        for (String pool : POOLS) {
            List<WebElement> rows = rows(pool);
            assertThat(rows).extracting(row -> row.getAttribute("data-backend")).as("backends in name order")
                    .isSortedAccordingTo(String::compareTo);
            before.put(pool, rows);
        }
        awaitRefreshes(2);
        // The same elements, in the same order: none replaced (it would be stale) or moved.
        before.forEach((pool, rows) -> {
            assertThat(rows(pool)).isEqualTo(rows);
            assertThat(rows).allSatisfy(row -> assertThat(row.isDisplayed()).isTrue());
        });
        // The DNS pool names its backends by their SRV targets.
        assertThat(rows("echo-dns")).allSatisfy(row ->
                assertThat(row.getAttribute("data-backend")).startsWith("backend-"));
    }

    @Test
    void aBackendStoppedFromThePageGoesOfflineWithItsErrorAndAgeAndComesBack() throws Exception {
        int id = backendOnlineInBothPools();
        int backendPort = backends.views().get(id).port();
        WebElement stop = demoButton(id, "stop-start");
        slowClick(stop);
        List<WebElement> rows = List.of(row("echo-dns", "backend-" + id + "."),
                row("echo-fixed", "127.0.0.1:" + backendPort));
        for (WebElement row : rows) {
            wait.until(d -> "offline".equals(row.getAttribute("data-state")));
            wait.until(d -> row.findElement(By.cssSelector(".error")).getText().contains("Exception"));
            wait.until(d -> row.findElement(By.cssSelector(".age")).getText().matches("\\d+ s ago"));
        }
        // The others still serve: degraded (HTTP 200), not down.
        assertThat(health("echo-fixed").getAttribute("data-health")).isEqualTo("DEGRADED");
        screenshot("backend-stopped");

        assertThat(stop.getText()).isEqualTo("start");
        slowClick(stop);
        for (WebElement row : rows) {
            wait.until(d -> "online".equals(row.getAttribute("data-state")));
        }
    }

    @Test
    void drainingFromThePageStopsLendingAndEveryBackendDrainedTurnsTheBadgeRed() {
        List<WebElement> buttons = pool("echo-fixed").findElements(By.cssSelector("button.drain"));
        slowClick(buttons.get(0));
        awaitRows("echo-fixed", "draining", 1);
        assertThat(health("echo-fixed").getAttribute("data-health")).isEqualTo("UP");
        slowClick(buttons.get(1));
        slowClick(buttons.get(2));
        awaitRows("echo-fixed", "draining", 3);
        // Nothing can be served: health says DOWN, and the badge says it in red.
        wait.until(d -> "DOWN".equals(health("echo-fixed").getAttribute("data-health")));
        assertThat(health("echo-fixed").getText()).startsWith("DOWN");
        assertThat(health("echo-fixed").getCssValue("background-color")).isEqualTo("rgba(248, 207, 207, 1)");
        wait.until(d -> text("echo-fixed", "failed-kinds").contains("no backends online"));

        buttons.forEach(this::slowClick);
        awaitRows("echo-fixed", "online", 3);
        wait.until(d -> "UP".equals(health("echo-fixed").getAttribute("data-health")));
    }

    @Test
    void aBackendRemovedFromDnsLeavesTheDnsPoolAndComesBackWhenAdded() {
        WebElement dns = demoButton(1, "dns");
        WebElement resolve = pool("echo-dns").findElement(By.cssSelector("button.resolve"));
        assertThat(dns.getText()).isEqualTo("remove from DNS");
        slowClick(dns);
        wait.until(d -> dns.getText().equals("add to DNS"));
        // Looked up now rather than at the next query interval; the page shows the endpoint's answer.
        slowClick(resolve);
        wait.until(d -> d.findElement(By.id("action")).getText().contains("pool 'echo-dns': lookup requested"));
        wait.until(d -> rows("echo-dns").size() == 2);
        assertThat(rows("echo-fixed")).hasSize(3);

        slowClick(dns);
        slowClick(resolve);
        wait.until(d -> rows("echo-dns").size() == 3);
        awaitRows("echo-dns", "online", 3);
    }

    @Test
    void claimerButtonsGoUpAndDownAndBackToTheStart() {
        slowClick(button("echo-fixed", "claimers-plus5"));
        awaitNumber("echo-fixed", "claimers", 8);
        slowClick(button("echo-fixed", "claimers-minus1"));
        awaitNumber("echo-fixed", "claimers", 7);
        slowClick(button("echo-fixed", "claimers-plus1"));
        slowClick(button("echo-fixed", "claimers-plus1"));
        awaitNumber("echo-fixed", "claimers", 9);
        slowClick(button("echo-fixed", "claimers-minus5"));
        awaitNumber("echo-fixed", "claimers", 4);
        assertThat(button("echo-fixed", "claimers-reset").getText()).isEqualTo("back to 3");
        slowClick(button("echo-fixed", "claimers-reset"));
        awaitNumber("echo-fixed", "claimers", 3);
        assertThat(workload.views().get("echo-fixed").claimers()).isEqualTo(3);
    }

    @Test
    void aLongHoldTimeUsesEveryClaimAndShowsInTheClaimWait() {
        // 8 claimers holding each connection 3 s, on 6 slots with a 2 s claim timeout.
        slowClick(button("echo-fixed", "claimers-plus5"));
        new Select(pool("echo-fixed").findElement(By.cssSelector("select.hold"))).selectByVisibleText("3 s");
        wait.until(d -> text("echo-fixed", "failed-kinds").contains("all claims used"));
        wait.until(d -> millis("echo-fixed", "wait-p99") >= 1000);
        assertThat(workload.views().get("echo-fixed").holdMillis()).isEqualTo(3000);
    }

    @Test
    void thePageCountsFailedClaimsOnceAsTheEndpointDoes() throws Exception {
        // Failures on both pools: every backend stopped until more claims fail, then started again.
        Map<String, Long> before = new LinkedHashMap<>();
        POOLS.forEach(pool -> before.put(pool, number(pool, "failed-claims")));
        for (DemoBackends.View backend : backends.views()) {
            WebElement stop = demoButton(backend.id(), "stop-start");
            slowClick(stop);
            wait.until(d -> stop.getText().equals("start"));
        }
        for (String pool : POOLS) {
            wait.until(d -> number(pool, "failed-claims") > before.get(pool));
        }
        for (DemoBackends.View backend : backends.views()) {
            WebElement start = demoButton(backend.id(), "stop-start");
            slowClick(start);
            wait.until(d -> start.getText().equals("stop"));
        }
        for (String pool : POOLS) {
            wait.until(d -> "UP".equals(health(pool).getAttribute("data-health")));
            // Once claims succeed again the count stops moving, and the page shows the endpoint's.
            wait.until(d -> number(pool, "failed-claims") == endpointFailedClaims(pool));
        }
    }

    @Test
    void aPageThatCannotReachTheAppGreysOutAndSaysSo() {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/actuator/*", "*/demo/*")));
        try {
            WebElement banner = browser.findElement(By.id("banner"));
            wait.until(ExpectedConditions.visibilityOf(banner));
            assertThat(banner.getText()).startsWith("Cannot reach the app since")
                    .contains("Everything below is as it was at");
            assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("unreachable");
            assertThat(browser.findElement(By.id("pools")).getCssValue("opacity")).isNotEqualTo("1");
        } finally {
            browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("banner")));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).doesNotContain("unreachable");
    }

    // ---- the page ------------------------------------------------------------------------

    private WebElement pool(String pool) {
        return wait.until(d -> d.findElement(By.cssSelector("[data-pool='" + pool + "']")));
    }

    private List<WebElement> rows(String pool) {
        return pool(pool).findElements(By.cssSelector("tr[data-backend]"));
    }

    /** The row of {@code pool} whose backend name starts with {@code prefix}. */
    private WebElement row(String pool, String prefix) {
        return wait.until(d -> rows(pool).stream().filter(r -> r.getAttribute("data-backend").startsWith(prefix))
                .findFirst().orElse(null));
    }

    /** A demo backend that both pools have connections to now. */
    private int backendOnlineInBothPools() {
        return wait.until(d -> backends.views().stream().filter(b ->
                "online".equals(row("echo-dns", "backend-" + b.id() + ".").getAttribute("data-state"))
                        && "online".equals(row("echo-fixed", "127.0.0.1:" + b.port()).getAttribute("data-state")))
                .map(DemoBackends.View::id).findFirst().orElse(null));
    }

    private void awaitRows(String pool, String state, int count) {
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-pool='" + pool + "'] tr[data-backend][data-state='" + state + "']"), count));
    }

    private WebElement health(String pool) {
        return pool(pool).findElement(By.cssSelector(".badge.health"));
    }

    private WebElement button(String pool, String cls) {
        return pool(pool).findElement(By.cssSelector("button." + cls));
    }

    private WebElement demoButton(int backend, String cls) {
        return wait.until(d -> d.findElement(By.cssSelector("tr[data-demo-backend='" + backend + "'] button." + cls)));
    }

    private String text(String pool, String cls) {
        return pool(pool).findElement(By.cssSelector("." + cls)).getText();
    }

    private long number(String pool, String cls) {
        String text = text(pool, cls);
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private double millis(String pool, String cls) {
        String text = text(pool, cls);
        return text.endsWith(" ms") ? Double.parseDouble(text.substring(0, text.length() - 3)) : -1;
    }

    private void awaitNumber(String pool, String cls, long expected) {
        wait.until(d -> number(pool, cls) == expected);
    }

    /** Waits until the page has refreshed {@code count} more times. */
    private void awaitRefreshes(int count) {
        WebElement updated = browser.findElement(By.id("updated"));
        for (int i = 0; i < count; i++) {
            String before = updated.getText();
            wait.until(d -> !updated.getText().equals(before));
        }
    }

    /** Presses the button as a person does, for 120 ms, while the page goes on refreshing. */
    private void slowClick(WebElement button) {
        wait.until(ExpectedConditions.elementToBeClickable(button));
        new Actions(browser).moveToElement(button).clickAndHold().pause(Duration.ofMillis(120)).release().perform();
    }

    private long endpointFailedClaims(String pool) {
        Map<String, Integer> failed = JsonPath.read(get("/actuator/qorb/" + pool), "$.failedClaims");
        return failed.values().stream().mapToLong(Integer::longValue).sum();
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "live-view-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
