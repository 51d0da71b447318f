package io.rxprom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.exposition.ExpositionWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scrape benchmarks compare like with like: for the same fixture, rxprom, client_java and
 * Micrometer expose the same series with the same values (Micrometer adds a {@code _max} gauge
 * per timer, which is left out of the comparison).
 */
class ScrapeFixtureTest {

  private static final int SERIES = 1000;

  @Test
  void everyLibraryExposesTheSameSeriesWithTheSameValues() throws Exception {
    ByteArrayOutputStream rx = new ByteArrayOutputStream();
    ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4)
        .write(rx, ScrapeFixture.rxprom(SERIES).scrape());
    ByteArrayOutputStream cj = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(cj, ScrapeFixture.clientJava(SERIES).scrape());
    ByteArrayOutputStream mm = new ByteArrayOutputStream();
    ScrapeFixture.micrometer(SERIES).scrape(mm, PrometheusTextFormatWriter.CONTENT_TYPE);

    Map<String, Double> rxprom = samples(rx, "rxprom_");
    Map<String, Double> clientJava = samples(cj, "rxprom_");
    Map<String, Double> micrometer = samples(mm, "rxprom_");
    micrometer.keySet().removeIf(k -> k.contains("_seconds_max"));

    // 500 counters; 500 histograms x (13 buckets + sum + count)
    assertThat(rxprom).hasSize(SERIES / 2 + SERIES / 2 * (Data.BOUNDS_SECONDS.length + 3));
    assertSameValues(rxprom, clientJava);
    assertSameValues(rxprom, micrometer);
  }

  private static void assertSameValues(Map<String, Double> expected, Map<String, Double> actual) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      double a = actual.get(e.getKey());
      assertThat(a).as(e.getKey()).isCloseTo(e.getValue(),
          org.assertj.core.data.Offset.offset(Math.abs(e.getValue()) * 1e-9));
    }
  }

  /** Sample lines as "name{labels}" (labels sorted) to value; names starting with skip dropped. */
  private static Map<String, Double> samples(ByteArrayOutputStream out, String skip) {
    Map<String, Double> m = new TreeMap<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(skip)) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      String key = line.substring(0, sp);
      int brace = key.indexOf('{');
      if (brace >= 0) {
        String[] labels = key.substring(brace + 1, key.length() - 1).split(",");
        for (int i = 0; i < labels.length; i++) {
          String[] kv = labels[i].split("=", 2);
          String v = kv[1].substring(1, kv[1].length() - 1);
          if (kv[0].equals("le")) {
            v = String.valueOf(v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
          }
          labels[i] = kv[0] + "=" + v;
        }
        java.util.Arrays.sort(labels);
        key = key.substring(0, brace) + "{" + String.join(",", labels) + "}";
      }
      String v = line.substring(sp + 1);
      m.put(key, v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
    }
    return m;
  }
}
