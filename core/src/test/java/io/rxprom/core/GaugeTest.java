package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import org.junit.jupiter.api.Test;

class GaugeTest {

  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void incDecAndSetShowInTheSnapshot() {
    Gauge g = Gauge.builder("queue_length").help("Queue length").register(registry);
    g.inc();
    g.inc(4);
    g.dec();
    g.dec(0.5);
    assertThat(g.get()).isEqualTo(3.5);
    MetricFamilySnapshot f = family(registry.scrape(), "queue_length");
    assertThat(f.type()).isEqualTo(MetricType.GAUGE);
    GaugeDataPoint p = only(f, GaugeDataPoint.class);
    assertThat(p.value()).isEqualTo(3.5);
    assertThat(p.createdEpochMillis()).isEqualTo(DataPointSnapshot.NO_CREATED);
  }

  /** Regression: set(v) stored v - steps and added the steps back, losing the low bits of v. */
  @Test
  void setAfterStepsReturnsExactlyTheValueSet() {
    Gauge g = Gauge.builder("mixed").build();
    g.inc();
    g.set(0.1);
    assertThat(g.get()).isEqualTo(0.1);
    g.inc(3);
    g.set(1e17 + 16); // a whole number far beyond what steps + 1e17 can represent exactly
    assertThat(g.get()).isEqualTo(1e17 + 16);
    g.inc(0.25);
    g.set(-2.7);
    assertThat(g.get()).isEqualTo(-2.7);
  }

  @Test
  void stepsAfterSetAddToTheValueSet() {
    Gauge g = Gauge.builder("mixed").build();
    g.inc(10);
    g.set(2.5);
    g.inc();
    g.dec(0.25);
    assertThat(g.get()).isEqualTo(3.25);
    g.set(7);
    g.dec();
    assertThat(g.get()).isEqualTo(6.0);
    g.set(0);
    assertThat(g.get()).isZero();
  }

  @Test
  void setTakesNanAndInfinitiesAndStepsAfterwardsKeepThem() {
    Gauge g = Gauge.builder("odd").build();
    g.set(Double.NaN);
    assertThat(g.get()).isNaN();
    g.set(Double.NEGATIVE_INFINITY);
    g.inc();
    assertThat(g.get()).isEqualTo(Double.NEGATIVE_INFINITY);
    g.set(4);
    assertThat(g.get()).isEqualTo(4.0);
  }

  @Test
  void setKeepsTheSignOfZero() {
    Gauge g = Gauge.builder("zero").build();
    g.set(-0.0);
    assertThat(Double.doubleToRawLongBits(g.get())).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void nonFiniteStepsAreRejectedNamingMetricValueAndRule() {
    Gauge g = Gauge.builder("temperature").labelNames("room").register(registry);
    Gauge.Child kitchen = g.labels("kitchen");
    kitchen.set(21);
    assertThatThrownBy(() -> kitchen.inc(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'temperature'")
        .hasMessageContaining("room=\"kitchen\"")
        .hasMessageContaining("got NaN")
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> kitchen.dec(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got Infinity");
    assertThat(kitchen.get()).isEqualTo(21.0);
  }

  @Test
  void setToCurrentTimeIsSecondsSinceTheEpoch() {
    Gauge g = Gauge.builder("last_run_timestamp_seconds").build();
    double before = System.currentTimeMillis() / 1000.0;
    g.setToCurrentTime();
    double after = System.currentTimeMillis() / 1000.0;
    assertThat(g.get()).isBetween(before, after);
  }

  @Test
  void trackInProgressCountsWhileRunningAndAfterAThrow() throws Exception {
    Gauge g = Gauge.builder("in_progress").labelNames("path").register(registry);
    Gauge.Child child = g.labels("/foo");
    double[] inside = new double[1];
    child.trackInProgress(() -> inside[0] = child.get());
    assertThat(inside[0]).isEqualTo(1.0);
    assertThat(child.trackInProgress(() -> child.get() + 10)).isEqualTo(11.0);
    assertThatThrownBy(() -> child.trackInProgress((Runnable) () -> {
      throw new IllegalStateException("x");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(child.get()).isZero();
    assertThat(point(family(registry.scrape(), "in_progress"), GaugeDataPoint.class, "/foo").value())
        .isZero();
  }

  @Test
  void unlabelledFamilyMethodsWork() throws Exception {
    Gauge g = Gauge.builder("plain").build();
    g.set(3);
    g.inc(0.5);
    g.dec(1.5);
    assertThat(g.trackInProgress(g::get)).isEqualTo(3.0);
    g.trackInProgress(() -> { });
    assertThat(g.get()).isEqualTo(2.0);
  }
}
