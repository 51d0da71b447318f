package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.snapshot.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.rxprom.testing.Promtool;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} on the text 0.0.4 output of a registry with what a Vert.x
 * application registers: the standard set and the event-loop collector. Clean: no lint output.
 */
class EventLoopPromtoolTest {

  @Test
  void standardSetAndEventLoopsPassPromtoolWithoutLintProblems() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MetricRegistry registry = new MetricRegistry();
      StandardCollectors.register(registry);
      EventLoopCollector loops = EventLoopCollector.builder(vertx).interval(Duration.ofMillis(5)).register(registry);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String text;
      do {
        Thread.sleep(20);
        text = new String(text004(registry.scrape()), StandardCharsets.UTF_8);
      } while (!text.contains("vertx_eventloop_pending_tasks{loop=") && System.nanoTime() < deadline);
      byte[] body = text.getBytes(StandardCharsets.UTF_8);

      Promtool.Result result = Promtool.checkMetrics(body);

      assertThat(result.output()).as(text).isEmpty();
      assertThat(result.clean()).isTrue();
      assertThat(text).contains("# TYPE vertx_eventloop_delay_seconds histogram\n",
          "vertx_eventloop_delay_seconds_bucket{loop=\"vert.x-eventloop-thread-0\",le=\"+Inf\"} ",
          "# TYPE vertx_eventloop_pending_tasks gauge\n", "# TYPE process_cpu_seconds_total counter\n");
      assertThat(loops.eventLoops()).isPositive();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static byte[] text004(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ExpositionFormat.PROMETHEUS_TEXT_0_0_4.writer().write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
