package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.has;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

  private final MetricRegistry registry = new MetricRegistry();

  private void assertClash(Supplier<Collector> first, Supplier<Collector> second, String secondName,
      String clashingName) {
    MetricRegistry r = new MetricRegistry();
    r.register(first.get());
    assertThatThrownBy(() -> r.register(second.get()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric '" + secondName + "'")
        .hasMessageContaining("name clash on '" + clashingName + "'")
        .hasMessageContaining("already uses");
    // and the other way round
    MetricRegistry reverse = new MetricRegistry();
    reverse.register(second.get());
    assertThatThrownBy(() -> reverse.register(first.get()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name clash on '" + clashingName + "'");
  }

  @Test
  void sameNameTwiceIsRejected() {
    assertClash(() -> Gauge.builder("foo").build(), () -> Gauge.builder("foo").build(), "foo", "foo");
    assertClash(() -> Gauge.builder("foo").build(), () -> Histogram.builder("foo").build(), "foo", "foo");
  }

  @Test
  void counterClashesWithGaugeNamedItsTotalSample() {
    assertClash(() -> Counter.builder("foo").build(), () -> Gauge.builder("foo_total").build(),
        "foo_total", "foo_total");
  }

  @Test
  void counterClashesWithGaugeNamedItsCreatedSample() {
    assertClash(() -> Counter.builder("foo").build(), () -> Gauge.builder("foo_created").build(),
        "foo_created", "foo_created");
  }

  @Test
  void histogramClashesWithItsBucketCountSumAndCreatedSamples() {
    for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
      assertClash(() -> Histogram.builder("foo").build(), () -> Gauge.builder("foo" + suffix).build(),
          "foo" + suffix, "foo" + suffix);
    }
  }

  @Test
  void summaryClashesWithItsCountSumAndCreatedSamples() {
    for (String suffix : List.of("_count", "_sum", "_created")) {
      assertClash(() -> Summary.builder("foo").build(), () -> Gauge.builder("foo" + suffix).build(),
          "foo" + suffix, "foo" + suffix);
    }
    assertClash(() -> Summary.builder("foo").build(), () -> Counter.builder("foo_count").build(),
        "foo_count", "foo_count");
    MetricRegistry r = new MetricRegistry();
    Summary.builder("foo").register(r);
    Gauge.builder("foo_bucket").register(r); // a summary has no buckets
  }

  @Test
  void infoClashesWithItsInfoSample() {
    assertClash(() -> Info.builder("build").build(), () -> Gauge.builder("build_info").build(),
        "build_info", "build_info");
    assertClash(() -> Info.builder("build_info").build(), () -> Gauge.builder("build").build(),
        "build", "build");
  }

  @Test
  void callbackMetricsTakePartInClashDetection() {
    assertClash(() -> Counter.builder("hits").build(),
        () -> CallbackMetric.gauge("hits_total").callback(() -> 1).build(), "hits_total", "hits_total");
  }

  @Test
  void theOverflowCountersNamesAreTaken() {
    assertThatThrownBy(() -> Gauge.builder("rxprom_cardinality_overflow_total").register(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name clash on 'rxprom_cardinality_overflow_total'")
        .hasMessageContaining("the registry");
    assertThatThrownBy(() -> Counter.builder("rxprom_cardinality_overflow").register(registry))
        .isInstanceOf(IllegalArgumentException.class);
    // regression: any name starting with the overflow counter's was refused
    Gauge.builder("rxprom_cardinality_overflowing").register(registry);
    Gauge.builder("rxprom_cardinality_overflow_limit").register(registry);
  }

  @Test
  void rejectedRegistrationLeavesTheRegistryUnchanged() {
    Counter.builder("foo").register(registry);
    Collector both = new FixedCollector(Map.of("bar", MetricType.GAUGE, "foo_total", MetricType.GAUGE));
    assertThatThrownBy(() -> registry.register(both)).isInstanceOf(IllegalArgumentException.class);
    Gauge.builder("bar").register(registry); // "bar" was not claimed by the failed registration
  }

  @Test
  void registeringTheSameCollectorTwiceIsRejected() {
    Gauge g = Gauge.builder("g").register(registry);
    assertThatThrownBy(() -> registry.register(g))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gauge 'g'")
        .hasMessageContaining("registered already");
    assertThatThrownBy(() -> registry.register(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void collectorWithInvalidFamiliesIsRejected() {
    assertThatThrownBy(() -> registry.register(new FixedCollector(Map.of("bad-name", MetricType.GAUGE))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric 'bad-name'")
        .hasMessageContaining("[a-zA-Z_:][a-zA-Z0-9_:]*");
    assertThatThrownBy(() -> registry.register(new FixedCollector(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declares no families");
  }

  @Test
  void unregisterFreesTheNames() {
    Counter c = Counter.builder("foo").register(registry);
    registry.unregister(c);
    registry.unregister(c); // twice: nothing happens
    assertThat(has(registry.scrape(), "foo")).isFalse();
    Gauge.builder("foo_total").register(registry);
    Counter.builder("foo").build(); // building alone never clashes
  }

  @Test
  void scrapeIsSortedByNameAndHoldsTheOverflowCounter() {
    Gauge.builder("zeta").register(registry);
    Counter.builder("alpha_total").register(registry);
    Histogram.builder("mid").register(registry);
    registry.register(new FixedCollector(Map.of("custom", MetricType.GAUGE)));
    MetricSnapshots s = registry.scrape();
    assertThat(s.families()).extracting(MetricFamilySnapshot::name)
        .containsExactly("alpha", "custom", "mid", MetricRegistry.OVERFLOW_METRIC, "zeta");
    assertThat(family(s, MetricRegistry.OVERFLOW_METRIC).type()).isEqualTo(MetricType.COUNTER);
    assertThat(family(s, MetricRegistry.OVERFLOW_METRIC).dataPoints()).isEmpty();
  }

  @Test
  void scrapeFilterSelectsFamiliesAndSkipsCollectorsItRefuses() {
    Gauge.builder("a").register(registry);
    Gauge.builder("b").register(registry);
    FixedCollector custom = new FixedCollector(Map.of("custom", MetricType.GAUGE));
    registry.register(custom);
    MetricSnapshots s = registry.scrape(name -> name.equals("b"));
    assertThat(s.families()).extracting(MetricFamilySnapshot::name).containsExactly("b");
    assertThat(custom.collected).as("a collector the filter refuses is not even read").isZero();
    registry.scrape();
    assertThat(custom.collected).isEqualTo(1);
  }

  @Test
  void nameFilterMatchesFamilyAndSampleNames() {
    Counter.builder("requests_total").register(registry);
    Histogram.builder("latency_seconds").register(registry);
    Info.builder("build_info").register(registry);
    Gauge.builder("temperature").register(registry);
    assertThat(names(registry.scrape(MetricRegistry.nameFilter(List.of("requests_total")))))
        .containsExactly("requests");
    assertThat(names(registry.scrape(MetricRegistry.nameFilter(List.of("requests")))))
        .containsExactly("requests");
    assertThat(names(registry.scrape(MetricRegistry.nameFilter(
        List.of("latency_seconds_bucket", "build_info", "rxprom_cardinality_overflow_total")))))
        .containsExactly("build", "latency_seconds", MetricRegistry.OVERFLOW_METRIC);
    assertThat(names(registry.scrape(MetricRegistry.nameFilter(List.of("temp", "nothing"))))).isEmpty();
  }

  @Test
  void registryBuilderRejectsBadDefaults() {
    assertThatThrownBy(() -> MetricRegistry.builder().maxSeriesPerFamily(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSeriesPerFamily")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> MetricRegistry.builder().cardinalityPolicy(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultRegistryIsTheTargetOfRegisterWithoutArguments() {
    Counter c = Counter.builder("rxprom_core_test_default_registry_total").register();
    try {
      assertThat(MetricRegistry.defaultRegistry()).isSameAs(MetricRegistry.defaultRegistry());
      assertThat(has(MetricRegistry.defaultRegistry().scrape(), c.name())).isTrue();
    } finally {
      MetricRegistry.defaultRegistry().unregister(c);
    }
  }

  private static List<String> names(MetricSnapshots s) {
    return s.families().stream().map(MetricFamilySnapshot::name).collect(Collectors.toList());
  }

  /** A custom collector with fixed families, each holding one gauge series at 1. */
  private static final class FixedCollector implements Collector {
    private final Map<String, MetricType> families;
    int collected;

    FixedCollector(Map<String, MetricType> families) {
      this.families = families;
    }

    @Override
    public Map<String, MetricType> families() {
      return families;
    }

    @Override
    public void collect(Consumer<MetricFamilySnapshot> sink) {
      collected++;
      families.forEach((name, type) -> sink.accept(new MetricFamilySnapshot(
          name, MetricType.GAUGE, "", "", List.of(new GaugeDataPoint(Labels.EMPTY, 1)))));
    }
  }
}
