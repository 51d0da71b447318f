package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event-loop collector on a real Vert.x instance with three event loops. */
class EventLoopCollectorTest {

  private static final int LOOPS = 3;

  private Vertx vertx;
  private MetricRegistry registry;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    registry = new MetricRegistry();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyEventLoopHasASeriesNamedAfterItsThread() throws Exception {
    EventLoopCollector c = EventLoopCollector.builder(vertx).interval(Duration.ofMillis(5)).register(registry);
    assertThat(c.eventLoops()).isEqualTo(LOOPS);
    await(() -> delays().size() == LOOPS && delays().values().stream().allMatch(p -> p.count() >= 5));
    assertThat(delays().keySet()).containsExactlyInAnyOrder(
        "vert.x-eventloop-thread-0", "vert.x-eventloop-thread-1", "vert.x-eventloop-thread-2");
    assertThat(pending().keySet()).isEqualTo(delays().keySet());
  }

  @Test
  void anIdleLoopRunsItsCheckAboutOnTime() throws Exception {
    EventLoopCollector.builder(vertx).interval(Duration.ofMillis(20)).register(registry);
    await(() -> delays().size() == LOOPS && delays().values().stream().allMatch(p -> p.count() >= 20));
    for (Map.Entry<String, HistogramDataPoint> e : delays().entrySet()) {
      HistogramDataPoint p = e.getValue();
      // Recording the interval itself (20 ms) instead of the lateness would fail this.
      assertThat((double) countAtMost(p, 0.01)).as(e.getKey()).isGreaterThanOrEqualTo(0.8 * p.count());
    }
  }

  @Test
  void aBlockedLoopShowsItsDelayAndQueuedTasksOnThatLoopOnly() throws Exception {
    EventLoopCollector.builder(vertx).interval(Duration.ofMillis(20)).register(registry);
    await(() -> delays().size() == LOOPS);
    Map<String, HistogramDataPoint> before = delays();

    Context context = vertx.getOrCreateContext();
    AtomicReference<String> blockedThread = new AtomicReference<>();
    CountDownLatch spinning = new CountDownLatch(1);
    AtomicBoolean release = new AtomicBoolean();
    context.runOnContext(v -> {
      blockedThread.set(Thread.currentThread().getName());
      spinning.countDown();
      long start = System.nanoTime();
      // Busy for at least 300 ms, and until the test has looked at the queue.
      while (!release.get() || System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300)) {
        Thread.onSpinWait();
      }
    });
    assertThat(spinning.await(10, TimeUnit.SECONDS)).isTrue();
    String blocked = blockedThread.get();
    for (int i = 0; i < 100; i++) {
      context.runOnContext(v -> { });
    }
    assertThat(pending().get(blocked)).isGreaterThanOrEqualTo(100.0);
    release.set(true);

    await(() -> countAbove(delays().get(blocked), 0.25) > countAbove(before.get(blocked), 0.25));
    Map<String, HistogramDataPoint> after = delays();
    assertThat(after.get(blocked).sum() - before.get(blocked).sum()).isGreaterThan(0.25);
    await(() -> pending().get(blocked) == 0.0);
    for (String loop : after.keySet()) {
      if (!loop.equals(blocked)) {
        assertThat(countAbove(after.get(loop), 0.25)).as(loop).isZero();
      }
    }
  }

  @Test
  void closeStopsTheChecksAndUnregisters() throws Exception {
    EventLoopCollector c = EventLoopCollector.builder(vertx).interval(Duration.ofMillis(5)).register(registry);
    await(() -> delays().size() == LOOPS);
    c.close();
    assertThat(families()).doesNotContainKeys(EventLoopCollector.DELAY, EventLoopCollector.PENDING);
    Thread.sleep(20); // a check running during close() may still finish
    long counted = totalCount(c);
    Thread.sleep(100); // 20 intervals
    assertThat(totalCount(c)).isEqualTo(counted);
    c.close(); // idempotent
    assertThat(c.families()).containsOnlyKeys(EventLoopCollector.DELAY, EventLoopCollector.PENDING);
  }

  @Test
  void closingVertxClosesTheCollector() throws Exception {
    EventLoopCollector c = VertxCollectors.register(vertx, registry);
    assertThat(families()).containsKeys(EventLoopCollector.DELAY, EventLoopCollector.PENDING);
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(families()).doesNotContainKeys(EventLoopCollector.DELAY, EventLoopCollector.PENDING);
    c.close(); // after Vert.x closed: harmless
  }

  @Test
  void registeringTwiceIsRefusedAndLeavesNothingRunning() throws Exception {
    EventLoopCollector first = VertxCollectors.register(vertx, registry);
    assertThatThrownBy(() -> VertxCollectors.register(vertx, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vertx_eventloop_delay_seconds");
    assertThat(families()).containsKeys(EventLoopCollector.DELAY);
    first.close();
  }

  @Test
  void badSettingsAreRefusedWithTheirValue() {
    assertThatThrownBy(() -> EventLoopCollector.builder(vertx).interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval").hasMessageContaining("PT0S");
    assertThatThrownBy(() -> EventLoopCollector.builder(vertx).buckets(0.5, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
    assertThatThrownBy(() -> EventLoopCollector.builder(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    assertThatThrownBy(() -> VertxCollectors.register(vertx, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry");
  }

  // ------------------------------------------------------------------ helpers

  private Map<String, MetricFamilySnapshot> families() {
    Map<String, MetricFamilySnapshot> m = new HashMap<>();
    registry.scrape().forEach(f -> m.put(f.name(), f));
    return m;
  }

  private Map<String, HistogramDataPoint> delays() {
    Map<String, HistogramDataPoint> m = new HashMap<>();
    MetricFamilySnapshot f = families().get(EventLoopCollector.DELAY);
    for (DataPointSnapshot p : f.dataPoints()) {
      m.put(p.labels().get("loop"), (HistogramDataPoint) p);
    }
    return m;
  }

  private Map<String, Double> pending() {
    Map<String, Double> m = new HashMap<>();
    for (DataPointSnapshot p : families().get(EventLoopCollector.PENDING).dataPoints()) {
      m.put(p.labels().get("loop"), ((GaugeDataPoint) p).value());
    }
    return m;
  }

  private static long totalCount(EventLoopCollector c) {
    long[] n = {0};
    c.collect(f -> {
      if (f.name().equals(EventLoopCollector.DELAY)) {
        f.dataPoints().forEach(p -> n[0] += ((HistogramDataPoint) p).count());
      }
    });
    return n[0];
  }

  private static long countAtMost(HistogramDataPoint p, double bound) {
    for (int i = 0; i < p.bucketCount(); i++) {
      if (p.upperBound(i) == bound) {
        return p.cumulativeCount(i);
      }
    }
    throw new AssertionError("no bucket " + bound);
  }

  private static long countAbove(HistogramDataPoint p, double bound) {
    return p.count() - countAtMost(p, bound);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
