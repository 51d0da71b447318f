package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramTest {

  private final MetricRegistry registry = new MetricRegistry();

  private static long[] cumulative(HistogramDataPoint p) {
    long[] c = new long[p.bucketCount()];
    for (int i = 0; i < c.length; i++) {
      c[i] = p.cumulativeCount(i);
    }
    return c;
  }

  private static double[] bounds(HistogramDataPoint p) {
    double[] b = new double[p.bucketCount()];
    for (int i = 0; i < b.length; i++) {
      b[i] = p.upperBound(i);
    }
    return b;
  }

  @Test
  void defaultBucketsAreTheOfficialClientsAndInfIsImplied() {
    Histogram h = Histogram.builder("latency_seconds").register(registry);
    assertThat(h.buckets())
        .containsExactly(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10);
    HistogramDataPoint p = only(family(registry.scrape(), "latency_seconds"), HistogramDataPoint.class);
    assertThat(bounds(p))
        .containsExactly(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY);
    assertThat(cumulative(p)).containsOnly(0L);
    assertThat(p.sum()).isZero();
  }

  /**
   * Placement with a linear scan (few bounds) and a binary search (many bounds) must agree with
   * the rule "the first bucket whose upper bound is >= the value" for values on a bound, just
   * below and above it, below the first bound, negative, zero of both signs and infinities.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 16, 17, 40})
  void bucketPlacementFollowsLessOrEqualUpperBound(int boundCount) {
    double[] b = new double[boundCount];
    for (int i = 0; i < boundCount; i++) {
      b[i] = -1.0 + i * 0.5; // -1, -0.5, 0, 0.5, ...
    }
    Histogram h = Histogram.builder("placement").buckets(b).build();
    double[] probes = {
      Double.NEGATIVE_INFINITY, -1e300, -1.0000000000000002, -1, -0.75, -0.5, -0.0, 0.0,
      Double.MIN_VALUE, 0.5, Math.nextUp(0.5), 7.0, Math.nextDown(b[boundCount - 1]),
      b[boundCount - 1], Math.nextUp(b[boundCount - 1]), 1e300, Double.POSITIVE_INFINITY
    };
    for (double v : probes) {
      int expected = boundCount; // +Inf bucket
      for (int i = 0; i < boundCount; i++) {
        if (v <= b[i]) {
          expected = i;
          break;
        }
      }
      assertThat(h.bucketIndex(v)).as("bucket of %s with %d bounds", v, boundCount).isEqualTo(expected);
    }
  }

  @Test
  void observationsLandInCumulativeBucketsOfTheSnapshot() {
    Histogram h = Histogram.builder("sizes_bytes").labelNames("kind")
        .buckets(1, 10, 100).register(registry);
    Histogram.Child c = h.labels("img");
    for (double v : new double[] {-5, 0, 1, 1.0000001, 10, 99.9, 100, 100.5, Double.POSITIVE_INFINITY}) {
      c.observe(v);
    }
    HistogramDataPoint p = point(family(registry.scrape(), "sizes_bytes"), HistogramDataPoint.class, "img");
    assertThat(bounds(p)).containsExactly(1, 10, 100, Double.POSITIVE_INFINITY);
    // <=1: -5, 0, 1 | <=10: +1.0000001, 10 | <=100: +99.9, 100 | +Inf: +100.5, +Inf
    assertThat(cumulative(p)).containsExactly(3, 5, 7, 9);
    assertThat(p.count()).isEqualTo(9).isEqualTo(c.count());
    assertThat(p.sum()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void sumAndCountOfFiniteObservations() {
    Histogram h = Histogram.builder("work_seconds").buckets(0.1, 1).build();
    h.observe(0.05);
    h.observe(0.5);
    h.observe(2);
    h.observe(-0.25);
    HistogramDataPoint p = only(h.snapshot(), HistogramDataPoint.class);
    assertThat(p.count()).isEqualTo(4);
    assertThat(p.sum()).isCloseTo(2.3, within(1e-12));
    assertThat(cumulative(p)).containsExactly(2, 3, 4);
  }

  @Test
  void negativeZeroBoundIsTheSameAsZero() {
    double[] many = new double[20];
    for (int i = 0; i < many.length; i++) {
      many[i] = i - 10; // -10 ... 9, with 0 at index 10
    }
    many[10] = -0.0;
    Histogram h = Histogram.builder("signed_zero").buckets(many).build();
    assertThat(Double.doubleToRawLongBits(h.buckets()[10])).isEqualTo(Double.doubleToRawLongBits(0.0));
    assertThat(h.bucketIndex(0.0)).isEqualTo(10);
    assertThat(h.bucketIndex(-0.0)).isEqualTo(10);
  }

  @Test
  void labelsWithoutObservingInitialiseEveryBucketAtZero() {
    Histogram h = Histogram.builder("init").labelNames("route").buckets(1, 2).register(registry);
    h.labels("/a");
    HistogramDataPoint p = point(family(registry.scrape(), "init"), HistogramDataPoint.class, "/a");
    assertThat(cumulative(p)).containsExactly(0, 0, 0);
    assertThat(p.sum()).isZero();
    assertThat(p.createdEpochMillis()).isPositive();
  }

  @Test
  void trailingInfBoundIsAccepted() {
    Histogram h = Histogram.builder("explicit_inf").buckets(1, 2, Double.POSITIVE_INFINITY).build();
    assertThat(h.buckets()).containsExactly(1, 2);
  }

  @Test
  void unsortedBucketsAreRejected() {
    assertThatThrownBy(() -> Histogram.builder("h").buckets(1, 3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("3.0 then 2.0")
        .hasMessageContaining("strictly increasing");
  }

  @Test
  void duplicateBucketsAreRejected() {
    assertThatThrownBy(() -> Histogram.builder("h").buckets(0.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("0.5 then 0.5")
        .hasMessageContaining("strictly increasing");
  }

  @Test
  void emptyBucketsAreRejected() {
    assertThatThrownBy(() -> Histogram.builder("h").buckets())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("at least one finite bucket bound");
    assertThatThrownBy(() -> Histogram.builder("h").buckets(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one finite bucket bound");
    assertThatThrownBy(() -> Histogram.builder("h").buckets((double[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("null");
  }

  @Test
  void nanAndInfiniteInnerBucketsAreRejected() {
    assertThatThrownBy(() -> Histogram.builder("h").buckets(1, Double.NaN, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("NaN")
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> Histogram.builder("h").buckets(1, Double.POSITIVE_INFINITY, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Infinity")
        .hasMessageContaining("only the last may be +Inf");
    assertThatThrownBy(() -> Histogram.builder("h").buckets(Double.NEGATIVE_INFINITY, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Infinity");
  }

  @Test
  void linearAndExponentialBucketHelpers() {
    assertThat(Histogram.linearBuckets(0.5, 0.25, 4)).containsExactly(0.5, 0.75, 1.0, 1.25);
    assertThat(Histogram.exponentialBuckets(0.001, 10, 4))
        .containsExactly(new double[] {0.001, 0.01, 0.1, 1.0}, within(1e-15));
    Histogram h = Histogram.builder("helpers").exponentialBuckets(1, 2, 5).build();
    assertThat(h.buckets()).containsExactly(1, 2, 4, 8, 16);
    Histogram l = Histogram.builder("helpers").linearBuckets(-1, 1, 3).build();
    assertThat(l.buckets()).containsExactly(-1, 0, 1);
  }

  @Test
  void badBucketHelperArgumentsAreRejected() {
    assertThatThrownBy(() -> Histogram.linearBuckets(0, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("linearBuckets(0.0, 0.0, 3)")
        .hasMessageContaining("width > 0");
    assertThatThrownBy(() -> Histogram.linearBuckets(0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count >= 1");
    assertThatThrownBy(() -> Histogram.exponentialBuckets(0, 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exponentialBuckets(0.0, 2.0, 3)")
        .hasMessageContaining("start > 0");
    assertThatThrownBy(() -> Histogram.exponentialBuckets(1, 1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("factor > 1");
  }

  @Test
  void nanObservationIsRejectedNamingMetricAndSeries() {
    Histogram h = Histogram.builder("h_seconds").labelNames("route").build();
    Histogram.Child c = h.labels("/x");
    assertThatThrownBy(() -> c.observe(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h_seconds'")
        .hasMessageContaining("route=\"/x\"")
        .hasMessageContaining("NaN");
    assertThat(c.count()).isZero();
  }

  @Test
  void leIsAReservedLabel() {
    assertThatThrownBy(() -> Histogram.builder("h").labelNames("path", "le").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'h'")
        .hasMessageContaining("'le'")
        .hasMessageContaining("reserved by the histogram type");
  }

  @Test
  void timersRecordSecondsOnce() throws Exception {
    Histogram h = Histogram.builder("timed_seconds").buckets(0.001, 10).build();
    Timer t = h.startTimer();
    double first = t.observeDuration();
    t.close();
    assertThat(first).isBetween(0.0, 10.0);
    h.labels().time(() -> { });
    assertThat(h.labels().time(() -> "value")).isEqualTo("value");
    assertThatThrownBy(() -> h.labels().time((Runnable) () -> {
      throw new IllegalStateException("fails");
    })).isInstanceOf(IllegalStateException.class);
    HistogramDataPoint p = only(h.snapshot(), HistogramDataPoint.class);
    assertThat(p.count()).as("one timer, three timed bodies").isEqualTo(4);
    assertThat(p.sum()).isBetween(0.0, 10.0);
  }

  @Test
  void bucketsReturnsACopy() {
    Histogram h = Histogram.builder("copy").buckets(1, 2).build();
    h.buckets()[0] = 99;
    assertThat(Arrays.stream(h.buckets()).boxed()).containsExactly(1.0, 2.0);
    assertThat(h.snapshot().type()).isEqualTo(MetricType.HISTOGRAM);
  }

  @Test
  void manyBucketsSnapshotIsCumulative() {
    Histogram h = Histogram.builder("many").linearBuckets(1, 1, 30).build();
    for (int i = 0; i <= 31; i++) {
      h.observe(i);
    }
    MetricFamilySnapshot f = h.snapshot();
    HistogramDataPoint p = only(f, HistogramDataPoint.class);
    long[] c = cumulative(p);
    assertThat(c).hasSize(31);
    for (int i = 0; i < 30; i++) {
      assertThat(c[i]).as("le=%d", i + 1).isEqualTo(i + 2); // 0..i+1
    }
    assertThat(c[30]).isEqualTo(32);
    assertThat(p.sum()).isEqualTo(31 * 32 / 2.0);
  }
}
