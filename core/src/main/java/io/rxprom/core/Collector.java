package io.rxprom.core;

import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A source of metric families read at scrape time: every metric type of this package, and
 * custom collectors (process, JVM, event loop) that read their values when asked.
 *
 * <p>Implementations must be thread-safe: a registry may be scraped from several threads at
 * once. {@link #collect} runs on the scraping thread and must not block for long.
 */
public interface Collector {

  /**
   * The families this collector produces, by OpenMetrics name (counters without
   * {@code _total}), with their types. The registry checks them for clashes on registration;
   * {@link #collect} must produce no other family.
   */
  Map<String, MetricType> families();

  /** Hands one snapshot of each of this collector's families to {@code sink}. */
  void collect(Consumer<MetricFamilySnapshot> sink);
}
