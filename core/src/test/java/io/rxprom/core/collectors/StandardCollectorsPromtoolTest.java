package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.snapshot.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.rxprom.testing.Promtool;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} (Prometheus' own parser and linter) on the text 0.0.4 output of
 * a registry with the standard set: it must be clean, with no lint output.
 */
class StandardCollectorsPromtoolTest {

  @Test
  void theStandardSetPassesPromtoolWithoutLintProblems() {
    MetricRegistry registry = new MetricRegistry();
    StandardCollectors.register(registry);
    byte[] body = text004(registry.scrape());

    Promtool.Result result = Promtool.checkMetrics(body);

    assertThat(result.output()).as(new String(body, StandardCharsets.UTF_8)).isEmpty();
    assertThat(result.clean()).isTrue();
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).contains("# TYPE process_cpu_seconds_total counter\n", "# TYPE jvm_runtime_info gauge\n",
        "# TYPE jvm_gc_collection_seconds summary\n", "jvm_memory_used_bytes{area=\"heap\"} ");
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
