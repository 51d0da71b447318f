package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.testing.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code prometheus.yml} shipped in {@code demo/} and the snippet the banner prints. */
class PrometheusConfigTest {

  /** Surefire runs in the module's folder. */
  static final Path SHIPPED = Path.of("prometheus.yml");

  @Test
  void shippedFileHoldsTheBannersSnippetForTheDefaultPorts() throws Exception {
    String file = Files.readString(SHIPPED, StandardCharsets.UTF_8);
    assertThat(file).contains(Banner.scrapeConfig("127.0.0.1:" + DemoOptions.DEFAULT_METRICS_PORT));
    String banner = Banner.text(DemoOptions.defaults(), 8080, 8000);
    assertThat(banner).contains(Banner.scrapeConfig("127.0.0.1:8000").indent(2));
  }

  @Test
  void promtoolAcceptsTheShippedFile() throws Exception {
    Path promtool = Peers.require("promtool");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "config", SHIPPED.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }
}
