package io.rxprom.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.rxprom.core.CallbackMetric;
import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.Info;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.StateSet;
import io.rxprom.core.Summary;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.core.snapshot.UnknownDataPoint;
import io.rxprom.testing.Promtool;
import io.rxprom.testing.PythonParsers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric type, registered in a real {@link MetricRegistry} with the standard collectors,
 * scraped once and written in both formats, goes through the real peers: {@code promtool check
 * metrics} must be clean on the 0.0.4 body (exit 0, no output), and the Python client's lax 0.0.4
 * parser and strict OpenMetrics parser must read back exactly the families, label values and
 * numbers of the snapshot (derived here from the snapshot, independently of the writers).
 */
class EveryTypeThroughRealParsersTest {

  enum Circuit { CLOSED, OPEN, HALF_OPEN }

  static final String[] AWKWARD = {
    "back\\slash", "say \"hi\"", "line1\nline2", "é 日本 \uD83D\uDE00", "", "plain/path"
  };

  private static MetricSnapshots snapshots;
  private static byte[] text004;
  private static byte[] openMetrics;

  @BeforeAll
  static void scrapeOnce() throws IOException {
    MetricRegistry registry = new MetricRegistry();
    Counter requests = Counter.builder("http_requests_total").help("Requests \\ by \"path\"\nsecond line.")
        .labelNames("path").register(registry);
    for (int i = 0; i < AWKWARD.length; i++) {
      requests.labels(AWKWARD[i]).inc(i + 1);
    }
    requests.labels("fraction").inc(0.25);
    Gauge inFlight = Gauge.builder("http_requests_in_flight").help("Requests in flight.")
        .labelNames("route").register(registry);
    inFlight.labels("/a").set(-2.5);
    inFlight.labels("/b").inc();
    inFlight.labels("/c").set(1e-7);
    Histogram latency = Histogram.builder("http_request_duration").unit("seconds")
        .help("Request latency.").labelNames("method").register(registry);
    for (int i = 0; i < 100; i++) {
      latency.labels("GET").observe(i / 200.0);
    }
    latency.labels("POST").observe(12);
    Summary sizes = Summary.builder("http_response_size_bytes").help("Response sizes.")
        .quantiles(0.5, 0.9, 0.99).labelNames("route").register(registry);
    for (int i = 1; i <= 1000; i++) {
      sizes.labels("/a").observe(i);
    }
    Info.builder("build_info").help("Build information.").labelNames("version", "commit")
        .register(registry).set("1.2.3", "abc\"def");
    StateSet circuit = StateSet.builder("circuit").help("Circuit breaker state.")
        .states(Circuit.class).labelNames("backend").register(registry);
    circuit.labels("db").setState(Circuit.HALF_OPEN);
    circuit.labels("cache").setState(Circuit.CLOSED);
    CallbackMetric.counter("cache_hits_total").help("Cache hits.").labelNames("cache")
        .callback(sink -> {
          sink.record(10, "users");
          sink.record(4.5, "orders \"x\"");
        })
        .register(registry);
    CallbackMetric.gauge("pool_connections_active").help("Active connections.")
        .callback(() -> 3).register(registry);
    StandardCollectors.register(registry);

    snapshots = registry.scrape();
    text004 = write(ExpositionFormat.PROMETHEUS_TEXT_0_0_4.writer(), snapshots);
    openMetrics = write(ExpositionFormat.OPENMETRICS_1_0_0.writer(), snapshots);
  }

  private static byte[] write(ExpositionWriter writer, MetricSnapshots s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, s);
    return out.toByteArray();
  }

  @Test
  void theRegistryHoldsEveryType() {
    List<MetricType> types = snapshots.families().stream().map(MetricFamilySnapshot::type).toList();
    assertThat(types).contains(MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM,
        MetricType.SUMMARY, MetricType.INFO, MetricType.STATESET);
    assertThat(snapshots.families()).extracting(MetricFamilySnapshot::name)
        .contains("http_requests", "http_request_duration_seconds", "build", "circuit",
            "cache_hits", "pool_connections_active", "process_cpu_seconds", "jvm_memory_used_bytes");
  }

  @Test
  void promtoolIsCleanOnTheTextBody() {
    Promtool.Result r = Promtool.checkMetrics(text004);
    assertThat(r.output()).as(new String(text004, StandardCharsets.UTF_8)).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void laxTextParserReadsBackTheSnapshot() {
    assertReadBack(PythonParsers.parse004(text004), false);
  }

  @Test
  void strictOpenMetricsParserReadsBackTheSnapshot() {
    assertReadBack(PythonParsers.parseOpenMetrics(openMetrics), true);
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertReadBack(List<PythonParsers.Family> parsed, boolean om) {
    String body = new String(om ? openMetrics : text004, StandardCharsets.UTF_8);
    List<String> expectedFamilies = new ArrayList<>();
    for (MetricFamilySnapshot f : snapshots) {
      expectedFamilies.add(parsedName(f, om) + " " + parsedType(f, om) + " " + f.help()
          + (om ? " unit=" + f.unit() : ""));
    }
    List<String> actualFamilies = new ArrayList<>();
    for (PythonParsers.Family f : parsed) {
      actualFamilies.add(f.name() + " " + f.type() + " " + f.help()
          + (om ? " unit=" + f.unit().orElse("") : ""));
    }
    assertThat(actualFamilies).as(body).containsExactlyElementsOf(expectedFamilies);

    for (int i = 0; i < parsed.size(); i++) {
      MetricFamilySnapshot f = snapshots.families().get(i);
      List<Expected> expected = expectedSamples(f, om);
      List<PythonParsers.Sample> samples = parsed.get(i).samples();
      assertThat(samples).as("samples of %s in\n%s", f.name(), body).hasSize(expected.size());
      for (int j = 0; j < samples.size(); j++) {
        PythonParsers.Sample s = samples.get(j);
        Expected e = expected.get(j);
        assertThat(s.name()).as("sample %d of %s", j, f.name()).isEqualTo(e.name);
        assertThat(new TreeMap<>(s.labels())).as("labels of %s", e.name).isEqualTo(e.labels);
        if (e.approximate) {
          assertThat(s.value()).as("%s%s", e.name, e.labels).isCloseTo(e.value, offset(1e-3));
        } else {
          // exact to the bit; negative zero is written as zero
          assertThat(Double.doubleToLongBits(s.value())).as("%s%s = %s", e.name, e.labels, s.value())
              .isEqualTo(Double.doubleToLongBits(e.value + 0.0));
        }
      }
    }
  }

  private static String parsedName(MetricFamilySnapshot f, boolean om) {
    return f.type() == MetricType.INFO && !om ? f.name() + "_info" : f.name();
  }

  private static String parsedType(MetricFamilySnapshot f, boolean om) {
    return om ? f.type().openMetricsName() : f.type().textName();
  }

  record Expected(String name, Map<String, String> labels, double value, boolean approximate) {}

  private static List<Expected> expectedSamples(MetricFamilySnapshot f, boolean om) {
    List<Expected> out = new ArrayList<>();
    String n = f.name();
    for (DataPointSnapshot p : f.dataPoints()) {
      Map<String, String> l = labels(p.labels());
      boolean created = om && p.createdEpochMillis() != DataPointSnapshot.NO_CREATED;
      switch (f.type()) {
        case COUNTER -> {
          out.add(new Expected(n + "_total", l, ((CounterDataPoint) p).value(), false));
          if (created) {
            out.add(new Expected(n + "_created", l, p.createdEpochMillis() / 1000.0, true));
          }
        }
        case GAUGE -> out.add(new Expected(n, l, ((GaugeDataPoint) p).value(), false));
        case UNKNOWN -> out.add(new Expected(n, l, ((UnknownDataPoint) p).value(), false));
        case HISTOGRAM -> {
          HistogramDataPoint h = (HistogramDataPoint) p;
          for (int i = 0; i < h.bucketCount(); i++) {
            out.add(new Expected(n + "_bucket", with(l, "le", number(h.upperBound(i), om)),
                h.cumulativeCount(i), false));
          }
          countSumCreated(out, n, l, h.count(), h.sum(), om, created, p);
        }
        case SUMMARY -> {
          SummaryDataPoint s = (SummaryDataPoint) p;
          for (int i = 0; i < s.quantileCount(); i++) {
            out.add(new Expected(n, with(l, "quantile", number(s.quantile(i), om)),
                s.quantileValue(i), false));
          }
          countSumCreated(out, n, l, s.count(), s.sum(), om, created, p);
        }
        case INFO -> out.add(new Expected(n + "_info", l, 1, false));
        case STATESET -> {
          StateSetDataPoint s = (StateSetDataPoint) p;
          for (int i = 0; i < s.size(); i++) {
            out.add(new Expected(n, with(l, n, s.state(i)), s.isEnabled(i) ? 1 : 0, false));
          }
        }
        default -> throw new AssertionError(f.type());
      }
    }
    return out;
  }

  private static void countSumCreated(List<Expected> out, String n, Map<String, String> l,
      long count, double sum, boolean om, boolean created, DataPointSnapshot p) {
    // OpenMetrics orders _count, _sum, _created; the 0.0.4 writer _sum, _count (as Go does)
    if (om) {
      out.add(new Expected(n + "_count", l, count, false));
      out.add(new Expected(n + "_sum", l, sum, false));
      if (created) {
        out.add(new Expected(n + "_created", l, p.createdEpochMillis() / 1000.0, true));
      }
    } else {
      out.add(new Expected(n + "_sum", l, sum, false));
      out.add(new Expected(n + "_count", l, count, false));
    }
  }

  private static String number(double v, boolean om) {
    return om ? GoFloat.formatCanonical(v + 0.0) : GoFloat.format(v + 0.0);
  }

  private static Map<String, String> labels(Labels labels) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      m.put(labels.name(i), labels.value(i));
    }
    return m;
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(labels);
    m.put(name, value);
    return new TreeMap<>(m);
  }
}
