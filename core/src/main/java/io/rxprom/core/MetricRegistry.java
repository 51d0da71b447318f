package io.rxprom.core;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The set of metric families to expose. Families register themselves ({@code
 * Counter.builder(...).register(registry)}); a scrape takes an immutable snapshot of all of them.
 *
 * <pre>{@code
 * MetricRegistry registry = new MetricRegistry();
 * MetricSnapshots snapshots = registry.scrape();
 * }</pre>
 *
 * <p>Registration rejects a family whose name, or any name its samples use, is taken by
 * another family: counter {@code foo} owns {@code foo}, {@code foo_total} and {@code
 * foo_created}; a histogram owns {@code _bucket}, {@code _count}, {@code _sum} and {@code
 * _created}; a summary {@code _count}, {@code _sum} and {@code _created}; an info {@code
 * _info}.
 *
 * <p>The registry exposes one family of its own, the counter {@value #OVERFLOW_METRIC} (samples
 * {@code rxprom_cardinality_overflow_total{metric="..."}}), with one series per family whose
 * cardinality guard has refused a label set a series of its own: it counts those lookups, sent
 * to the overflow series or rejected (see {@link CardinalityPolicy}). Its names are taken.
 *
 * <p>Thread-safe. Registration takes the registry's lock; a scrape does not: it reads an
 * immutable array of collectors and each family's series without locking or waiting for
 * writers. Several scrapes may run at once.
 */
public final class MetricRegistry {

  /** The name of the registry's own counter of cardinality-guard refusals. */
  public static final String OVERFLOW_METRIC = "rxprom_cardinality_overflow";

  private static final MetricRegistry DEFAULT = new MetricRegistry();

  private final int maxSeriesPerFamily;
  private final CardinalityPolicy cardinalityPolicy;
  private final Map<String, Collector> owners = new HashMap<>(); // guarded by this
  private volatile Collector[] collectors = new Collector[0];

  /** A registry with the defaults: {@link MetricFamily#DEFAULT_MAX_SERIES} per family, overflow series. */
  public MetricRegistry() {
    this(new Builder());
  }

  private MetricRegistry(Builder b) {
    this.maxSeriesPerFamily = b.maxSeriesPerFamily;
    this.cardinalityPolicy = b.policy;
  }

  /** A builder for a registry with other defaults for its families. */
  public static Builder builder() {
    return new Builder();
  }

  /** The process-wide registry that {@code register()} without arguments uses. */
  public static MetricRegistry defaultRegistry() {
    return DEFAULT;
  }

  /**
   * Registers {@code collector}.
   *
   * @throws IllegalArgumentException if it is registered already, or one of its names clashes
   *     with a registered family's
   */
  public synchronized void register(Collector collector) {
    if (collector == null) {
      throw new IllegalArgumentException("register: collector is null");
    }
    for (Collector c : collectors) {
      if (c == collector) {
        throw new IllegalArgumentException("register: " + describe(collector) + " is registered already");
      }
    }
    Map<String, String> claimed = new HashMap<>();
    Map<String, MetricType> families = collector.families();
    if (families == null || families.isEmpty()) {
      throw new IllegalArgumentException(
          "register: " + collector.getClass().getName() + " declares no families (families() must"
              + " name every family collect() produces)");
    }
    for (Map.Entry<String, MetricType> e : families.entrySet()) {
      if (!Names.isValidMetricName(e.getKey()) || e.getValue() == null) {
        throw new IllegalArgumentException(
            "metric '" + e.getKey() + "': invalid family of " + collector.getClass().getName()
                + " (type " + e.getValue() + "), names must match [a-zA-Z_:][a-zA-Z0-9_:]*");
      }
      for (String n : reservedNames(e.getKey(), e.getValue())) {
        Collector owner = owners.get(n);
        String same = claimed.put(n, e.getKey());
        if (owner != null || same != null || OWN_NAMES.contains(n)) {
          throw new IllegalArgumentException(
              "metric '" + e.getKey() + "': name clash on '" + n + "', which "
                  + (owner != null ? describe(owner) : same != null ? "'" + same + "'" : "the registry")
                  + " already uses (a family owns its name and its samples' suffixes)");
        }
      }
    }
    for (String n : claimed.keySet()) {
      owners.put(n, collector);
    }
    if (collector instanceof MetricFamily<?> f) {
      f.applyRegistryDefaults(maxSeriesPerFamily, cardinalityPolicy);
    }
    Collector[] next = java.util.Arrays.copyOf(collectors, collectors.length + 1);
    next[collectors.length] = collector;
    collectors = next;
  }

  /** Removes {@code collector}; does nothing if it is not registered. */
  public synchronized void unregister(Collector collector) {
    List<Collector> next = new ArrayList<>(List.of(collectors));
    if (next.remove(collector)) {
      owners.values().removeIf(c -> c == collector);
      collectors = next.toArray(new Collector[0]);
    }
  }

  /** A snapshot of every family, in ascending name order. */
  public MetricSnapshots scrape() {
    return scrape(null);
  }

  /**
   * A snapshot of the families whose name {@code filter} accepts (null: all), in ascending name
   * order. Families the filter refuses are not even read.
   */
  public MetricSnapshots scrape(Predicate<String> filter) {
    Collector[] cs = collectors;
    List<MetricFamilySnapshot> out = new ArrayList<>(cs.length + 1);
    List<DataPointSnapshot> overflow = new ArrayList<>();
    for (Collector c : cs) {
      if (c instanceof MetricFamily<?> f) {
        long n = f.overflowCount();
        if (n > 0) {
          overflow.add(new CounterDataPoint(Labels.of("metric", f.name), n, DataPointSnapshot.NO_CREATED));
        }
        if (filter == null || filter.test(f.name)) {
          out.add(f.snapshot());
        }
        continue;
      }
      if (filter != null && c.families().keySet().stream().noneMatch(filter)) {
        continue;
      }
      c.collect(s -> {
        if (filter == null || filter.test(s.name())) {
          out.add(s);
        }
      });
    }
    if (filter == null || filter.test(OVERFLOW_METRIC)) {
      out.add(new MetricFamilySnapshot(
          OVERFLOW_METRIC, MetricType.COUNTER,
          "Label sets refused a series of their own by a family's cardinality guard.", "", overflow));
    }
    out.sort(Comparator.comparing(MetricFamilySnapshot::name));
    return new MetricSnapshots(out);
  }

  /**
   * A filter for {@link #scrape(Predicate)} from names as a scraper gives them in {@code
   * name[]} parameters: a family matches by its own name or by a sample name it exposes
   * ({@code foo_total}, {@code foo_info}, {@code foo_bucket}, ...).
   */
  public static Predicate<String> nameFilter(Collection<String> names) {
    Set<String> wanted = Set.copyOf(names);
    return family -> {
      if (wanted.contains(family)) {
        return true;
      }
      for (String suffix : SUFFIXES) {
        if (wanted.contains(family + suffix)) {
          return true;
        }
      }
      return false;
    };
  }

  /** The names the registry's own overflow counter uses. */
  private static final Set<String> OWN_NAMES =
      Set.copyOf(reservedNames(OVERFLOW_METRIC, MetricType.COUNTER));

  private static final String[] SUFFIXES = {"_total", "_info", "_bucket", "_count", "_sum", "_created"};

  static List<String> reservedNames(String name, MetricType type) {
    return switch (type) {
      case COUNTER -> List.of(name, name + "_total", name + "_created");
      case HISTOGRAM -> List.of(name, name + "_bucket", name + "_count", name + "_sum", name + "_created");
      case SUMMARY -> List.of(name, name + "_count", name + "_sum", name + "_created");
      case INFO -> List.of(name, name + "_info");
      case GAUGE, STATESET, UNKNOWN -> List.of(name);
    };
  }

  private static String describe(Collector c) {
    if (c instanceof MetricFamily<?> f) {
      return f.type().openMetricsName() + " '" + f.name + "'";
    }
    return "collector " + c.families().keySet();
  }

  /** Builds a {@link MetricRegistry} with defaults for the families registered with it. */
  public static final class Builder {
    private int maxSeriesPerFamily = MetricFamily.DEFAULT_MAX_SERIES;
    private CardinalityPolicy policy = CardinalityPolicy.OVERFLOW_SERIES;

    private Builder() {}

    /** The maximum series of a family that sets none itself. */
    public Builder maxSeriesPerFamily(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxSeriesPerFamily must be at least 1, got " + max);
      }
      this.maxSeriesPerFamily = max;
      return this;
    }

    /** The policy of a family that sets none itself. */
    public Builder cardinalityPolicy(CardinalityPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("cardinality policy is null");
      }
      this.policy = policy;
      return this;
    }

    /** The registry. */
    public MetricRegistry build() {
      return new MetricRegistry(this);
    }
  }
}
