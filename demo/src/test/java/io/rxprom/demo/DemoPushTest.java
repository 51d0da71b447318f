package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.testing.Carbon;
import io.rxprom.testing.Pushgateway;
import io.rxprom.vertx.PushgatewayPusher;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --pushgateway} and {@code --graphite} against a real Pushgateway and a real carbon. */
class DemoPushTest {

  static final String ROUTE_COUNT = "http_server_request_duration_seconds_count";

  /** The sum of {@code name} over the series whose labels include all of {@code match}. */
  static double sum(String body, String name, Map<String, String> match) {
    return ExpositionText.parse(body).stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet()))
        .mapToDouble(ExpositionText.Sample::value)
        .sum();
  }

  @Test
  void pushesTheRegistryUnderTheDemoJobAndItsInstance() throws Exception {
    try (Pushgateway gateway = Pushgateway.start();
        Demo demo =
            DemoTest.startOnFreePorts("--pushgateway", gateway.baseUrl(), "--push-interval", "1")) {
      String app = "http://127.0.0.1:" + demo.appPort();
      for (int i = 0; i < 5; i++) {
        ExpositionText.getAny(app + "/foo");
        ExpositionText.getAny(app + "/bar");
      }
      // No load: once the last responses are recorded, the demo's own numbers hold still.
      String metricsUrl = "http://127.0.0.1:" + demo.metricsPort() + "/metrics";
      Map<String, String> foo = Map.of("route", "/foo");
      double own = sum(ExpositionText.get(metricsUrl), ROUTE_COUNT, foo);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (own < 5 && System.nanoTime() - deadline < 0) {
        Thread.sleep(50);
        own = sum(ExpositionText.get(metricsUrl), ROUTE_COUNT, foo);
      }
      assertThat(own).isEqualTo(5);

      // Wait for two more pushes: the second one began after the numbers settled.
      PushgatewayPusher pusher = demo.push().pusher().orElseThrow();
      long pushes = pusher.pushes();
      deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (pusher.pushes() < pushes + 2 && System.nanoTime() - deadline < 0) {
        Thread.sleep(100);
      }
      assertThat(pusher.pushes()).isGreaterThanOrEqualTo(pushes + 2);
      assertThat(pusher.failures()).isZero();

      String pushed = gateway.metricsText();
      Map<String, String> group =
          Map.of("job", "rxprom-demo", "instance", "127.0.0.1:" + demo.appPort(), "route", "/foo");
      assertThat(sum(pushed, ROUTE_COUNT, group)).isEqualTo(own);
      assertThat(pushed)
          .contains(
              "push_time_seconds{instance=\"127.0.0.1:" + demo.appPort() + "\",job=\"rxprom-demo\"}");
    }
  }

  @Test
  void sendsTheRegistryToCarbonUnderTheDemoPrefix() {
    try (Carbon carbon = Carbon.start();
        Demo demo =
            DemoTest.startOnFreePorts(
                "--graphite", "127.0.0.1:" + carbon.linePort(), "--graphite-interval", "1")) {
      long from = System.currentTimeMillis() / 1000 - 120;
      carbon.awaitFetch(
          "rxprom.demo.process_resident_memory_bytes",
          from,
          points -> points.stream().anyMatch(p -> p.value() != null && p.value() > 1e6),
          Duration.ofSeconds(45));
      carbon.awaitFetch(
          "rxprom.demo.jvm_threads_current",
          from,
          points -> points.stream().anyMatch(p -> p.value() != null && p.value() >= 1),
          Duration.ofSeconds(45));
      assertThat(demo.push().bridge().orElseThrow().droppedSamples()).isZero();
    }
  }
}
