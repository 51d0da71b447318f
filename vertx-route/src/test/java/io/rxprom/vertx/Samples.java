package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Reads series out of a registry's snapshot, and waits for futures and conditions. */
final class Samples {
  private Samples() {}

  static MetricFamilySnapshot family(MetricRegistry registry, String name) {
    for (MetricFamilySnapshot f : registry.scrape()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no family " + name + " in " + registry.scrape().families());
  }

  /** The series whose labels include all of {@code pairs} (name, value, name, value, ...). */
  static List<DataPointSnapshot> find(MetricRegistry registry, String family, String... pairs) {
    List<DataPointSnapshot> out = new ArrayList<>();
    for (DataPointSnapshot p : family(registry, family).dataPoints()) {
      boolean all = true;
      for (int i = 0; i < pairs.length; i += 2) {
        all &= pairs[i + 1].equals(p.labels().get(pairs[i]));
      }
      if (all) {
        out.add(p);
      }
    }
    return out;
  }

  /** The one series with exactly these labels, or null. */
  static DataPointSnapshot exact(MetricRegistry registry, String family, String... pairs) {
    Labels wanted = Labels.of(pairs);
    for (DataPointSnapshot p : family(registry, family).dataPoints()) {
      if (p.labels().equals(wanted)) {
        return p;
      }
    }
    return null;
  }

  /** Value of a counter or gauge series with exactly these labels; 0 if it does not exist. */
  static double value(MetricRegistry registry, String family, String... pairs) {
    DataPointSnapshot p = exact(registry, family, pairs);
    if (p == null) {
      return 0;
    }
    if (p instanceof CounterDataPoint c) {
      return c.value();
    }
    if (p instanceof GaugeDataPoint g) {
      return g.value();
    }
    throw new AssertionError(family + " is not a counter or gauge: " + p);
  }

  /** Observation count of a histogram or summary series with exactly these labels; 0 if none. */
  static long count(MetricRegistry registry, String family, String... pairs) {
    DataPointSnapshot p = exact(registry, family, pairs);
    if (p == null) {
      return 0;
    }
    if (p instanceof HistogramDataPoint h) {
      return h.count();
    }
    if (p instanceof SummaryDataPoint s) {
      return s.count();
    }
    throw new AssertionError(family + " is not a histogram or summary: " + p);
  }

  /** Every label value of {@code label} in a family. */
  static List<String> labelValues(MetricRegistry registry, String family, String label) {
    List<String> out = new ArrayList<>();
    for (DataPointSnapshot p : family(registry, family).dataPoints()) {
      out.add(p.labels().get(label));
    }
    return out;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  static void awaitCondition(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
