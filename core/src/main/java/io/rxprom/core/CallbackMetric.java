package io.rxprom.core;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * A counter or gauge whose values are read by a callback at scrape time, for values that live
 * elsewhere (a pool's size, a cache's hit count).
 *
 * <pre>{@code
 * CallbackMetric.gauge("pool_connections_active").help("Active connections")
 *     .callback(pool::active).register(registry);
 * CallbackMetric.counter("cache_hits_total").help("Cache hits").labelNames("cache")
 *     .callback(sink -> caches.forEach((name, c) -> sink.record(c.hits(), name)))
 *     .register(registry);
 * }</pre>
 *
 * <p>Thread-safe if the callback is: it runs on the scraping thread, possibly on several at
 * once, and must not block. An exception from the callback fails the scrape with an {@link
 * IllegalStateException} that names the metric.
 */
public final class CallbackMetric implements Collector {

  /** Where a callback records its values: one call per series. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Records {@code value} for the series with these label values.
     *
     * @throws IllegalArgumentException on a wrong number of label values, a null value, a
     *     label set already recorded in this collection, or a negative or NaN counter value
     */
    void record(double value, String... labelValues);
  }

  private final String name;
  private final MetricType type;
  private final String help;
  private final String unit;
  private final String[] labelNames;
  private final Consumer<Sink> callback;

  private CallbackMetric(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.help = b.help;
    this.unit = b.unit;
    this.labelNames = b.labelNames;
    this.callback = b.callback;
  }

  /** A builder for a counter read at scrape time ({@code _total} is optional in the name). */
  public static Builder counter(String name) {
    return new Builder(name, MetricType.COUNTER);
  }

  /** A builder for a gauge read at scrape time. */
  public static Builder gauge(String name) {
    return new Builder(name, MetricType.GAUGE);
  }

  @Override
  public Map<String, MetricType> families() {
    return Map.of(name, type);
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> out) {
    List<DataPointSnapshot> points = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    Sink sink = (value, values) -> {
      if (values == null || values.length != labelNames.length) {
        throw new IllegalArgumentException(
            "metric '" + name + "': expected " + labelNames.length + " label value(s) for "
                + Arrays.toString(labelNames) + " but got "
                + (values == null ? "null" : Arrays.toString(values)));
      }
      Labels labels = Labels.of(labelNames, values);
      if (!seen.add(labels)) {
        // two samples of one series are invalid exposition (promtool and Prometheus reject it)
        throw new IllegalArgumentException(
            "metric '" + name + "': label set " + labels + " recorded twice by the callback");
      }
      points.add(type == MetricType.COUNTER
          ? new CounterDataPoint(labels, value, DataPointSnapshot.NO_CREATED)
          : new GaugeDataPoint(labels, value));
    };
    try {
      callback.accept(sink);
    } catch (RuntimeException e) {
      throw new IllegalStateException("metric '" + name + "': callback failed: " + e, e);
    }
    out.accept(new MetricFamilySnapshot(name, type, help, unit, points));
  }

  /** Builds a {@link CallbackMetric}. */
  public static final class Builder extends MetricFamily.Builder<Builder, CallbackMetric> {
    private final MetricType type;
    private Consumer<Sink> callback;
    private boolean unlabelledCallback;

    Builder(String name, MetricType type) {
      super(name);
      this.type = type;
    }

    /** The callback of a metric with labels: it records one value per series. */
    public Builder callback(Consumer<Sink> callback) {
      if (callback == null) {
        throw new IllegalArgumentException("metric '" + name + "': callback is null");
      }
      this.callback = callback;
      this.unlabelledCallback = false;
      return this;
    }

    /** The callback of a metric without labels. */
    public Builder callback(DoubleSupplier value) {
      if (value == null) {
        throw new IllegalArgumentException("metric '" + name + "': callback is null");
      }
      this.callback = sink -> sink.record(value.getAsDouble());
      this.unlabelledCallback = true;
      return this;
    }

    @Override
    MetricType type() {
      return type;
    }

    @Override
    String kind() {
      return type == MetricType.COUNTER ? "counter" : "gauge";
    }

    @Override
    String strippedSuffix() {
      return type == MetricType.COUNTER ? "_total" : null;
    }

    @Override
    CallbackMetric create() {
      if (callback == null) {
        throw new IllegalArgumentException("metric '" + name + "': callback(...) is required");
      }
      if (unlabelledCallback && labelNames.length > 0) {
        throw new IllegalArgumentException(
            "metric '" + name + "': has labels " + Arrays.toString(labelNames)
                + " but a callback(DoubleSupplier) records one value without labels;"
                + " use callback(sink -> sink.record(value, labelValues...))");
      }
      return new CallbackMetric(this);
    }
  }
}
