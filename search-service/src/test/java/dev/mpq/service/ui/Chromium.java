package dev.mpq.service.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven by Debian's chromedriver (nothing is downloaded: both paths are
 * given, so Selenium Manager never runs), with a fresh profile, a download directory, and the
 * browser console and network events recorded. Paths: {@code -Dmpq.chromium} (default
 * /usr/bin/chromium) and {@code -Dmpq.chromedriver} (default /usr/bin/chromedriver).
 */
final class Chromium implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path TARGET = Path.of("target");

    private final ChromeDriver driver;
    private final String base;
    private final int width;
    private final int height;
    private final Path profile;
    private final Path downloads;
    private final List<LogEntry> console = new ArrayList<>();
    private final List<LogEntry> network = new ArrayList<>();

    private Chromium(ChromeDriver driver, String base, int width, int height, Path profile, Path downloads) {
        this.driver = driver;
        this.base = base;
        this.width = width;
        this.height = height;
        this.profile = profile;
        this.downloads = downloads;
    }

    /**
     * Starts the browser with a {@code width} x {@code height} viewport (CSS pixels, emulated through
     * the DevTools protocol, so widths below the smallest desktop window work; under 600 px wide it
     * emulates a phone), pointed at {@code base}.
     */
    static Chromium open(String base, int width, int height) {
        Path binary = Path.of(System.getProperty("mpq.chromium", "/usr/bin/chromium"));
        Path driverBinary = Path.of(System.getProperty("mpq.chromedriver", "/usr/bin/chromedriver"));
        for (Path path : List.of(binary, driverBinary)) {
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(("%s is missing. The browser tests use Debian's Chromium: run"
                                + " `apt-get install -y chromium chromium-driver` (./run-tests does it), or set"
                                + " -Dmpq.chromium and -Dmpq.chromedriver.")
                        .formatted(path));
            }
        }
        try {
            Files.createDirectories(TARGET);
            Path profile = Files.createTempDirectory(TARGET.toAbsolutePath(), "chromium-profile-");
            Path downloads = Files.createTempDirectory(TARGET.toAbsolutePath(), "downloads-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-default-apps",
                    "--disable-extensions",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--hide-scrollbars",
                    "--lang=en-GB",
                    "--user-data-dir=" + profile,
                    "--window-size=%d,%d".formatted(Math.max(width, 800), Math.max(height, 600)));
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            options.setExperimentalOption("prefs", prefs);
            LoggingPreferences logging = new LoggingPreferences();
            logging.enable(LogType.BROWSER, Level.ALL);
            logging.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logging);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driverBinary.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(WAIT);
            Chromium browser = new Chromium(driver, base, width, height, profile, downloads);
            browser.viewport(height);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a dashboard address such as {@code /#/searches/12}. */
    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until an element matching {@code css} is visible and returns it. */
    WebElement visible(String css) {
        return new WebDriverWait(driver, WAIT)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
    }

    @SuppressWarnings("unchecked")
    <T> T script(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Path downloads() {
        return downloads;
    }

    /** Console entries at level SEVERE (script errors, failed loads) so far. */
    List<String> consoleErrors() {
        drainLogs();
        return console.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /**
     * URLs of every request the page made that streams: server-sent events (Accept:
     * text/event-stream, or an EventSource initiator) and WebSockets, from Chrome's network log.
     */
    List<String> streamingRequests() {
        drainLogs();
        List<String> streams = new ArrayList<>();
        for (LogEntry entry : network) {
            String message = entry.getMessage();
            if (message.contains("\"Network.webSocketCreated\"")) {
                streams.add("websocket " + message);
            } else if (message.contains("\"Network.requestWillBeSent\"")
                    && (message.contains("text/event-stream") || message.contains("\"type\":\"EventSource\""))) {
                streams.add("event-stream " + message);
            }
        }
        return streams;
    }

    private void drainLogs() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        network.addAll(driver.manage().logs().get(LogType.PERFORMANCE).getAll());
    }

    private void viewport(int viewportHeight) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", viewportHeight, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /**
     * Saves the whole page (the viewport is stretched to the document's height, at most 4000 px, for
     * the shot) as {@code target/screenshots/<name>.png} and returns the file.
     */
    Path screenshot(String name) {
        Long document = script("return Math.ceil(document.documentElement.scrollHeight)");
        int full = (int) Math.min(4000, Math.max(height, document));
        if (full > height) {
            viewport(full);
            script("return new Promise(r => setTimeout(() => requestAnimationFrame(() => r(true)), 100))");
        }
        try {
            return save(name, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            if (full > height) {
                viewport(height);
            }
        }
    }

    /** Saves what the viewport shows now as {@code target/screenshots/<name>.png}. */
    Path screenshotOfViewport(String name) {
        return save(name, driver.getScreenshotAs(OutputType.BYTES));
    }

    private static Path save(String name, byte[] png) {
        try {
            Path dir = TARGET.resolve("screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        deleteQuietly(profile.toFile());
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteQuietly(child);
            }
        }
        file.delete();
    }
}
