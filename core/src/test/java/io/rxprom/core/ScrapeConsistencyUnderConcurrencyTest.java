package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.labelSets;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writer threads hammer live metrics while another thread scrapes without pause. Every
 * intermediate snapshot must be self-consistent and lie between what the writers had finished
 * before the scrape began and what they had started when it ended; nothing may go backwards
 * between two scrapes; the final totals must be exact.
 */
@Timeout(60)
class ScrapeConsistencyUnderConcurrencyTest {

  private static final int WRITERS = 4;
  private static final long RUN_NANOS = 1_000_000_000L;
  private static final int MIN_SCRAPES = 20;
  private static final long GIVE_UP_NANOS = 20_000_000_000L;

  /** Each writer's operations started and completed, one cache line apart. */
  private static final class Progress {
    private static final int PAD = 16;
    private final AtomicLongArray slots = new AtomicLongArray(2 * WRITERS * PAD);

    void started(int writer, long n) {
      slots.set(2 * writer * PAD, n);
    }

    void completed(int writer, long n) {
      slots.set((2 * writer + 1) * PAD, n);
    }

    long completedTotal() {
      long s = 0;
      for (int w = 0; w < WRITERS; w++) {
        s += slots.get((2 * w + 1) * PAD);
      }
      return s;
    }

    long startedTotal() {
      long s = 0;
      for (int w = 0; w < WRITERS; w++) {
        s += slots.get(2 * w * PAD);
      }
      return s;
    }
  }

  /** One writer: performs operation number {@code n} (0-based). */
  @FunctionalInterface
  private interface Op {
    void run(int writer, long n);
  }

  /** What a scrape saw, and the progress bounds around it. */
  private record Observed(MetricSnapshots snapshots, long completedBefore, long startedAfter) {}

  /**
   * Runs the writers for about a second, and on until the scraper has done {@link #MIN_SCRAPES}
   * scrapes (a busy machine may starve it), while scraping; hands every scrape to {@code check}
   * (with the previous one, or null) and returns the operations each writer completed.
   */
  private static long[] hammer(MetricRegistry registry, Op op, ScrapeCheck check) throws Exception {
    Progress progress = new Progress();
    long[] done = new long[WRITERS];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger scrapes = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch writersDone = new CountDownLatch(WRITERS);
    Thread[] writers = new Thread[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers[w] = new Thread(() -> {
        long n = 0;
        try {
          start.await();
          long begin = System.nanoTime();
          while (failure.get() == null) {
            long elapsed = System.nanoTime() - begin;
            if (elapsed > GIVE_UP_NANOS || (elapsed > RUN_NANOS && scrapes.get() >= MIN_SCRAPES)) {
              break;
            }
            for (int k = 0; k < 256; k++, n++) {
              progress.started(writer, n + 1);
              op.run(writer, n);
              progress.completed(writer, n + 1);
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done[writer] = n;
          writersDone.countDown();
        }
      }, "writer-" + w);
      writers[w].start();
    }
    Thread scraper = new Thread(() -> {
      Observed previous = null;
      try {
        start.await();
        do {
          long before = progress.completedTotal();
          MetricSnapshots s = registry.scrape();
          long after = progress.startedTotal();
          Observed now = new Observed(s, before, after);
          check.check(now, previous);
          previous = now;
          scrapes.incrementAndGet();
        } while (writersDone.getCount() > 0 && failure.get() == null);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }, "scraper");
    scraper.start();
    start.countDown();
    for (Thread t : writers) {
      t.join();
    }
    scraper.join();
    if (failure.get() != null) {
      throw new AssertionError("failed under concurrency", failure.get());
    }
    assertThat(scrapes.get()).as("scrapes while writing").isGreaterThanOrEqualTo(MIN_SCRAPES);
    return done;
  }

  @FunctionalInterface
  private interface ScrapeCheck {
    void check(Observed now, Observed previous);
  }

  private static long sum(long[] a) {
    long s = 0;
    for (long x : a) {
      s += x;
    }
    return s;
  }

  private static <T extends DataPointSnapshot> T one(MetricSnapshots s, String family, Class<T> type) {
    return only(family(s, family), type);
  }

  // ---------------------------------------------------------------- counters

  @Test
  void countersNeverGoBackwardsAndEndExact() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Counter whole = Counter.builder("whole_total").register(registry);
    Counter halves = Counter.builder("halves_total").labelNames("kind").register(registry);
    Counter.Child half = halves.labels("half");
    long[] done = hammer(registry, (w, n) -> {
      whole.inc();
      half.inc(0.5);
    }, (now, prev) -> {
      double w = one(now.snapshots, "whole", CounterDataPoint.class).value();
      double h = point(family(now.snapshots, "halves"), CounterDataPoint.class, "half").value();
      assertThat(w).isBetween((double) now.completedBefore, (double) now.startedAfter);
      assertThat(h * 2).isBetween((double) now.completedBefore, (double) now.startedAfter);
      if (prev != null) {
        assertThat(w).isGreaterThanOrEqualTo(one(prev.snapshots, "whole", CounterDataPoint.class).value());
        assertThat(h).isGreaterThanOrEqualTo(
            point(family(prev.snapshots, "halves"), CounterDataPoint.class, "half").value());
      }
    });
    long total = sum(done);
    assertThat(whole.get()).isEqualTo(total);
    assertThat(half.get()).isEqualTo(total * 0.5);
  }

  // ---------------------------------------------------------------- histograms

  private static final double[] BOUNDS = {1, 5, 10, 15};

  private static double histogramValue(long n) {
    return n % 20; // 0 .. 19, exact in sums
  }

  @Test
  void histogramSnapshotsAreCumulativeMonotoneAndEndExact() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Histogram shared = Histogram.builder("shared").buckets(BOUNDS).register(registry);
    Histogram perWriter = Histogram.builder("per_writer").labelNames("w").buckets(BOUNDS)
        .register(registry);
    Histogram.Child[] mine = new Histogram.Child[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      mine[w] = perWriter.labels("w" + w);
    }
    long[] done = hammer(registry, (w, n) -> {
      double v = histogramValue(n);
      shared.observe(v);
      mine[w].observe(v);
    }, (now, prev) -> {
      HistogramDataPoint h = one(now.snapshots, "shared", HistogramDataPoint.class);
      assertConsistent(h);
      assertThat(h.count()).isBetween(now.completedBefore, now.startedAfter);
      long perWriterCount = 0;
      for (DataPointSnapshot p : family(now.snapshots, "per_writer").dataPoints()) {
        assertConsistent((HistogramDataPoint) p);
        perWriterCount += ((HistogramDataPoint) p).count();
      }
      assertThat(perWriterCount).isBetween(now.completedBefore, now.startedAfter);
      if (prev != null) {
        assertNotBackwards(one(prev.snapshots, "shared", HistogramDataPoint.class), h);
        for (int w = 0; w < WRITERS; w++) {
          assertNotBackwards(
              point(family(prev.snapshots, "per_writer"), HistogramDataPoint.class, "w" + w),
              point(family(now.snapshots, "per_writer"), HistogramDataPoint.class, "w" + w));
        }
      }
    });
    long[] expected = new long[BOUNDS.length + 1];
    double expectedSum = 0;
    for (int w = 0; w < WRITERS; w++) {
      long[] mineExpected = new long[BOUNDS.length + 1];
      double mineSum = 0;
      for (long n = 0; n < done[w]; n++) {
        double v = histogramValue(n);
        for (int b = 0; b <= BOUNDS.length; b++) {
          if (b == BOUNDS.length || v <= BOUNDS[b]) {
            mineExpected[b]++;
          }
        }
        mineSum += v;
      }
      HistogramDataPoint p = point(perWriter.snapshot(), HistogramDataPoint.class, "w" + w);
      assertThat(cumulative(p)).as("writer %d", w).containsExactly(mineExpected);
      assertThat(p.sum()).isEqualTo(mineSum);
      for (int b = 0; b < expected.length; b++) {
        expected[b] += mineExpected[b];
      }
      expectedSum += mineSum;
    }
    HistogramDataPoint last = only(shared.snapshot(), HistogramDataPoint.class);
    assertThat(cumulative(last)).containsExactly(expected);
    assertThat(last.count()).isEqualTo(sum(done));
    assertThat(last.sum()).isEqualTo(expectedSum);
  }

  private static long[] cumulative(HistogramDataPoint p) {
    long[] c = new long[p.bucketCount()];
    for (int i = 0; i < c.length; i++) {
      c[i] = p.cumulativeCount(i);
    }
    return c;
  }

  private static void assertConsistent(HistogramDataPoint h) {
    long[] c = cumulative(h);
    for (int i = 1; i < c.length; i++) {
      assertThat(c[i]).as("bucket %d cumulative", i).isGreaterThanOrEqualTo(c[i - 1]);
    }
    assertThat(h.upperBound(c.length - 1)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(h.count()).as("_count equals the +Inf bucket").isEqualTo(c[c.length - 1]);
    assertThat(h.sum()).isBetween(0.0, 19.0 * Long.MAX_VALUE);
  }

  private static void assertNotBackwards(HistogramDataPoint before, HistogramDataPoint after) {
    for (int i = 0; i < before.bucketCount(); i++) {
      assertThat(after.cumulativeCount(i)).as("bucket %d between scrapes", i)
          .isGreaterThanOrEqualTo(before.cumulativeCount(i));
    }
    assertThat(after.sum()).as("sum of non-negative observations").isGreaterThanOrEqualTo(before.sum());
  }

  // ---------------------------------------------------------------- summaries

  @Test
  void summarySnapshotsAreMonotoneAndEndExactWithinTheQuantileBound() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    double[] qs = {0.01, 0.5, 0.9, 0.99};
    Summary withQuantiles = Summary.builder("latency_seconds").quantiles(qs).register(registry);
    Summary plain = Summary.builder("plain").register(registry);
    long[] done = hammer(registry, (w, n) -> {
      double v = (n % 100) + 1; // 1 .. 100
      withQuantiles.observe(v);
      plain.observe(v);
    }, (now, prev) -> {
      SummaryDataPoint s = one(now.snapshots, "latency_seconds", SummaryDataPoint.class);
      SummaryDataPoint p = one(now.snapshots, "plain", SummaryDataPoint.class);
      assertThat(s.count()).isBetween(now.completedBefore, now.startedAfter);
      assertThat(p.count()).isBetween(now.completedBefore, now.startedAfter);
      for (int i = 0; i < qs.length; i++) {
        double v = s.quantileValue(i);
        if (!Double.isNaN(v)) {
          assertThat(v).isBetween(1 - 1.0 / 129, 100 * (1 + 1.0 / 129));
        }
        if (i > 0 && !Double.isNaN(v)) {
          assertThat(v).isGreaterThanOrEqualTo(s.quantileValue(i - 1));
        }
      }
      if (prev != null) {
        SummaryDataPoint ps = one(prev.snapshots, "latency_seconds", SummaryDataPoint.class);
        assertThat(s.count()).isGreaterThanOrEqualTo(ps.count());
        assertThat(s.sum()).isGreaterThanOrEqualTo(ps.sum());
        assertThat(p.count()).isGreaterThanOrEqualTo(one(prev.snapshots, "plain", SummaryDataPoint.class).count());
      }
    });
    long total = sum(done);
    long[] perValue = new long[101];
    double expectedSum = 0;
    for (int w = 0; w < WRITERS; w++) {
      for (long n = 0; n < done[w]; n++) {
        perValue[(int) (n % 100) + 1]++;
        expectedSum += (n % 100) + 1;
      }
    }
    SummaryDataPoint last = only(withQuantiles.snapshot(), SummaryDataPoint.class);
    assertThat(last.count()).isEqualTo(total);
    assertThat(last.sum()).isEqualTo(expectedSum);
    assertThat(plain.labels().count()).isEqualTo(total);
    for (int i = 0; i < qs.length; i++) {
      long rank = Math.max(1, (long) Math.ceil(qs[i] * total));
      long seen = 0;
      int exact = 0;
      while (seen < rank) {
        seen += perValue[++exact];
      }
      assertThat(Math.abs(last.quantileValue(i) - exact) / exact).as("q %s, exact %d", qs[i], exact)
          .isLessThanOrEqualTo(SlidingQuantiles.RELATIVE_ERROR * (1 + 1e-12));
    }
  }

  // ---------------------------------------------------------------- gauges

  @Test
  void gaugesStayInRangeAndReturnExactlyToTheirStartValue() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Gauge inFlight = Gauge.builder("in_flight").register(registry);
    Gauge level = Gauge.builder("level").labelNames("tank").register(registry);
    Gauge.Child tank = level.labels("a");
    inFlight.set(100.5);
    tank.set(-3);
    hammer(registry, (w, n) -> {
      inFlight.inc();
      tank.inc(0.25);
      tank.trackInProgress(() -> { });
      tank.dec(0.25);
      inFlight.dec();
    }, (now, prev) -> {
      double g = one(now.snapshots, "in_flight", GaugeDataPoint.class).value();
      double t = point(family(now.snapshots, "level"), GaugeDataPoint.class, "a").value();
      assertThat(g).isBetween(100.5, 100.5 + WRITERS);
      assertThat(t).isBetween(-3.0, -3.0 + WRITERS * 1.25);
    });
    assertThat(inFlight.get()).isEqualTo(100.5);
    assertThat(tank.get()).isEqualTo(-3.0);
  }

  // ---------------------------------------------------------------- child creation

  @Test
  void racingLookupsCreateEachSeriesOnceAndLoseNoIncrement() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Counter one = Counter.builder("one").labelNames("a").register(registry);
    Counter two = Counter.builder("two").labelNames("a", "b").register(registry);
    Counter four = Counter.builder("four").labelNames("a", "b", "c", "d").register(registry);
    String[] keys = new String[64];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "k" + i;
    }
    Consumer<MetricFamilySnapshot> noDuplicates = f -> {
      List<List<String>> sets = labelSets(f);
      Set<List<String>> unique = new HashSet<>(sets);
      assertThat(unique).as("series of %s", f.name()).hasSameSizeAs(sets);
    };
    long[] done = hammer(registry, (w, n) -> {
      String k = keys[(int) ((n * 7 + w) % keys.length)];
      one.labels(k).inc();
      two.labels(k, k).inc();
      four.labels(k, "x", k, "y").inc();
    }, (now, prev) -> {
      for (String name : List.of("one", "two", "four")) {
        MetricFamilySnapshot f = family(now.snapshots, name);
        noDuplicates.accept(f);
        assertThat(f.dataPoints().size()).isLessThanOrEqualTo(keys.length);
        double total = 0;
        for (DataPointSnapshot p : f.dataPoints()) {
          total += ((CounterDataPoint) p).value();
        }
        assertThat(total).isBetween((double) now.completedBefore, (double) now.startedAfter);
      }
    });
    long total = sum(done);
    for (Counter c : List.of(one, two, four)) {
      MetricFamilySnapshot f = c.snapshot();
      assertThat(f.dataPoints()).hasSize(keys.length);
      double sum = 0;
      for (DataPointSnapshot p : f.dataPoints()) {
        sum += ((CounterDataPoint) p).value();
      }
      assertThat(sum).as(c.name()).isEqualTo(total);
    }
  }
}
