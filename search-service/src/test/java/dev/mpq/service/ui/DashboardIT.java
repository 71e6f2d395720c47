package dev.mpq.service.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mpq.service.ServiceIT;
import dev.mpq.service.support.ApiClient;
import dev.mpq.service.support.HawqData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (headless Debian Chromium) against the running service on a real
 * PostgreSQL: data is created through the API as a user's script would, then the pages are used as a
 * person would (forms, clicks on the chart, the keyboard) and what they show is checked against the
 * API. Each test leaves a screenshot in {@code target/screenshots/<test>.png}.
 */
class DashboardIT extends ServiceIT {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;

    private final List<Chromium> browsers = new ArrayList<>();
    private String testName;

    /** What {@link #toySetup} created. */
    private record Setup(
            long network, String networkName, long profile, long cpu, String cpuName, long gpu, String gpuName) {}

    /** A point of the chart in CSS pixels of the chart element. */
    private record Pixel(String series, int index, double x, double y) {}

    @BeforeEach
    void rememberName(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void screenshotAndClose() {
        try {
            for (int i = 0; i < browsers.size(); i++) {
                browsers.get(i).screenshot(i == 0 ? testName : testName + "-" + i);
            }
        } finally {
            browsers.forEach(Chromium::close);
            browsers.clear();
        }
    }

    private Chromium browser(int width, int height) {
        Chromium browser = Chromium.open("http://127.0.0.1:" + port, width, height);
        browsers.add(browser);
        return browser;
    }

    @Test
    void submittedSearchShowsTheFrontAndTheClickedPointsConfigurationAsTheApiHasIt() throws IOException {
        Setup s = toySetup(true);
        JsonNode cpuSearch = searchAndAwait(s.network(), s.profile(), s.cpu());
        Chromium ui = browser(WIDTH, HEIGHT);

        ui.open("/#/searches");
        select(ui, "select[data-field=networkId]", s.network());
        ui.until(
                "the network's profiles to load",
                d -> !d.findElements(By.cssSelector(
                                "select[data-field=profileId] option[value='%d']".formatted(s.profile())))
                        .isEmpty());
        select(ui, "select[data-field=profileId]", s.profile());
        select(ui, "select[data-field=deviceId]", s.gpu());
        new Select(ui.find("select[data-field=front]")).selectByValue("latency");
        ui.find("form.search-form button[type=submit]").click();

        long id = ui.until("the search's page", d -> {
            Matcher m = Pattern.compile("#/searches/(\\d+)").matcher(d.getCurrentUrl());
            return m.find() ? Long.parseLong(m.group(1)) : null;
        });
        JsonNode search = api.awaitSearch("/api/searches/" + id, Duration.ofSeconds(120));
        assertThat(search.get("status").asString()).as("%s", search).isEqualTo("DONE");
        assertThat(search.get("networkId").asLong()).isEqualTo(s.network());
        assertThat(search.get("profileId").asLong()).isEqualTo(s.profile());
        assertThat(search.get("deviceId").asLong()).isEqualTo(s.gpu());
        assertThat(search.get("request").get("front").get(0).asString()).isEqualTo("latency");
        JsonNode points = search.get("result").get("points");
        assertThat(points.size()).isGreaterThan(3);

        ui.visible("#search-summary[data-status=DONE]");
        ui.until(
                "both fronts drawn",
                d -> chartPixels(ui).stream().map(Pixel::series).distinct().count() == 2);
        assertThat(ui.find("#overlay-" + cpuSearch.get("id").asLong()).isSelected())
                .as("the CPU front of the same network is overlaid")
                .isTrue();
        assertChartShows(ui, id, points, "latency", "penalty");
        assertThat(chartPixels(ui).stream()
                        .filter(p ->
                                p.series().equals("front-" + cpuSearch.get("id").asLong())))
                .hasSize(cpuSearch.get("result").get("points").size());

        Pixel target = isolated(ui, id);
        JsonNode point = points.get(target.index());
        hover(ui, target);
        String tip = ui.until(
                "the tooltip of point " + (target.index() + 1),
                d -> d.findElements(By.cssSelector(".front-tooltip")).stream()
                        .filter(WebElement::isDisplayed)
                        .map(WebElement::getText)
                        .filter(t -> t.contains("point %d of %d".formatted(target.index() + 1, points.size())))
                        .findFirst()
                        .orElse(null));
        assertThat(tip).contains("penalty", "latency", "memory (bytes)", "BOPs", "gap");
        assertThat(point.get("gap").asDouble()).isZero();
        assertThat(tip).contains("0 (proven optimal)");

        click(ui, target);
        ui.visible("#point-summary[data-point='%d']".formatted(target.index() + 1));
        assertConfigurationShown(ui, point.get("choices"));
        assertCostSourcesShown(ui, search.get("result"), point.get("choices"));

        ui.find("#download-config").click();
        Path file = ui.until("the downloaded configuration", d -> downloaded(ui.downloads()));
        JsonNode saved = api.json().readTree(Files.readString(file));
        assertThat(saved.get("search").asLong()).isEqualTo(id);
        assertThat(saved.get("point").asInt()).isEqualTo(target.index() + 1);
        assertThat(saved.get("choices")).isEqualTo(point.get("choices"));
        point.get("metrics")
                .properties()
                .forEach(m -> assertThat(saved.get("metrics").get(m.getKey()).asDouble())
                        .as(m.getKey())
                        .isEqualTo(m.getValue().asDouble()));

        // Switch the x axis to memory on a log scale: the chart follows, and clicks still pick the right point.
        new Select(ui.find("#front-x")).selectByValue("bytes");
        WebElement logX = ui.find("#front-log-x");
        assertThat(logX.isEnabled()).isTrue();
        logX.click();
        ui.until("a log x axis", d -> "log".equals(ui.script("""
                return echarts.getInstanceByDom(document.getElementById('front-chart')).getOption().xAxis[0].type""")));
        assertChartShows(ui, id, points, "bytes", "penalty");
        Pixel other = isolated(ui, id);
        click(ui, other);
        ui.visible("#point-summary[data-point='%d']".formatted(other.index() + 1));
        assertConfigurationShown(ui, points.get(other.index()).get("choices"));
        assertThat(ui.consoleErrors()).isEmpty();
    }

    @Test
    void invalidSearchShowsTheApiFieldMessagesBesideTheFields() {
        Setup s = toySetup(false);
        long bare = created(api.post("/api/devices", DashboardFixtures.device(unique("no-table"), "cpu")));
        int searchesBefore = api.get("/api/searches").body().size();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("networkId", s.network());
        request.put("profileId", s.profile());
        request.put("deviceId", bare);
        request.put("minimize", "penalty");
        request.put("front", List.of("latency"));
        String deviceMessage = fieldMessage(api.post("/api/searches", request), "deviceId");
        request.put("deviceId", s.cpu());
        request.put("threads", 0);
        String threadsMessage = fieldMessage(api.post("/api/searches", request), "threads");
        Chromium ui = browser(WIDTH, HEIGHT);

        ui.open("/#/searches");
        select(ui, "select[data-field=networkId]", s.network());
        ui.until(
                "the network's profiles to load",
                d -> !d.findElements(By.cssSelector(
                                "select[data-field=profileId] option[value='%d']".formatted(s.profile())))
                        .isEmpty());
        select(ui, "select[data-field=profileId]", s.profile());
        select(ui, "select[data-field=deviceId]", bare);
        WebElement device = ui.find("select[data-field=deviceId]");
        assertThat(new Select(device).getFirstSelectedOption().getText()).contains("no cost table for this network");
        ui.find("form.search-form button[type=submit]").click();

        WebElement deviceError = ui.visible("#" + device.getAttribute("id") + "-error");
        assertThat(deviceError.getText()).isEqualTo(deviceMessage);
        assertThat(device.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(device.getAttribute("aria-describedby")).contains(deviceError.getAttribute("id"));
        assertThat(ui.find(".form-summary").isDisplayed()).isTrue();
        assertThat(ui.find(".form-summary").getAttribute("role")).isEqualTo("alert");
        assertThat(ui.driver().getCurrentUrl()).endsWith("#/searches");

        select(ui, "select[data-field=deviceId]", s.cpu());
        ui.find(".more-options summary").click();
        WebElement threads = ui.visible("input[data-field=threads]");
        threads.sendKeys("0");
        ui.find("form.search-form button[type=submit]").click();
        WebElement threadsError = ui.visible("#" + threads.getAttribute("id") + "-error");
        assertThat(threadsError.getText()).isEqualTo(threadsMessage);
        assertThat(threads.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(deviceError.isDisplayed())
                .as("the fixed field's message is gone")
                .isFalse();
        assertThat(device.getAttribute("aria-invalid")).isNull();
        assertThat(ui.driver().switchTo().activeElement())
                .as("focus moves to the field")
                .isEqualTo(threads);

        assertThat(api.get("/api/searches").body().size())
                .as("nothing was submitted")
                .isEqualTo(searchesBefore);
        assertThat(ui.consoleErrors()).allMatch(m -> m.contains("status of 400"), "only the rejected POSTs");
    }

    /**
     * The worker's side is played by the test through the documented HTTP protocol
     * (devices/PROTOCOL.md): hello, lease the validation task, report a measured latency.
     */
    @Test
    void validatedPointAndTheWorkerShowOnTheSearchAndDevicePages() throws Exception {
        Setup s = toySetup(true);
        JsonNode search = searchAndAwait(s.network(), s.profile(), s.gpu());
        long id = search.get("id").asLong();
        JsonNode points = search.get("result").get("points");
        int k = points.size() / 2;
        ApiClient.Response issued = api.post("/api/devices/%d/workers".formatted(s.gpu()), Map.of("name", "box-1"));
        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        String token = issued.body().get("token").asString();
        assertThat(worker(
                                token,
                                "/api/worker/hello",
                                Map.of("workerVersion", "test-worker 1", "probe", Map.of("cores", 2)))
                        .statusCode())
                .isEqualTo(200);
        ApiClient.Response planned =
                api.post("/api/searches/%d/validations".formatted(id), Map.of("points", List.of(k), "batch", 1));
        assertThat(planned.status()).as("%s", planned.body()).isEqualTo(201);
        HttpResponse<String> leased = worker(token, "/api/worker/lease", Map.of());
        assertThat(leased.statusCode()).as(leased.body()).isEqualTo(200);
        JsonNode lease = api.json().readTree(leased.body());
        double predicted = points.get(k).get("metrics").get("latency").asDouble();
        double measured = predicted * 1.1;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("leaseToken", lease.get("leaseToken").asString());
        report.put("layerSeconds", Map.of());
        report.put("totalSeconds", measured);
        report.put("environment", "test worker");
        assertThat(worker(
                                token,
                                "/api/worker/tasks/%d/validation"
                                        .formatted(lease.get("taskId").asLong()),
                                report)
                        .statusCode())
                .isEqualTo(200);
        JsonNode validation =
                api.get("/api/searches/%d/validations".formatted(id)).body().get(0);
        assertThat(validation.get("latencyError").asDouble()).isCloseTo(0.1, within(1e-9));
        Chromium ui = browser(WIDTH, HEIGHT);

        ui.open("/#/searches/" + id);
        WebElement row = ui.visible("#validations-table tr[data-point='%d']".formatted(k + 1));
        assertThat(Double.parseDouble(
                        row.findElement(By.cssSelector(".measured")).getText()))
                .isCloseTo(measured, within(measured * 1e-5));
        assertThat(row.findElement(By.cssSelector(".latency-error")).getText()).isEqualTo("+10 %");
        List<List<Object>> diamonds =
                ui.until("the measured point on the chart", d -> ui.script("""
                const el = document.getElementById('front-chart');
                const chart = window.echarts && el && echarts.getInstanceByDom(el);
                const series = chart && chart.getOption().series.find(s => s.id === arguments[0]);
                return series ? series.data : null;""", "measured-" + id));
        assertThat(diamonds).hasSize(1);
        assertThat(((Number) diamonds.get(0).get(0)).doubleValue()).isCloseTo(measured, within(measured * 1e-9));
        assertThat(((Number) diamonds.get(0).get(2)).intValue()).isEqualTo(k);
        row.findElement(By.cssSelector("button")).click();
        WebElement summary = ui.visible("#point-summary[data-point='%d']".formatted(k + 1));
        assertThat(summary.getText()).contains("measured latency").contains("error +10 %");
        assertConfigurationShown(ui, points.get(k).get("choices"));

        ui.open("/#/devices/" + s.gpu());
        WebElement workerRow = ui.visible("#workers-table tbody tr");
        assertThat(workerRow.getText()).contains("box-1", "test-worker 1");
        assertThat(workerRow.findElement(By.cssSelector(".heartbeat")).getText())
                .endsWith("ago");
        WebElement task = ui.find(
                "#tasks-table tr[data-task='%d']".formatted(lease.get("taskId").asLong()));
        assertThat(task.getText()).contains("validate", "DONE", "#%d, point %d".formatted(id, k + 1));
        assertThat(ui.consoleErrors()).isEmpty();
    }

    @Test
    void networkAndDevicePagesShowTheLayersProfilesAndCostTablesOfTheApi() {
        Setup s = toySetup(true);
        JsonNode network = api.get("/api/networks/" + s.network()).body();
        JsonNode profile = api.get("/api/profiles/" + s.profile()).body();
        JsonNode costs = api.get("/api/devices/%d/cost-tables/%d".formatted(s.gpu(), s.network()))
                .body();
        Chromium ui = browser(WIDTH, HEIGHT);

        ui.open("/#/networks");
        ui.visible("#networks a[href='#/networks/%d']".formatted(s.network())).click();
        ui.visible("#layers-table");
        assertThat(ui.find("h1").getText()).isEqualTo("Network " + s.networkName());
        JsonNode layers = network.get("layers");
        assertThat(ui.findAll("#layers-table tbody tr")).hasSize(layers.size());
        for (JsonNode layer : layers) {
            WebElement row = ui.find("#layers-table tr[data-layer='%s']"
                    .formatted(layer.get("name").asString()));
            assertThat(row.findElement(By.cssSelector(".kind")).getText())
                    .isEqualTo(layer.get("kind").asString());
            List<String> dims =
                    layer.get("shape").valueStream().map(JsonNode::asString).toList();
            assertThat(row.findElement(By.cssSelector(".shape")).getText()).isEqualTo(String.join(" × ", dims));
            assertThat(digits(row.findElement(By.cssSelector(".parameters")).getText()))
                    .isEqualTo(layer.get("parameters").asLong());
            assertThat(digits(row.findElement(By.cssSelector(".macs")).getText()))
                    .isEqualTo(layer.get("macs").asLong());
            String tie = row.findElement(By.cssSelector(".tie")).getText();
            if (layer.get("tieGroup").isNull()) {
                assertThat(tie).isEmpty();
            } else {
                assertThat(tie).startsWith(layer.get("tieGroup").asString());
            }
        }
        assertThat(ui.find("#ties").getText()).contains("attn.q, attn.k");

        WebElement profileRow = ui.find("#profiles-table tr[data-profile='%d']".formatted(s.profile()));
        assertThat(profileRow.findElement(By.cssSelector(".method")).getText()).isEqualTo("weight-error");
        ui.until(
                "the profile's precisions",
                d -> profileRow
                        .findElement(By.cssSelector(".precisions"))
                        .getText()
                        .equals("3: int4, int8, bf16"));
        ui.find("details.penalties[data-profile='%d'] summary".formatted(s.profile()))
                .click();
        WebElement penalty =
                ui.visible("#penalties-%d tr[data-layer='attn.v'] td[data-precision='int4']".formatted(s.profile()));
        assertThat(Double.parseDouble(penalty.getText()))
                .isCloseTo(
                        profile.get("layers")
                                .get(3)
                                .get("penalties")
                                .get("int4")
                                .asDouble(),
                        within(1e-5));
        assertThat(ui.find("#network-devices").getText()).contains(s.cpuName(), s.gpuName());

        ui.find("#network-devices a[href='#/devices/%d?network=%d']".formatted(s.gpu(), s.network()))
                .click();
        ui.visible("#cost-table-values");
        assertThat(ui.find("h1").getText()).isEqualTo("Device " + s.gpuName());
        assertThat(ui.findAll("#cost-table-values tbody tr")).hasSize(layers.size());
        for (JsonNode layer : costs.get("layers")) {
            for (String precision : DashboardFixtures.PRECISIONS) {
                WebElement cell = ui.find("#cost-table-values tr[data-layer='%s'] td[data-precision='%s']"
                        .formatted(layer.get("name").asString(), precision));
                double latency =
                        layer.get("costs").get(precision).get("latency").asDouble();
                assertThat(Double.parseDouble(cell.getText())).isCloseTo(latency, within(latency * 1e-5));
            }
        }
        String spec = ui.find("#device-spec").findElement(By.xpath("..")).getText();
        assertThat(spec).contains("memoryBandwidthGBs", "20.5", "peakOps", "int8", "1.2 T");

        ui.open("/#/devices");
        assertThat(ui.visible("#devices").getText()).contains(s.cpuName(), s.gpuName());
        assertThat(ui.consoleErrors()).isEmpty();
    }

    @Test
    void rootServesTheDashboardWithoutRedirectAndOpensNoStreamBeforeASearchPage() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> root = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/".formatted(port)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(root.body()).contains("<html", "/app.js");
        HttpResponse<String> charts = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:%d/webjars/echarts/5.3.1/dist/echarts.min.js".formatted(port)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(charts.statusCode()).as("the chart library from the WebJar").isEqualTo(200);

        Setup s = toySetup(true);
        JsonNode search = searchAndAwait(s.network(), s.profile(), s.gpu());
        Chromium ui = browser(WIDTH, HEIGHT);
        ui.open("/");
        ui.visible("#searches tr[data-id='%d']".formatted(search.get("id").asLong()));
        ui.find("a[data-nav=networks]").click();
        ui.visible("#networks a[href='#/networks/%d']".formatted(s.network())).click();
        ui.visible("#layers-table");
        ui.find("a[data-nav=devices]").click();
        ui.visible("#devices");
        ui.find("a[data-nav=searches]").click();
        ui.visible("#searches");
        assertThat(ui.streamingRequests())
                .as("no server-sent events or WebSockets before a search page")
                .isEmpty();
        assertThat(ui.script("return typeof window.echarts").toString())
                .as("the chart library loads with the first search page only")
                .isEqualTo("undefined");

        ui.find("#searches a[href='#/searches/%d']".formatted(search.get("id").asLong()))
                .click();
        ui.visible("#front-chart canvas");
        assertThat(ui.consoleErrors()).isEmpty();
    }

    @Test
    void searchEventsReportTheStatusAndEndOnceTheSearchIsFinished() throws Exception {
        Setup s = toySetup(true);
        long id = searchAndAwait(s.network(), s.profile(), s.gpu()).get("id").asLong();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> events = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/api/searches/%d/events".formatted(port, id)))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(events.body())
                .contains("event:status")
                .contains("\"status\":\"DONE\"")
                .contains("\"id\":" + id);
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/api/searches/999999999/events".formatted(port)))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void searchPageFitsANarrowScreenAndWorksFromTheKeyboard() {
        Setup s = toySetup(true);
        JsonNode search = searchAndAwait(s.network(), s.profile(), s.gpu());
        long id = search.get("id").asLong();
        JsonNode points = search.get("result").get("points");
        Chromium ui = browser(390, 844);

        ui.open("/#/searches");
        ui.visible("form.search-form");
        assertThat(((Number) ui.script("return window.innerWidth")).intValue()).isEqualTo(390);
        for (WebElement control : ui.findAll("form.search-form select, form.search-form input")) {
            String controlId = control.getAttribute("id");
            assertThat(controlId).isNotBlank();
            assertThat(ui.findAll("label[for='%s']".formatted(controlId)))
                    .as("a label for %s", controlId)
                    .singleElement()
                    .satisfies(label ->
                            assertThat(label.getAttribute("textContent")).isNotBlank());
        }
        assertThat((Boolean) ui.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling on the searches page")
                .isTrue();

        ui.open("/#/searches/" + id);
        ui.visible("#front-chart canvas");
        assertThat((Boolean) ui.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling on the search page")
                .isTrue();
        assertThat(((Number) ui.script("return document.getElementById('front-chart').getBoundingClientRect().width"))
                        .doubleValue())
                .isLessThanOrEqualTo(390);

        boolean reached = false;
        for (int i = 0; i < 60 && !reached; i++) {
            new Actions(ui.driver()).sendKeys(Keys.TAB).perform();
            reached = "front-chart".equals(ui.script("return document.activeElement && document.activeElement.id"));
        }
        assertThat(reached).as("the chart is reachable with Tab").isTrue();
        new Actions(ui.driver()).sendKeys(Keys.ARROW_RIGHT).perform();
        ui.visible("#point-summary[data-point='1']");
        new Actions(ui.driver()).sendKeys(Keys.ARROW_RIGHT).perform();
        ui.visible("#point-summary[data-point='2']");
        assertConfigurationShown(ui, points.get(1).get("choices"));
        assertThat(ui.driver().getCurrentUrl()).endsWith("#/searches/%d?point=2".formatted(id));
        assertThat(ui.consoleErrors()).isEmpty();
    }

    @Test
    void resnet50HawqLatencyFrontIsDrawnPointForPointWithTheChosenConfiguration() {
        HawqData hawq = HawqData.load("resnet50");
        long network = created(api.post("/api/networks", hawq.networkRequest(unique("resnet50-hawq-v3"))));
        long profile = created(api.post("/api/networks/" + network + "/profiles", hawq.profileRequest()));
        long device = created(api.post(
                "/api/devices", Map.of("name", unique("nvidia-t4"), "kind", "gpu", "spec", Map.of("catalogue", "T4"))));
        assertThat(api.put("/api/devices/%d/cost-tables/%d".formatted(device, network), hawq.costTableRequest())
                        .status())
                .isEqualTo(200);
        JsonNode search = searchAndAwait(network, profile, device);
        long id = search.get("id").asLong();
        JsonNode points = search.get("result").get("points");
        int chosen = points.size() / 3;
        Chromium ui = browser(WIDTH, 1000);

        ui.open("/#/searches/%d?point=%d".formatted(id, chosen + 1));
        ui.visible("#point-summary[data-point='%d']".formatted(chosen + 1));
        ui.until("the front drawn", d -> !chartPixels(ui).isEmpty());
        assertChartShows(ui, id, points, "latency", "penalty");
        assertConfigurationShown(ui, points.get(chosen).get("choices"));
        assertThat(ui.findAll(".strip-cell[data-layer]")).hasSize(hawq.layers().size());
        // The picture for the README: the front and the chosen configuration, without the status above.
        ui.script("window.scrollTo(0, document.getElementById('front-section').getBoundingClientRect().top"
                + " + window.scrollY - 8)");
        ui.screenshotOfViewport("resnet50-hawq-front");
        assertThat(ui.consoleErrors()).isEmpty();
    }

    // --- setup through the API -------------------------------------------------------------

    private Setup toySetup(boolean gpuCostTable) {
        String name = unique("toy-transformer");
        long network = created(api.post("/api/networks", DashboardFixtures.toyTransformer(name)));
        long profile = created(api.post(
                "/api/networks/" + network + "/profiles", DashboardFixtures.weightErrorProfile("weight-error", 11)));
        String cpuName = unique("xeon-avx2");
        String gpuName = unique("nvidia-t4");
        long cpu = created(api.post("/api/devices", DashboardFixtures.device(cpuName, "cpu")));
        long gpu = created(api.post("/api/devices", DashboardFixtures.device(gpuName, "gpu")));
        assertThat(api.put(
                                "/api/devices/%d/cost-tables/%d".formatted(cpu, network),
                                DashboardFixtures.costTable(1.0, 21))
                        .status())
                .isEqualTo(200);
        if (gpuCostTable) {
            assertThat(api.put(
                                    "/api/devices/%d/cost-tables/%d".formatted(gpu, network),
                                    DashboardFixtures.costTable(0.3, 31))
                            .status())
                    .isEqualTo(200);
        }
        return new Setup(network, name, profile, cpu, cpuName, gpu, gpuName);
    }

    private JsonNode searchAndAwait(long network, long profile, long device) {
        ApiClient.Response submitted = api.post(
                "/api/searches",
                Map.of("networkId", network, "profileId", profile, "deviceId", device, "front", List.of("latency")));
        assertThat(submitted.status()).as("%s", submitted.body()).isEqualTo(202);
        JsonNode search = api.awaitSearch(submitted.location().orElseThrow(), Duration.ofSeconds(120));
        assertThat(search.get("status").asString()).as("%s", search).isEqualTo("DONE");
        return search;
    }

    /** A call of the worker protocol with the worker's bearer token. */
    private HttpResponse<String> worker(String token, String path, Object body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d%s".formatted(port, path)))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        api.json().writeValueAsString(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static long created(ApiClient.Response response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
        return response.body().get("id").asLong();
    }

    private static String fieldMessage(ApiClient.Response response, String field) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
        return response.body()
                .get("errors")
                .valueStream()
                .filter(e -> e.get("field").asString().equals(field))
                .map(e -> e.get("message").asString())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error on " + field + ": " + response.body()));
    }

    // --- the page -------------------------------------------------------------------------

    private static void select(Chromium ui, String css, long value) {
        new Select(ui.visible(css)).selectByValue(Long.toString(value));
    }

    /** Every drawn point of every front series, from the chart library's own model. */
    private static List<Pixel> chartPixels(Chromium ui) {
        List<Map<String, Object>> raw = ui.script("""
                const el = document.getElementById('front-chart');
                const chart = window.echarts && el && echarts.getInstanceByDom(el);
                if (!chart) return [];
                const out = [];
                for (const s of chart.getOption().series) {
                  if (s.type !== 'scatter' || !String(s.id).startsWith('front-')) continue;
                  for (const d of s.data) {
                    const p = chart.convertToPixel({ seriesId: s.id }, [d[0], d[1]]);
                    out.push({ series: s.id, index: d[2], x: p[0], y: p[1] });
                  }
                }
                return out;""");
        return raw.stream()
                .map(m -> new Pixel(
                        (String) m.get("series"),
                        ((Number) m.get("index")).intValue(),
                        ((Number) m.get("x")).doubleValue(),
                        ((Number) m.get("y")).doubleValue()))
                .toList();
    }

    /** The search's series holds exactly the API's points, as (x metric, y metric). */
    private static void assertChartShows(Chromium ui, long id, JsonNode points, String x, String y) {
        List<List<Object>> data = ui.script("""
                const chart = echarts.getInstanceByDom(document.getElementById('front-chart'));
                return chart.getOption().series.find(s => s.id === arguments[0]).data;""", "front-" + id);
        assertThat(data).hasSize(points.size());
        for (int i = 0; i < points.size(); i++) {
            JsonNode metrics = points.get(i).get("metrics");
            assertThat(((Number) data.get(i).get(0)).doubleValue())
                    .isCloseTo(
                            metrics.get(x).asDouble(),
                            within(1e-9 * Math.max(1, metrics.get(x).asDouble())));
            assertThat(((Number) data.get(i).get(1)).doubleValue())
                    .isCloseTo(
                            metrics.get(y).asDouble(),
                            within(1e-9 * Math.max(1, metrics.get(y).asDouble())));
        }
    }

    /** The point of this search farthest (in pixels) from every other drawn point, so a click hits it alone. */
    private static Pixel isolated(Chromium ui, long id) {
        List<Pixel> all = chartPixels(ui);
        Pixel best = null;
        double bestDistance = -1;
        for (Pixel p : all) {
            if (!p.series().equals("front-" + id)) {
                continue;
            }
            double nearest = all.stream()
                    .filter(q -> q != p)
                    .mapToDouble(q -> Math.hypot(q.x() - p.x(), q.y() - p.y()))
                    .min()
                    .orElse(Double.MAX_VALUE);
            if (nearest > bestDistance) {
                bestDistance = nearest;
                best = p;
            }
        }
        assertThat(bestDistance).as("a point with room around it").isGreaterThan(12);
        return best;
    }

    private static int[] viewport(Chromium ui, Pixel p) {
        WebElement chart = ui.find("#front-chart");
        ui.script("arguments[0].scrollIntoView({block: 'center'})", chart);
        Map<String, Object> rect =
                ui.script("const r = arguments[0].getBoundingClientRect(); return {left: r.left, top: r.top};", chart);
        return new int[] {
            (int) Math.round(((Number) rect.get("left")).doubleValue() + p.x()),
            (int) Math.round(((Number) rect.get("top")).doubleValue() + p.y())
        };
    }

    private static void hover(Chromium ui, Pixel p) {
        int[] at = viewport(ui, p);
        new Actions(ui.driver()).moveToLocation(at[0], at[1]).perform();
    }

    private static void click(Chromium ui, Pixel p) {
        int[] at = viewport(ui, p);
        new Actions(ui.driver()).moveToLocation(at[0], at[1]).click().perform();
    }

    /** The layer table and the strip show exactly the API's choices, layer by layer. */
    private static void assertConfigurationShown(Chromium ui, JsonNode choices) {
        Map<String, String> expected = new LinkedHashMap<>();
        choices.properties().forEach(e -> expected.put(e.getKey(), e.getValue().asString()));
        Map<String, String> table = new LinkedHashMap<>();
        for (WebElement row : ui.findAll("#layer-table tbody tr")) {
            table.put(
                    row.getAttribute("data-layer"),
                    row.findElement(By.cssSelector("td.precision")).getText().trim());
        }
        assertThat(table).as("the layer table").isEqualTo(expected);
        Map<String, String> strip = new LinkedHashMap<>();
        for (WebElement cell : ui.findAll(".strip-cell[data-layer]")) {
            strip.put(cell.getAttribute("data-layer"), cell.getAttribute("data-precision"));
        }
        assertThat(strip).as("the strip").isEqualTo(expected);
    }

    /** The cost source column shows, per layer, the result's recorded source of the chosen precision. */
    private static void assertCostSourcesShown(Chromium ui, JsonNode result, JsonNode choices) {
        JsonNode sources = result.get("costs").get("sources");
        Map<String, String> expected = new LinkedHashMap<>();
        choices.properties()
                .forEach(e -> expected.put(
                        e.getKey(),
                        sources.get(e.getKey()).get(e.getValue().asString()).asString()));
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement row : ui.findAll("#layer-table tbody tr")) {
            shown.put(
                    row.getAttribute("data-layer"),
                    row.findElement(By.cssSelector("td.source")).getText());
        }
        assertThat(shown).as("cost sources").isEqualTo(expected);
    }

    private static Path downloaded(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static long digits(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }
}
