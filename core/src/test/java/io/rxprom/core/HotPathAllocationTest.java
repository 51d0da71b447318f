package io.rxprom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write path and the lookup of an existing child allocate nothing. Measured with the
 * thread's allocated-bytes counter around many calls after a warm-up; the budget of under one
 * byte per call leaves room only for the measurement itself, never for an object per call.
 * This is an allocation assertion, not a timing test.
 */
class HotPathAllocationTest {

  private static final int WARM_UP = 200_000;
  private static final int CALLS = 100_000;
  private static final int ROUNDS = 5;

  private static com.sun.management.ThreadMXBean threads;
  private static volatile Object escape;

  @BeforeAll
  static void allocationCounterIsAvailable() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    boolean usable = bean instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported();
    if (usable) {
      threads = (com.sun.management.ThreadMXBean) bean;
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    if (!usable && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("this JVM cannot count allocated bytes per thread");
    }
    assumeTrue(usable, "this JVM cannot count allocated bytes per thread");
  }

  /** One call of the operation under test; returns something so the JIT cannot drop it. */
  @FunctionalInterface
  private interface Call {
    long run(int i);
  }

  /** The fewest bytes per call over several rounds (a stray GC-time allocation inflates one). */
  private static double bytesPerCall(Call call) {
    long sink = 0;
    for (int i = 0; i < WARM_UP; i++) {
      sink += call.run(i);
    }
    long id = Thread.currentThread().getId();
    double best = Double.MAX_VALUE;
    for (int r = 0; r < ROUNDS; r++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < CALLS; i++) {
        sink += call.run(i);
      }
      long after = threads.getThreadAllocatedBytes(id);
      best = Math.min(best, (after - before) / (double) CALLS);
    }
    if (sink == 42) {
      System.out.print(""); // keeps sink alive
    }
    if (Boolean.getBoolean("rxprom.printAllocation")) {
      System.out.println("bytes per call: " + best);
    }
    return best;
  }

  @Test
  void measurementDetectsAnAllocationPerCall() {
    double b = bytesPerCall(i -> {
      escape = new long[] {i}; // escapes: the JIT must allocate it
      return 1;
    });
    assertThat(b).as("the probe itself must see a per-call allocation").isGreaterThan(16);
  }

  @Test
  void labelsLookupOfExistingChildAllocatesNothing() {
    Counter one = Counter.builder("one").labelNames("a").build();
    Counter two = Counter.builder("two").labelNames("a", "b").build();
    Counter three = Counter.builder("three").labelNames("a", "b", "c").build();
    String[] values = new String[16];
    for (int i = 0; i < values.length; i++) {
      values[i] = "/path/" + i;
      one.labels(values[i]);
      two.labels(values[i], "GET");
      three.labels(values[i], "GET", "200");
    }
    assertThat(bytesPerCall(i -> one.labels(values[i & 15]).labels.size())).isLessThan(1.0);
    assertThat(bytesPerCall(i -> two.labels(values[i & 15], "GET").labels.size())).isLessThan(1.0);
    assertThat(bytesPerCall(i -> three.labels(values[i & 15], "GET", "200").labels.size()))
        .isLessThan(1.0);
  }

  @Test
  void counterIncAllocatesNothing() {
    Counter.Child c = Counter.builder("c").labelNames("a").build().labels("x");
    assertThat(bytesPerCall(i -> {
      c.inc();
      return 1;
    })).isLessThan(1.0);
    assertThat(bytesPerCall(i -> {
      c.inc(3L);
      return 1;
    })).isLessThan(1.0);
  }

  @Test
  void gaugeIncDecAllocatesNothing() {
    Gauge.Child g = Gauge.builder("g").labelNames("a").build().labels("x");
    assertThat(bytesPerCall(i -> {
      g.inc();
      g.dec();
      return 1;
    })).isLessThan(1.0);
    Gauge onlySet = Gauge.builder("only_set").build();
    assertThat(bytesPerCall(i -> {
      onlySet.set(i);
      return 1;
    })).as("a gauge that is only set").isLessThan(1.0);
  }

  @Test
  void histogramObserveAllocatesNothing() {
    Histogram.Child few = Histogram.builder("few").labelNames("a").build().labels("x");
    Histogram.Child many = Histogram.builder("many").labelNames("a")
        .exponentialBuckets(0.0001, 1.5, 40).build().labels("x");
    assertThat(bytesPerCall(i -> {
      few.observe((i & 1023) * 0.01);
      return 1;
    })).isLessThan(1.0);
    assertThat(bytesPerCall(i -> {
      many.observe((i & 1023) * 0.01);
      return 1;
    })).isLessThan(1.0);
  }

  @Test
  void stateSetUpdatesAllocateNothing() {
    StateSet.Child s = StateSet.builder("flags").states("a", "b").build().labels();
    assertThat(bytesPerCall(i -> {
      s.set("a", (i & 1) == 0);
      s.setState("b");
      return 1;
    })).isLessThan(1.0);
  }

  @Test
  void varargsLookupOfFourValuesIsMeasurable() {
    Counter four = Counter.builder("four").labelNames("a", "b", "c", "d").build();
    String[][] values = new String[16][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new String[] {"/p" + i, "GET", "200", "x"};
      four.labels(values[i]);
    }
    // a caller's prepared array: the lookup itself still allocates nothing
    assertThat(bytesPerCall(i -> four.labels(values[i & 15]).labels.size())).isLessThan(1.0);
  }

  @Test
  void summaryObserveAllocatesNothingWithOrWithoutQuantiles() {
    Summary.Child plain = Summary.builder("plain").labelNames("a").build().labels("x");
    assertThat(bytesPerCall(i -> {
      plain.observe(i * 0.001);
      return 1;
    })).isLessThan(1.0);
    Summary.Child quantiles = Summary.builder("quantiles").labelNames("a")
        .quantiles(0.5, 0.9, 0.99).build().labels("x");
    for (int i = 0; i < 1024; i++) {
      quantiles.observe(1 + i / 1024.0); // fills the one octave the measured values fall in
    }
    assertThat(bytesPerCall(i -> {
      quantiles.observe(1 + (i & 1023) / 1024.0);
      return 1;
    })).isLessThan(1.0);
  }
}
