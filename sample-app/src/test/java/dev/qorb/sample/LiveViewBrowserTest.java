package dev.qorb.sample;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The live page in a real browser (Debian's Chromium, driven by its chromedriver): it shows
 * every backend of every pool, and a backend stopped from the page goes offline and comes back.
 * Skipped, saying so, only where Chromium is not installed; CI installs it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveViewBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;

    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (Debian packages 'chromium' and 'chromium-driver'): the browser test cannot run here");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                        "--user-data-dir=" + Files.createTempDirectory("qorb-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageShowsEveryBackendAndABackendStoppedFromItGoesOfflineAndComesBack() throws Exception {
        browser.get("http://localhost:" + port + "/");
        // The page redraws each second, so elements go stale: every look-up is retried.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        for (String pool : List.of("echo-dns", "echo-fixed")) {
            wait.until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("[data-pool='" + pool + "'] tr[data-backend][data-state='online']"), 3));
        }
        // The DNS pool names its backends by their SRV targets.
        wait.until(d -> d.findElements(By.cssSelector("[data-pool='echo-dns'] tr[data-backend]")).stream()
                .allMatch(row -> row.getAttribute("data-backend").startsWith("backend-")));
        screenshot("before");

        clickStopOrStart(wait);
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-pool='echo-fixed'] tr[data-backend][data-state='offline']"), 1));
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-pool='echo-dns'] tr[data-backend][data-state='offline']"), 1));
        screenshot("backend-stopped");

        clickStopOrStart(wait);
        for (String pool : List.of("echo-dns", "echo-fixed")) {
            wait.until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("[data-pool='" + pool + "'] tr[data-backend][data-state='online']"), 3));
        }
    }

    /** Clicks backend 0's stop/start button in the demo table. */
    private static void clickStopOrStart(WebDriverWait wait) {
        wait.until(d -> {
            d.findElement(By.cssSelector("tr[data-demo-backend='0'] button")).click();
            return true;
        });
    }

    private void screenshot(String name) throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "live-view-" + name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
