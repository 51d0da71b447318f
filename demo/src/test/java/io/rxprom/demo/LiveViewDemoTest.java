package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.testing.Artifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The live view as a person sees it: the demo under self-load, its metrics server's landing page
 * in headless Chromium, a screenshot kept in {@code target/test-artifacts/live-view.png}.
 */
class LiveViewDemoTest {

  @Test
  void landingPageShowsBothPathsMovingUnderLoad() throws Exception {
    try (Demo demo = Demo.start(DemoOptions.parse("--app-port", "0", "--metrics-port", "0", "--load", "40"));
        HeadlessBrowser browser = HeadlessBrowser.launch(1280, 720)) {
      browser.navigate("http://127.0.0.1:" + demo.metricsPort() + "/");
      String foo = "#handlers tr[data-key=\"/foo\"] ";
      String bar = "#handlers tr[data-key=\"/bar\"] ";
      browser.awaitTrue(
          "(function () {"
              + " var f = document.querySelector('" + foo + ".rate'),"
              + " b = document.querySelector('" + bar + ".rate');"
              + " return !!f && !!b && Number(f.getAttribute('data-value')) > 0"
              + " && Number(b.getAttribute('data-value')) > 0"
              + " && Number(document.body.getAttribute('data-scrapes')) >= 6; })()",
          Duration.ofSeconds(60));
      Path png = browser.screenshot(Artifacts.dir().resolve("live-view.png"));
      assertThat(Files.size(png)).isGreaterThan(10_000);

      Cells page =
          Cells.read(
              browser,
              foo + ".rate", foo + ".errors", foo + ".mean", foo + ".total",
              bar + ".rate", bar + ".errors", bar + ".mean", bar + ".total",
              "#routes tr[data-key=\"/foo\"] .rate", "#routes tr[data-key=\"/bar\"] .rate", "#status");
      // About 20 requests/s each; the bounds leave room for a busy machine.
      assertThat(page.value(foo + ".rate")).isBetween(1.0, 60.0);
      assertThat(page.value(bar + ".rate")).isBetween(1.0, 60.0);
      // The seed's handlers: /foo takes 5 to 360 ms, /bar 20 to 900 ms.
      assertThat(page.value(foo + ".mean")).isBetween(0.005, 0.36);
      assertThat(page.value(bar + ".mean")).isBetween(0.02, 0.9);
      for (String row : new String[] {foo, bar}) {
        double errors = page.value(row + ".errors");
        assertThat(errors).isBetween(0.0, 1.0);
        assertThat(page.text(row + ".errors")).matches("\\d+\\.\\d%");
        assertThat(page.value(row + ".total")).isPositive();
      }
      // The route handler's table has the same two routes.
      assertThat(page.value("#routes tr[data-key=\"/foo\"] .rate")).isPositive();
      assertThat(page.value("#routes tr[data-key=\"/bar\"] .rate")).isPositive();
      assertThat(page.text("#status")).contains("live");

      String dom = browser.dom();
      assertThat(dom).contains("data-key=\"/foo\"", "data-key=\"/bar\"", "my_router_request_latency_seconds");
    }
  }
}
