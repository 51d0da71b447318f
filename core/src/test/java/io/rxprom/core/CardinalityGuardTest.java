package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.labelSets;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {

  private static final String OVERFLOW = MetricFamily.OVERFLOW_LABEL_VALUE;

  private static double overflowCount(MetricRegistry registry, String metric) {
    MetricFamilySnapshot f = family(registry.scrape(), MetricRegistry.OVERFLOW_METRIC);
    for (DataPointSnapshot p : f.dataPoints()) {
      if (p.labels().get("metric").equals(metric)) {
        return ((CounterDataPoint) p).value();
      }
    }
    return 0;
  }

  @Test
  void defaultLimitIsTenThousandSeriesThenTheOverflowSeries() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("users").labelNames("id").register(registry);
    for (int i = 0; i < MetricFamily.DEFAULT_MAX_SERIES; i++) {
      c.labels(Integer.toString(i)).inc();
    }
    assertThat(overflowCount(registry, "users")).isZero();
    Counter.Child extra = c.labels("one-too-many");
    assertThat(extra.labels().get("id")).isEqualTo(OVERFLOW);
    extra.inc();
    MetricFamilySnapshot f = family(registry.scrape(), "users");
    assertThat(f.dataPoints()).hasSize(MetricFamily.DEFAULT_MAX_SERIES + 1);
    assertThat(point(f, CounterDataPoint.class, OVERFLOW).value()).isEqualTo(1.0);
    assertThat(overflowCount(registry, "users")).isEqualTo(1.0);
  }

  @Test
  void overflowSeriesKeepsTotalsExact() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("requests").labelNames("path", "method").maxSeries(3)
        .register(registry);
    Histogram h = Histogram.builder("latency").labelNames("path").buckets(1, 10).maxSeries(2)
        .register(registry);
    int incs = 0;
    for (int i = 0; i < 10; i++) {
      c.labels("/p" + i, "GET").inc(i + 1);
      incs += i + 1;
      h.labels("/p" + i).observe(i);
    }
    MetricSnapshots s = registry.scrape();
    MetricFamilySnapshot cf = family(s, "requests");
    assertThat(labelSets(cf)).containsExactly(
        List.of("/p0", "GET"), List.of("/p1", "GET"), List.of("/p2", "GET"), List.of(OVERFLOW, OVERFLOW));
    double total = 0;
    for (DataPointSnapshot p : cf.dataPoints()) {
      total += ((CounterDataPoint) p).value();
    }
    assertThat(total).isEqualTo(incs);
    assertThat(point(cf, CounterDataPoint.class, OVERFLOW, OVERFLOW).value()).isEqualTo(4 + 5 + 6 + 7 + 8 + 9 + 10);
    HistogramDataPoint hov = point(family(s, "latency"), HistogramDataPoint.class, OVERFLOW);
    assertThat(hov.count()).isEqualTo(8);
    assertThat(hov.sum()).isEqualTo(2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
    assertThat(overflowCount(registry, "requests")).isEqualTo(7);
    assertThat(overflowCount(registry, "latency")).isEqualTo(8);
  }

  @Test
  void everyRefusedLookupIsCounted() {
    MetricRegistry registry = new MetricRegistry();
    Gauge g = Gauge.builder("g").labelNames("k").maxSeries(1).register(registry);
    g.labels("a");
    g.labels("b");
    g.labels("b");
    g.labels("c");
    g.labels("a"); // its own series: not a refusal
    assertThat(overflowCount(registry, "g")).isEqualTo(3);
  }

  @Test
  void rejectPolicyThrowsAClearIllegalStateExceptionAndCountsIt() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("sessions").labelNames("user").maxSeries(2)
        .cardinalityPolicy(CardinalityPolicy.REJECT).register(registry);
    c.labels("alice").inc();
    c.labels("bob").inc();
    assertThatThrownBy(() -> c.labels("carol"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'sessions'")
        .hasMessageContaining("[carol]")
        .hasMessageContaining("maximum of 2 series")
        .hasMessageContaining("cardinality guard");
    assertThatThrownBy(() -> c.labels("dave")).isInstanceOf(IllegalStateException.class);
    assertThat(c.labels("alice").get()).isEqualTo(1.0);
    assertThat(labelSets(family(registry.scrape(), "sessions")))
        .containsExactly(List.of("alice"), List.of("bob"));
    assertThat(overflowCount(registry, "sessions")).isEqualTo(2);
  }

  @Test
  void underRejectTheOverflowLabelSetIsALabelSetLikeAnyOther() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("jobs").labelNames("queue").maxSeries(1)
        .cardinalityPolicy(CardinalityPolicy.REJECT).register(registry);
    c.labels("a").inc();
    assertThatThrownBy(() -> c.labels(MetricFamily.OVERFLOW_LABEL_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maximum of 1 series");
    assertThat(labelSets(family(registry.scrape(), "jobs"))).containsExactly(List.of("a"));
    assertThat(overflowCount(registry, "jobs")).isEqualTo(1);

    // with room, it is an ordinary series that counts against the limit and can be removed
    Counter d = Counter.builder("jobs2").labelNames("queue").maxSeries(1)
        .cardinalityPolicy(CardinalityPolicy.REJECT).register(registry);
    d.labels(MetricFamily.OVERFLOW_LABEL_VALUE).inc();
    assertThatThrownBy(() -> d.labels("a")).isInstanceOf(IllegalStateException.class);
    d.remove(MetricFamily.OVERFLOW_LABEL_VALUE);
    d.labels("a").inc();
    assertThat(labelSets(family(registry.scrape(), "jobs2"))).containsExactly(List.of("a"));
  }

  @Test
  void registryDefaultsApplyToFamiliesThatSetNone() {
    MetricRegistry registry = MetricRegistry.builder().maxSeriesPerFamily(2)
        .cardinalityPolicy(CardinalityPolicy.REJECT).build();
    Counter inherits = Counter.builder("inherits").labelNames("k").register(registry);
    Counter own = Counter.builder("own").labelNames("k").maxSeries(3)
        .cardinalityPolicy(CardinalityPolicy.OVERFLOW_SERIES).register(registry);
    Counter ownLimitOnly = Counter.builder("own_limit").labelNames("k").maxSeries(1).register(registry);
    inherits.labels("a");
    inherits.labels("b");
    assertThatThrownBy(() -> inherits.labels("c")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maximum of 2 series");
    own.labels("a");
    own.labels("b");
    own.labels("c");
    assertThat(own.labels("d").labels().get("k")).isEqualTo(OVERFLOW);
    ownLimitOnly.labels("a");
    assertThatThrownBy(() -> ownLimitOnly.labels("b"))
        .as("the registry's policy with the family's own limit")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maximum of 1 series");
    assertThat(overflowCount(registry, "inherits")).isEqualTo(1);
    assertThat(overflowCount(registry, "own")).isEqualTo(1);
    assertThat(overflowCount(registry, "own_limit")).isEqualTo(1);
  }

  @Test
  void removingASeriesMakesRoomAgain() {
    Counter c = Counter.builder("c").labelNames("k").maxSeries(2).build();
    c.labels("a");
    c.labels("b");
    assertThat(c.labels("c").labels().get("k")).isEqualTo(OVERFLOW);
    c.remove("a");
    assertThat(c.labels("c").labels().get("k")).isEqualTo("c");
  }

  /** Regression: the overflow series counted against the limit, so a freed slot stayed unusable. */
  @Test
  void overflowSeriesDoesNotCountAgainstTheLimit() {
    Counter c = Counter.builder("c").labelNames("k").maxSeries(2).build();
    c.labels("a");
    c.labels("b");
    c.labels("x"); // creates the overflow series
    c.remove("b");
    assertThat(c.labels("y").labels().get("k")).as("one own series, limit two").isEqualTo("y");
    assertThat(c.labels("z").labels().get("k")).isEqualTo(OVERFLOW);
  }

  /** Regression: labels("__overflow__") made a second series with the overflow series' labels. */
  @Test
  void overflowLabelValuesNameTheOverflowSeriesItself() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("c").labelNames("k", "l").maxSeries(1).register(registry);
    Counter.Child direct = c.labels(OVERFLOW, OVERFLOW);
    c.labels("a", "b");
    Counter.Child overflowed = c.labels("c", "d");
    assertThat(overflowed).isSameAs(direct);
    assertThat(labelSets(family(registry.scrape(), "c")))
        .containsExactly(List.of(OVERFLOW, OVERFLOW), List.of("a", "b"));
    assertThat(overflowCount(registry, "c")).as("naming the overflow series is no refusal").isEqualTo(1);
    c.remove(OVERFLOW, OVERFLOW);
    assertThat(labelSets(family(registry.scrape(), "c"))).containsExactly(List.of("a", "b"));
  }

  @Test
  void clearRemovesTheOverflowSeriesToo() {
    Counter c = Counter.builder("c").labelNames("k").maxSeries(1).build();
    c.labels("a");
    c.labels("b").inc();
    c.clear();
    assertThat(c.snapshot().dataPoints()).isEmpty();
    assertThat(c.labels("b").labels().get("k")).isEqualTo("b");
  }

  @Test
  void overflowCounterIsScrapedWithTheMetricLabelAndFiltered() {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("c").labelNames("k").maxSeries(1).register(registry);
    c.labels("a");
    c.labels("b");
    MetricSnapshots only = registry.scrape(MetricRegistry.nameFilter(List.of("rxprom_cardinality_overflow_total")));
    assertThat(only.families()).hasSize(1);
    CounterDataPoint p = point(only.families().get(0), CounterDataPoint.class, "c");
    assertThat(p.labels().name(0)).isEqualTo("metric");
    assertThat(p.value()).isEqualTo(1.0);
    assertThat(registry.scrape(name -> name.equals("c")).families()).hasSize(1);
  }
}
