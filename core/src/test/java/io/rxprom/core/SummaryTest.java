package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SummaryTest {

  private static final double BOUND = SlidingQuantiles.RELATIVE_ERROR * (1 + 1e-12);

  private final MetricRegistry registry = new MetricRegistry();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private Summary windowed(Duration maxAge, int ageBuckets, double... quantiles) {
    return Summary.builder("windowed").quantiles(quantiles).maxAge(maxAge).ageBuckets(ageBuckets)
        .nanoClock(clock::get).build();
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private static SummaryDataPoint snap(Summary s) {
    return only(s.snapshot(), SummaryDataPoint.class);
  }

  private static void assertEstimate(double estimate, double exact) {
    assertThat(Math.abs(estimate - exact)).as("estimate %s of %s", estimate, exact)
        .isLessThanOrEqualTo(Math.abs(exact) * BOUND);
  }

  @Test
  void countAndSumWithoutQuantiles() {
    Summary s = Summary.builder("my_router_request_latency_seconds")
        .help("Latency of request router handlers").labelNames("path").register(registry);
    s.labels("/foo").observe(0.25);
    s.labels("/foo").observe(0.5);
    s.labels("/bar");
    MetricFamilySnapshot f = family(registry.scrape(), "my_router_request_latency_seconds");
    assertThat(f.type()).isEqualTo(MetricType.SUMMARY);
    SummaryDataPoint foo = point(f, SummaryDataPoint.class, "/foo");
    assertThat(foo.count()).isEqualTo(2);
    assertThat(foo.sum()).isEqualTo(0.75);
    assertThat(foo.quantileCount()).isZero();
    assertThat(foo.createdEpochMillis()).isPositive();
    SummaryDataPoint bar = point(f, SummaryDataPoint.class, "/bar");
    assertThat(bar.count()).as("labels() initialises at zero").isZero();
    assertThat(bar.sum()).isZero();
  }

  @Test
  void quantilesAreSortedAndDeduplicatedAndNanWhileEmpty() {
    Summary s = Summary.builder("q").quantiles(0.9, 0.5, 0.9, 0.99).build();
    SummaryDataPoint p = snap(s);
    assertThat(p.quantileCount()).isEqualTo(3);
    assertThat(new double[] {p.quantile(0), p.quantile(1), p.quantile(2)}).containsExactly(0.5, 0.9, 0.99);
    for (int i = 0; i < 3; i++) {
      assertThat(p.quantileValue(i)).isNaN();
    }
    assertThat(p.count()).isZero();
  }

  @Test
  void quantilesEstimateTheObservations() {
    Summary s = Summary.builder("q").quantiles(0, 0.5, 0.9, 1).build();
    for (int i = 1; i <= 100; i++) {
      s.observe(i);
    }
    SummaryDataPoint p = snap(s);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.sum()).isEqualTo(5050);
    assertEstimate(p.quantileValue(0), 1);
    assertEstimate(p.quantileValue(1), 50);
    assertEstimate(p.quantileValue(2), 90);
    assertEstimate(p.quantileValue(3), 100);
  }

  @Test
  void observationsLeaveTheWindowAfterMaxAgeButCountAndSumStay() {
    Summary s = windowed(Duration.ofSeconds(10), 5, 0.5);
    s.observe(3.0);
    assertEstimate(snap(s).quantileValue(0), 3.0);
    advance(Duration.ofMillis(7_999)); // within maxAge - one slice: always still in the window
    assertEstimate(snap(s).quantileValue(0), 3.0);
    advance(Duration.ofMillis(2_001)); // maxAge after the observation: always gone
    SummaryDataPoint p = snap(s);
    assertThat(p.quantileValue(0)).isNaN();
    assertThat(p.count()).isEqualTo(1);
    assertThat(p.sum()).isEqualTo(3.0);
  }

  @Test
  void windowKeepsRecentAndDropsOldObservations() {
    Summary s = windowed(Duration.ofSeconds(10), 5, 0, 1);
    s.observe(1_000);
    advance(Duration.ofSeconds(6));
    snap(s); // a scrape rotates the window: the next observation lands in the new slice
    s.observe(1);
    SummaryDataPoint both = snap(s);
    assertEstimate(both.quantileValue(0), 1);
    assertEstimate(both.quantileValue(1), 1_000);
    advance(Duration.ofSeconds(4)); // 10 s after the first, 4 s after the second
    SummaryDataPoint recent = snap(s);
    assertEstimate(recent.quantileValue(0), 1);
    assertEstimate(recent.quantileValue(1), 1);
    advance(Duration.ofSeconds(6));
    assertThat(snap(s).quantileValue(1)).isNaN();
    s.observe(42); // the ring slots are reused
    assertEstimate(snap(s).quantileValue(0), 42);
    assertThat(snap(s).count()).isEqualTo(3);
    assertThat(snap(s).sum()).isEqualTo(1_043);
  }

  @Test
  void writersReadTheClockEveryFewObservationsAndScrapesRotateTheWindow() {
    Summary s = windowed(Duration.ofSeconds(10), 5, 0.5);
    s.observe(5); // first observation: finds the current slice
    advance(Duration.ofSeconds(30)); // that slice is long gone from the window
    StripedHistogramCells.probe()[1] = 0; // this thread's next clock check is 16 observations away
    s.observe(7); // no clock check yet: recorded into the slice of the last check
    assertThat(snap(s).quantileValue(0)).as("lands in the expired slice").isNaN();
    // the scrape moved the writers to the current slice
    s.observe(9);
    assertEstimate(snap(s).quantileValue(0), 9);
    advance(Duration.ofSeconds(30));
    for (int i = 0; i < SlidingQuantiles.CLOCK_CHECK_INTERVAL; i++) {
      s.observe(11); // within CLOCK_CHECK_INTERVAL observations the thread reads the clock
    }
    SummaryDataPoint p = snap(s);
    assertEstimate(p.quantileValue(0), 11);
    assertThat(p.count()).isEqualTo(3 + SlidingQuantiles.CLOCK_CHECK_INTERVAL);
  }

  @Test
  void longIdleWindowIsEmptyThenWorksAgain() {
    Summary s = windowed(Duration.ofMinutes(10), 5, 0.5);
    s.observe(5);
    advance(Duration.ofDays(3));
    assertThat(snap(s).quantileValue(0)).isNaN();
    s.observe(7);
    assertEstimate(snap(s).quantileValue(0), 7);
  }

  @Test
  void singleAgeBucketWindow() {
    Summary s = windowed(Duration.ofSeconds(1), 1, 0.5);
    s.observe(2);
    advance(Duration.ofMillis(999));
    assertEstimate(snap(s).quantileValue(0), 2);
    advance(Duration.ofMillis(1));
    assertThat(snap(s).quantileValue(0)).isNaN();
  }

  /** Regression: a writer that read the clock before a rotation replaced the newer slice. */
  @Test
  void writerDelayedPastARotationDoesNotWipeTheNewerSlice() {
    Summary s = windowed(Duration.ofSeconds(10), 5, 0, 1);
    long start = clock.get();
    advance(Duration.ofSeconds(10)); // slot 0 again, one full window later
    s.observe(5);
    long now = clock.get();
    clock.set(start); // a writer that read the clock 10 s ago and only now records
    s.observe(7);
    clock.set(now);
    SummaryDataPoint p = snap(s);
    assertEstimate(p.quantileValue(0), 5);
    assertEstimate(p.quantileValue(1), 7);
  }

  /** Regression: a clock reading before the window's origin indexed the ring with a negative slot. */
  @Test
  void clockReadingBeforeTheOriginDoesNotBreakTheRing() {
    Summary s = windowed(Duration.ofSeconds(10), 5, 0.5);
    clock.addAndGet(-3_000_000_000L);
    s.observe(1);
    assertEstimate(snap(s).quantileValue(0), 1);
  }

  @Test
  void badQuantilesAreRejectedNamingMetricValueAndRule() {
    assertThatThrownBy(() -> Summary.builder("lat").quantiles(0.5, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'")
        .hasMessageContaining("1.5")
        .hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> Summary.builder("lat").quantiles(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.1");
    assertThatThrownBy(() -> Summary.builder("lat").quantiles(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN")
        .hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> Summary.builder("lat").quantiles((double[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'");
  }

  @Test
  void badWindowIsRejected() {
    assertThatThrownBy(() -> Summary.builder("lat").maxAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'")
        .hasMessageContaining("PT0S")
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> Summary.builder("lat").ageBuckets(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'")
        .hasMessageContaining("got 0");
  }

  @Test
  void windowSlicesShorterThanOneMillisecondAreRejected() {
    assertThatThrownBy(() -> Summary.builder("lat").quantiles(0.5)
            .maxAge(Duration.ofNanos(999_999)).ageBuckets(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("summary 'lat'")
        .hasMessageContaining("PT0.000999999S")
        .hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> Summary.builder("lat").ageBuckets(1000).maxAge(Duration.ofMillis(999))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ageBuckets 1000")
        .hasMessageContaining("at least 1 ms");
    // exactly 1 ms per slice is fine, whichever option is set first
    assertThat(Summary.builder("lat").ageBuckets(1000).maxAge(Duration.ofSeconds(1)).build())
        .isNotNull();
    assertThat(Summary.builder("lat").maxAge(Duration.ofMillis(5)).ageBuckets(5).build())
        .isNotNull();
  }

  @Test
  void nanObservationIsRejected() {
    Summary s = Summary.builder("lat").quantiles(0.5).build();
    assertThatThrownBy(() -> s.observe(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'")
        .hasMessageContaining("NaN");
    assertThat(snap(s).count()).isZero();
    assertThat(snap(s).quantileValue(0)).isNaN();
  }

  @Test
  void quantileIsAReservedLabel() {
    assertThatThrownBy(() -> Summary.builder("lat").labelNames("quantile").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lat'")
        .hasMessageContaining("'quantile'")
        .hasMessageContaining("reserved by the summary type");
  }

  @Test
  void timersRecordIntoCountAndSum() throws Exception {
    Summary s = Summary.builder("op_seconds").labelNames("path").register(registry);
    try (Timer t = s.labels("/bar").startTimer()) {
      assertThat(t).isNotNull();
    }
    assertThat(s.labels("/bar").time(() -> 1)).isEqualTo(1);
    assertThat(s.labels("/bar").count()).isEqualTo(2);
    assertThat(s.labels("/bar").sum()).isBetween(0.0, 10.0);
  }

  @Test
  void infiniteObservationsCountInTheExtremeBuckets() {
    Summary s = Summary.builder("ext").quantiles(0, 1).build();
    s.observe(Double.POSITIVE_INFINITY);
    s.observe(Double.NEGATIVE_INFINITY);
    SummaryDataPoint p = snap(s);
    assertThat(p.quantileValue(0)).isLessThan(-1e19);
    assertThat(p.quantileValue(1)).isGreaterThan(1e19);
    assertThat(p.sum()).isNaN(); // +Inf + -Inf, as the arithmetic says
    assertThat(p.count()).isEqualTo(2);
  }

  @Test
  void magnitudesBelowTheRangeCountAsZero() {
    Summary s = Summary.builder("tiny").quantiles(0.5).build();
    s.observe(1e-30);
    assertThat(snap(s).quantileValue(0)).isZero();
    assertThat(snap(s).sum()).isEqualTo(1e-30);
  }

  @Test
  void estimateIsWithinTheBoundAtBothEdgesOfASubBucket() {
    Summary s = Summary.builder("edges").quantiles(0.5).build();
    s.observe(1.0); // the lower edge of the first sub-bucket of an octave: the worst case
    assertEstimate(snap(s).quantileValue(0), 1.0);
    Summary t = Summary.builder("edges").quantiles(0.5).build();
    t.observe(Math.nextDown(1 + 1.0 / 64)); // its upper edge
    assertEstimate(snap(t).quantileValue(0), Math.nextDown(1 + 1.0 / 64));
    assertThat(snap(s).quantileValue(0)).isCloseTo(1 + 1.0 / 129, within(1e-12));
  }
}
