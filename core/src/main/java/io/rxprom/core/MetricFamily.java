package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A metric family: a name, help, unit, label names, and one child per set of label values.
 *
 * <p>{@code labels(values...)} returns the child for those values, creating it at zero on first
 * use: calling it without recording anything initialises the series, as the official clients
 * do. Callers on a hot path look the child up once and keep it.
 *
 * <p>Thread-safe. Looking up an existing child is lock-free and allocates nothing for one to
 * three label values (the fixed-arity overloads); creating, removing and clearing children take
 * the family's lock, which no recording operation and no scrape ever takes.
 *
 * <p>Cardinality guard: a family holds at most {@code maxSeries} series (default {@value
 * #DEFAULT_MAX_SERIES}; set per family or per registry). Past it, a new label set gets the
 * overflow series (every label {@value #OVERFLOW_LABEL_VALUE}; found without the lock once it
 * exists) or, under {@link CardinalityPolicy#REJECT}, an {@link IllegalStateException}; each such
 * lookup is counted in the registry's {@code rxprom_cardinality_overflow_total{metric="..."}}.
 *
 * @param <C> the child type
 */
public abstract class MetricFamily<C extends MetricFamily.Child> implements Collector {

  /**
   * The label value of every label of a family's overflow series. {@code labels(...)} with this
   * value for every label returns the overflow series itself (creating it if need be). Under
   * {@link CardinalityPolicy#REJECT} there is no overflow series, and this label set is a label
   * set like any other, counted against {@code maxSeries}.
   */
  public static final String OVERFLOW_LABEL_VALUE = "__overflow__";

  /**
   * Default maximum number of series per family (10,000), unless the family or registry says
   * otherwise. The overflow series does not count against it.
   *
   * <p>Memory at this limit: a histogram series with the default buckets holds 1,616 bytes of
   * striped cells on 4 or more cores (848 bytes on 2), so a full family of default histograms
   * is about 16 MB of cells; a summary series holds 1,104 bytes of cells plus its quantile
   * window; counters and gauges hold a {@code LongAdder} instead. Lower {@code maxSeries}
   * for families whose labels can grow.
   */
  public static final int DEFAULT_MAX_SERIES = 10_000;

  /*
   * Implementation notes.
   *
   * Lookup: a trie of ConcurrentHashMaps keyed by label value, one level per label name; the
   * leaves are children. remove() prunes the levels it leaves empty, under the monitor, so
   * churning label values does not leak maps; creation always walks down from the root under
   * the monitor, so it never adds a child to a level that was pruned. A lock-free lookup that
   * still holds a pruned level finds at most the child being removed, as it could a moment
   * before the removal. A lookup is a get per level: no key object, no allocation. Creation
   * runs under the family's monitor, re-checks, then publishes the child through
   * ConcurrentHashMap.putIfAbsent (a volatile publication), so a racing lookup sees either
   * nothing (and takes the slow path) or a fully constructed child.
   *
   * Scrape order: children are also kept in creation order in an immutable Series holder that
   * is replaced (volatile write) on every change under the monitor. A scrape reads the field
   * once and iterates that holder: it never locks and never sees a half-updated list. Appends
   * write into spare capacity of the shared array before publishing the new holder, which is
   * safe because a reader only reads indices below its holder's size, all written before that
   * holder's publication.
   */

  final String name;
  final String help;
  final String unit;
  final String[] labelNames;
  private final int arity;
  private final ConcurrentHashMap<String, Object> root;
  private volatile C unlabelled; // set once, in the subclass constructor
  private final int configuredMaxSeries;
  private final CardinalityPolicy configuredPolicy;
  private volatile int maxSeries;
  private volatile CardinalityPolicy policy;
  private volatile Series series = Series.EMPTY;
  private volatile C overflowChild;
  private final LongAdder overflowCount = new LongAdder();

  MetricFamily(Builder<?, ?> b) {
    this.name = b.name;
    this.help = b.help;
    this.unit = b.unit;
    this.labelNames = b.labelNames;
    this.arity = labelNames.length;
    this.configuredMaxSeries = b.maxSeries;
    this.configuredPolicy = b.policy;
    this.maxSeries = b.maxSeries > 0 ? b.maxSeries : DEFAULT_MAX_SERIES;
    this.policy = b.policy != null ? b.policy : CardinalityPolicy.OVERFLOW_SERIES;
    this.root = arity == 0 ? null : new ConcurrentHashMap<>();
  }

  /**
   * Creates the single child of a family without labels. Subclass constructors call it last,
   * once their own fields are set.
   */
  final void initUnlabelled() {
    if (arity != 0) {
      return;
    }
    C c = newChild(Labels.EMPTY);
    unlabelled = c;
    series = Series.EMPTY.append(c);
  }

  /** The family's OpenMetrics name (a counter's without {@code _total}). */
  public final String name() {
    return name;
  }

  /** The family's label names, in declaration order. */
  public final List<String> labelNames() {
    return Collections.unmodifiableList(Arrays.asList(labelNames));
  }

  abstract MetricType type();

  abstract C newChild(Labels labels);

  abstract DataPointSnapshot snapshot(C child);

  /** Called by the registry on registration: its defaults apply where the builder set none. */
  final void applyRegistryDefaults(int registryMaxSeries, CardinalityPolicy registryPolicy) {
    if (configuredMaxSeries <= 0) {
      maxSeries = registryMaxSeries;
    }
    if (configuredPolicy == null) {
      policy = registryPolicy;
    }
  }

  final long overflowCount() {
    return overflowCount.sum();
  }

  /**
   * The child of a family without labels, for the family-level shortcuts ({@code
   * counter.inc()}).
   *
   * @throws IllegalStateException if the family has labels
   */
  final C single() {
    C c = unlabelled;
    if (c == null) {
      throw new IllegalStateException(
          "metric '" + name + "' has labels " + Arrays.toString(labelNames)
              + ": call labels(...) first");
    }
    return c;
  }

  // ---------------------------------------------------------------- lookup

  /** The child for one label value. Lock-free and allocation-free once the child exists. */
  public final C labels(String value) {
    if (arity != 1) {
      throw arityError(new String[] {value});
    }
    @SuppressWarnings("unchecked")
    C c = value == null ? null : (C) root.get(value);
    return c != null ? c : create(new String[] {value});
  }

  /** The child for two label values. Lock-free and allocation-free once the child exists. */
  public final C labels(String v1, String v2) {
    if (arity != 2) {
      throw arityError(new String[] {v1, v2});
    }
    if (v1 != null && v2 != null) {
      Object level = root.get(v1);
      if (level != null) {
        @SuppressWarnings("unchecked")
        C c = (C) level(level).get(v2);
        if (c != null) {
          return c;
        }
      }
    }
    return create(new String[] {v1, v2});
  }

  /** The child for three label values. Lock-free and allocation-free once the child exists. */
  public final C labels(String v1, String v2, String v3) {
    if (arity != 3) {
      throw arityError(new String[] {v1, v2, v3});
    }
    if (v1 != null && v2 != null && v3 != null) {
      Object l1 = root.get(v1);
      if (l1 != null) {
        Object l2 = level(l1).get(v2);
        if (l2 != null) {
          @SuppressWarnings("unchecked")
          C c = (C) level(l2).get(v3);
          if (c != null) {
            return c;
          }
        }
      }
    }
    return create(new String[] {v1, v2, v3});
  }

  /**
   * The child for these label values, in the order of the label names, created at zero if new.
   *
   * @throws IllegalArgumentException if the number of values is wrong or a value is null
   * @throws IllegalStateException if the family is full and its policy is {@link
   *     CardinalityPolicy#REJECT}
   */
  public final C labels(String... values) {
    if (values == null || values.length != arity) {
      throw arityError(values);
    }
    if (arity == 0) {
      return unlabelled;
    }
    C c = find(values);
    return c != null ? c : create(values.clone());
  }

  /**
   * Removes the series with these label values; does nothing if there is none. The overflow
   * series is removed with {@link #OVERFLOW_LABEL_VALUE} for every label.
   *
   * @throws IllegalArgumentException if the number of values is wrong or a value is null
   */
  public final void remove(String... values) {
    if (values == null || values.length != arity) {
      throw arityError(values);
    }
    checkValues(values);
    if (arity == 0) {
      return;
    }
    synchronized (this) {
      C o = overflowChild;
      if (o != null && isOverflowLabelSet(values)) {
        overflowChild = null;
        series = series.without(o);
        return;
      }
      @SuppressWarnings("unchecked")
      ConcurrentHashMap<String, Object>[] path = new ConcurrentHashMap[arity];
      ConcurrentHashMap<String, Object> map = root;
      for (int i = 0; i < arity - 1; i++) {
        path[i] = map;
        Object next = map.get(values[i]);
        if (next == null) {
          return;
        }
        map = level(next);
      }
      path[arity - 1] = map;
      Object removed = map.remove(values[arity - 1]);
      if (removed == null) {
        return;
      }
      series = series.without(removed);
      // prune levels left empty, or label churn leaks one map per distinct leading value
      for (int i = arity - 1; i > 0 && path[i].isEmpty(); i--) {
        path[i - 1].remove(values[i - 1], path[i]);
      }
    }
  }

  /** Entries in the lookup trie, every level counted (tests: pruning after remove). */
  final synchronized int trieEntryCount() {
    return root == null ? 0 : countEntries(root, arity);
  }

  private static int countEntries(ConcurrentHashMap<String, Object> map, int depth) {
    int n = map.size();
    if (depth > 1) {
      for (Object next : map.values()) {
        n += countEntries(level(next), depth - 1);
      }
    }
    return n;
  }

  /** Removes every series (a family without labels keeps its single series). */
  public final void clear() {
    if (arity == 0) {
      return;
    }
    synchronized (this) {
      root.clear();
      overflowChild = null;
      series = Series.EMPTY;
    }
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentHashMap<String, Object> level(Object o) {
    return (ConcurrentHashMap<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private C find(String[] values) {
    ConcurrentHashMap<String, Object> map = root;
    for (int i = 0; i < arity; i++) {
      if (values[i] == null) {
        return null;
      }
      Object next = map.get(values[i]);
      if (next == null) {
        return null;
      }
      if (i == arity - 1) {
        return (C) next;
      }
      map = level(next);
    }
    return null;
  }

  private C create(String[] values) {
    checkValues(values);
    C o = overflowChild;
    if (o != null && policy == CardinalityPolicy.OVERFLOW_SERIES && ownSeries(series) >= maxSeries) {
      // full: an unknown label set goes to the overflow series without taking the lock (a
      // removal racing with this may have made room; missing that room once is harmless)
      if (!isOverflowLabelSet(values)) {
        overflowCount.increment();
      }
      return o;
    }
    return createLocked(values);
  }

  private synchronized C createLocked(String[] values) {
    C existing = find(values);
    if (existing != null) {
      return existing;
    }
    if (policy != CardinalityPolicy.REJECT && isOverflowLabelSet(values)) {
      return overflowChild(); // that label set is the overflow series: never a second one
    }
    Series current = series;
    if (ownSeries(current) >= maxSeries) {
      overflowCount.increment();
      if (policy == CardinalityPolicy.REJECT) {
        throw new IllegalStateException(
            "metric '" + name + "': refusing new series " + Arrays.toString(values)
                + ", the family already has its maximum of " + maxSeries
                + " series (cardinality guard; raise maxSeries or drop a high-cardinality label)");
      }
      return overflowChild();
    }
    C child = newChild(Labels.of(labelNames, values));
    ConcurrentHashMap<String, Object> map = root;
    for (int i = 0; i < arity - 1; i++) {
      Object next = map.get(values[i]);
      if (next == null) {
        next = new ConcurrentHashMap<String, Object>(4);
        map.put(values[i], next);
      }
      map = level(next);
    }
    series = current.append(child);
    map.put(values[arity - 1], child);
    return child;
  }

  /** Series that count against {@link #maxSeries}: all but the overflow series. */
  private int ownSeries(Series s) {
    return overflowChild != null ? s.size - 1 : s.size;
  }

  private static boolean isOverflowLabelSet(String[] values) {
    for (String v : values) {
      if (!OVERFLOW_LABEL_VALUE.equals(v)) {
        return false;
      }
    }
    return true;
  }

  // guarded by this
  private C overflowChild() {
    C c = overflowChild;
    if (c == null) {
      String[] v = new String[arity];
      Arrays.fill(v, OVERFLOW_LABEL_VALUE);
      c = newChild(Labels.of(labelNames, v));
      series = series.append(c);
      overflowChild = c;
    }
    return c;
  }

  private void checkValues(String[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(
            "metric '" + name + "': value of label '" + labelNames[i] + "' is null in "
                + Arrays.toString(values) + " (label values must not be null)");
      }
    }
  }

  private IllegalArgumentException arityError(String[] values) {
    return new IllegalArgumentException(
        "metric '" + name + "': expected " + arity + " label value(s) for "
            + Arrays.toString(labelNames) + " but got "
            + (values == null ? "null" : values.length + ": " + Arrays.toString(values)));
  }

  // ---------------------------------------------------------------- collect

  @Override
  public Map<String, MetricType> families() {
    return Map.of(name, type());
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> sink) {
    sink.accept(snapshot());
  }

  /** A snapshot of every series of this family, in creation order. */
  @SuppressWarnings("unchecked")
  public final MetricFamilySnapshot snapshot() {
    Series s = series;
    List<DataPointSnapshot> points = new ArrayList<>(s.size);
    for (int i = 0; i < s.size; i++) {
      points.add(snapshot((C) s.children[i]));
    }
    return new MetricFamilySnapshot(name, type(), help, unit, points);
  }

  /** Creation-ordered children, immutable once published (see implementation notes). */
  private static final class Series {
    static final Series EMPTY = new Series(new Object[0], 0);

    final Object[] children;
    final int size;

    Series(Object[] children, int size) {
      this.children = children;
      this.size = size;
    }

    Series append(Object child) {
      Object[] arr = children;
      if (size == arr.length) {
        arr = Arrays.copyOf(arr, Math.max(4, size * 2));
      }
      arr[size] = child;
      return new Series(arr, size + 1);
    }

    Series without(Object child) {
      Object[] arr = new Object[Math.max(4, children.length)];
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (children[i] != child) {
          arr[n++] = children[i];
        }
      }
      return new Series(arr, n);
    }
  }

  /** The part every child shares: its labels and when it was created. */
  public abstract static class Child {
    final Labels labels;
    final long createdEpochMillis;

    Child(Labels labels) {
      this.labels = labels;
      this.createdEpochMillis = System.currentTimeMillis();
    }

    /** This child's labels. */
    public final Labels labels() {
      return labels;
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * The options every family shares. Validation happens in {@code build()} and {@code
   * register()}, with messages that name the metric, the bad value and the rule.
   *
   * @param <B> the concrete builder
   * @param <M> the family it builds
   */
  public abstract static class Builder<B extends Builder<B, M>, M extends Collector> {
    String name;
    String help = "";
    String unit = "";
    String[] labelNames = new String[0];
    int maxSeries;
    CardinalityPolicy policy;

    Builder(String name) {
      this.name = name;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** The help text (HELP line). */
    public B help(String help) {
      if (help == null) {
        throw new IllegalArgumentException("metric '" + name + "': help is null");
      }
      this.help = help;
      return self();
    }

    /**
     * The unit, as a base unit in plural ({@code seconds}, {@code bytes}). It becomes the name's
     * suffix: {@code request_duration} with unit {@code seconds} is exposed as {@code
     * request_duration_seconds}; a name that already ends with it is kept.
     */
    public B unit(String unit) {
      if (unit == null || !Names.isValidLabelName(unit) || unit.startsWith("_")) {
        throw new IllegalArgumentException(
            "metric '" + name + "': invalid unit '" + unit + "', must match [a-zA-Z][a-zA-Z0-9_]*");
      }
      this.unit = unit;
      return self();
    }

    /** The label names, in the order {@code labels(values...)} takes their values. */
    public B labelNames(String... labelNames) {
      if (labelNames == null) {
        throw new IllegalArgumentException("metric '" + name + "': label names are null");
      }
      this.labelNames = labelNames.clone();
      return self();
    }

    /** The most series this family holds before its {@link CardinalityPolicy} applies. */
    public B maxSeries(int maxSeries) {
      if (maxSeries < 1) {
        throw new IllegalArgumentException(
            "metric '" + name + "': maxSeries must be at least 1, got " + maxSeries);
      }
      this.maxSeries = maxSeries;
      return self();
    }

    /** What happens past {@link #maxSeries}; defaults to the registry's policy. */
    public B cardinalityPolicy(CardinalityPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("metric '" + name + "': cardinality policy is null");
      }
      this.policy = policy;
      return self();
    }

    /** Builds the family without registering it. */
    public final M build() {
      validate();
      return create();
    }

    /** Builds the family and registers it with {@code registry}. */
    public final M register(MetricRegistry registry) {
      M m = build();
      registry.register(m);
      return m;
    }

    /** Builds the family and registers it with {@link MetricRegistry#defaultRegistry()}. */
    public final M register() {
      return register(MetricRegistry.defaultRegistry());
    }

    abstract M create();

    /** The type of the family this builder makes; validation checks the name against it. */
    abstract MetricType type();

    /** The type's name in messages ({@code histogram}). */
    String kind() {
      return "metric";
    }

    /** Label names this type reserves for itself ({@code le}, {@code quantile}). */
    Set<String> reservedLabelNames() {
      return Set.of();
    }

    /** Suffixes stripped from the name before the unit is applied ({@code _total}). */
    String strippedSuffix() {
      return null;
    }

    void validate() {
      if (name == null || !Names.isValidMetricName(name)) {
        throw new IllegalArgumentException(
            "metric '" + name + "': invalid metric name, must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (name.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "metric '" + name + "': colons are reserved for recording rules, use '_'");
      }
      if (name.startsWith("__")) {
        throw new IllegalArgumentException(
            "metric '" + name + "': invalid metric name, names starting with '__' are reserved");
      }
      String given = name;
      String suffix = strippedSuffix();
      if (suffix != null && name.endsWith(suffix) && name.length() > suffix.length()) {
        name = name.substring(0, name.length() - suffix.length());
      }
      if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
        name = name + "_" + unit;
      }
      if (suffix != null && name.endsWith(suffix)) {
        // "bytes_total_total", "_total", or unit "total": the suffix is stripped once only
        throw new IllegalArgumentException(
            "metric '" + given + "': " + kind() + " name '" + name + "' still ends with '" + suffix
                + "' after stripping it once and applying the unit; the " + kind()
                + "'s samples add '" + suffix + "' themselves, so the name must not end with it");
      }
      Set<String> seen = new HashSet<>();
      Set<String> reserved = reservedLabelNames();
      for (String l : labelNames) {
        if (l == null || !Names.isValidLabelName(l)) {
          throw new IllegalArgumentException(
              "metric '" + name + "': invalid label name '" + l + "', must match [a-zA-Z_][a-zA-Z0-9_]*");
        }
        if (l.startsWith("__")) {
          throw new IllegalArgumentException(
              "metric '" + name + "': label name '" + l + "' is reserved (names starting with '__')");
        }
        if (reserved.contains(l)) {
          throw new IllegalArgumentException(
              "metric '" + name + "': label name '" + l + "' is reserved by the " + kind() + " type");
        }
        if (!seen.add(l)) {
          throw new IllegalArgumentException(
              "metric '" + name + "': duplicate label name '" + l + "'");
        }
      }
      // registration enforces exactly what every scrape checks, so a family that passes here
      // can never make a scrape throw
      new MetricFamilySnapshot(name, type(), help, unit, List.of());
    }
  }
}
