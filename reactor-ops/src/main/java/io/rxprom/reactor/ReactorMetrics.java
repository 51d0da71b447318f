package io.rxprom.reactor;

import io.rxprom.core.Counter;
import io.rxprom.core.DistributionChild;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricFamily;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.snapshot.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.util.context.Context;

/**
 * Times Reactor pipelines into metrics of one {@link MetricRegistry}: a configured set of metric
 * families and the operators that record into them.
 *
 * <pre>{@code
 * ReactorMetrics metrics = ReactorMetrics.builder(registry)
 *     .latency(Summary.builder("my_router_request_latency_seconds")
 *         .help("Latency of request router handlers").labelNames("path"))
 *     .errors(Counter.builder("my_router_request_exceptions_total")
 *         .help("Exceptions thrown in request router handlers").labelNames("path"))
 *     .build()
 *     .init("/foo", "/bar");
 * Mono<Response> r = handler(request).transform(metrics.timed("/foo"));   // stays a Mono
 * Flux<Event> f = events().transform(metrics.timed("/stream"));           // stays a Flux
 * }</pre>
 *
 * <h2>What is measured</h2>
 * Each subscription is measured on its own, from {@code onSubscribe} to the first of: a Mono's
 * value, {@code onComplete}, {@code onError}, or {@code cancel()}. Exactly one outcome is
 * recorded per subscription, even when a cancel races a terminal signal:
 * <ul>
 *   <li>{@code success}: a Mono emitted its value, or a Flux completed after at least one value;
 *   <li>{@code empty}: the sequence completed without a value;
 *   <li>{@code error}: the sequence failed; the error is also counted in the errors family;
 *   <li>{@code cancelled}: the subscriber cancelled first (a downstream {@code timeout},
 *       {@code take}, {@code next}, a disposed subscription). Never counted as an error.
 * </ul>
 * Re-subscribing ({@code retry}, {@code repeat}) measures every subscription.
 *
 * <h2>Label names</h2>
 * Each family's label names say what goes in them: {@code path} (the argument of {@link
 * #timed(String)}), {@code outcome} (latency family only: one of the four values above), {@code
 * exception} (errors family only: the error's class name), and any label declared with {@link
 * Builder#extraLabelNames}, whose values {@link #timed(String, String...)} takes. A latency family
 * without an {@code outcome} label (the seed's {@code my_router_request_latency_seconds{path}})
 * records every outcome, cancellations included, in its one series, as the seed's {@code
 * time()} records however the block ends; errors are then told apart by the errors family.
 *
 * <h2>Cost</h2>
 * {@code timed(path)} looks its children up once per path and caches them (up to 10,000
 * paths); calling it again returns the same function after one hash lookup and
 * allocates nothing. A subscription allocates only the operator's subscriber, reads the clock
 * twice and records with wait-free striped adds: no map lookup, no lock. The only lookup at
 * signal time is the {@code exception} label's, on an error whose class differs from the
 * previous error's on the same path.
 *
 * <h2>Failures</h2>
 * A failure inside the metrics code, such as a cardinality guard with {@link
 * io.rxprom.core.CardinalityPolicy#REJECT} refusing a new series, never reaches the pipeline: its
 * signals pass through unchanged and the failure is reported once per path through Reactor's
 * {@code Operators.onErrorDropped} (logged at ERROR unless a hook is set).
 *
 * <p>Thread-safe. {@code timed}, {@code init} and the operators may be used from any thread.
 * Recording takes no lock and allocates nothing: it is lock-free (striped adds, plus
 * compare-and-sets on words that are rarely contended: the run-once guard of each subscription
 * and the calling thread's stripe of a latency sum).
 */
public final class ReactorMetrics {

  /** Name of the default latency histogram, labelled {@code path} and {@code outcome}. */
  public static final String DEFAULT_LATENCY_NAME = "rxprom_reactor_duration_seconds";

  /** Name of the default errors counter, labelled {@code path}. */
  public static final String DEFAULT_ERRORS_NAME = "rxprom_reactor_exceptions_total";

  /** The label that takes the path given to {@code timed}. */
  public static final String PATH_LABEL = "path";

  /** The latency label that takes the outcome: success, empty, error or cancelled. */
  public static final String OUTCOME_LABEL = "outcome";

  /** The errors label that takes the error's class name (off unless the family declares it). */
  public static final String EXCEPTION_LABEL = "exception";

  /** How many resolved paths are cached; beyond, {@code timed} resolves on every call. */
  static final int MAX_CACHED_PATHS = 10_000;

  private static final String[] NO_EXTRAS = new String[0];

  private final MetricFamily<? extends DistributionChild> latency;
  private final LabelPlan latencyPlan;
  private final Counter errors;
  private final LabelPlan errorsPlan;
  private final Gauge inFlight;
  private final LabelPlan inFlightPlan;
  private final Counter elements;
  private final LabelPlan elementsPlan;
  private final String[] extraLabelNames;
  private final LongSupplier clock;
  /** Keyed by the path (no extra labels) or by a List of path and extra values. */
  private final ConcurrentHashMap<Object, TimedPath> cache = new ConcurrentHashMap<>();
  /** Reports of failures of uncached paths, limited to one per instance. */
  private final TimedPath uncachedReporter;

  private ReactorMetrics(Builder b, Built built) {
    this.extraLabelNames = b.extraLabelNames;
    this.clock = b.clock;
    this.latency = built.latency;
    this.latencyPlan = built.latencyPlan;
    this.errors = built.errors;
    this.errorsPlan = built.errorsPlan;
    this.inFlight = built.inFlight;
    this.inFlightPlan = built.inFlightPlan;
    this.elements = built.elements;
    this.elementsPlan = built.elementsPlan;
    this.uncachedReporter = new TimedPath(
        "paths beyond the cache of " + MAX_CACHED_PATHS, new DistributionChild[4], null, null,
        null, null, clock);
  }

  /** A builder for metrics registered with {@code registry}. */
  public static Builder builder(MetricRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("ReactorMetrics.builder: registry is null");
    }
    return new Builder(registry);
  }

  /**
   * The default metrics, registered with {@code registry}: a histogram {@value
   * #DEFAULT_LATENCY_NAME}{@code {path, outcome}} with {@link Histogram#DEFAULT_BUCKETS} and a
   * counter {@value #DEFAULT_ERRORS_NAME}{@code {path}}. {@link Metrics#timed(String)} uses these
   * on {@link MetricRegistry#defaultRegistry()}.
   *
   * @throws IllegalArgumentException if {@code registry} already has these names
   */
  public static ReactorMetrics defaults(MetricRegistry registry) {
    return builder(registry)
        .latency(Histogram.builder(DEFAULT_LATENCY_NAME)
            .help("Seconds from subscription to the terminal signal of timed Reactor pipelines,"
                + " by outcome (success, empty, error, cancelled)")
            .labelNames(PATH_LABEL, OUTCOME_LABEL))
        .errors(Counter.builder(DEFAULT_ERRORS_NAME)
            .help("Errors signalled by timed Reactor pipelines")
            .labelNames(PATH_LABEL))
        .build();
  }

  /**
   * The operator for {@code path}, for {@code mono.transform(...)} (the result stays a Mono) and
   * {@code flux.transform(...)} (it stays a Flux). The path's series are created at zero now if
   * new; the same function is returned on later calls for the same path.
   *
   * @throws IllegalArgumentException if {@code path} is null, or extra labels were declared
   *     (use {@link #timed(String, String...)})
   */
  public <T> Function<Publisher<T>, Publisher<T>> timed(String path) {
    TimedPath t = path == null ? null : cache.get(path);
    if (t == null) {
      t = lookup(path, NO_EXTRAS);
    }
    return t.typed();
  }

  /**
   * The operator for {@code path} and the values of the labels declared with {@link
   * Builder#extraLabelNames}, in that order. Each call allocates a cache key: keep the returned
   * function where the values are fixed.
   *
   * @throws IllegalArgumentException if a value is null or their number is not that of the
   *     declared extra labels
   */
  public <T> Function<Publisher<T>, Publisher<T>> timed(String path, String... extraLabelValues) {
    if (extraLabelValues == null || extraLabelValues.length == 0) {
      return timed(path);
    }
    return lookup(path, extraLabelValues.clone()).typed();
  }

  /**
   * Creates the series of each path at zero, so that they are exposed before first use (as the
   * seed's {@code labels(path)} calls do). Same as calling {@link #timed(String)} for each path. A
   * family labelled {@code exception} gets no series until an error happens.
   *
   * @return this
   * @throws IllegalArgumentException if a path is null or extra labels were declared
   */
  public ReactorMetrics init(String... paths) {
    if (paths == null) {
      throw new IllegalArgumentException("ReactorMetrics.init: paths is null");
    }
    for (String p : paths) {
      timed(p);
    }
    return this;
  }

  private TimedPath lookup(String path, String[] extras) {
    if (path == null) {
      throw new IllegalArgumentException("ReactorMetrics.timed: path is null");
    }
    if (extras.length != extraLabelNames.length) {
      throw new IllegalArgumentException(
          "ReactorMetrics.timed(\"" + path + "\"): expected " + extraLabelNames.length
              + " extra label value(s) for " + Arrays.toString(extraLabelNames) + " but got "
              + extras.length + ": " + Arrays.toString(extras)
              + (extraLabelNames.length > 0 && extras.length == 0
                  ? " (use timed(path, values...))" : ""));
    }
    for (int i = 0; i < extras.length; i++) {
      if (extras[i] == null) {
        throw new IllegalArgumentException(
            "ReactorMetrics.timed(\"" + path + "\"): value of extra label '" + extraLabelNames[i]
                + "' is null");
      }
    }
    Object key = extras.length == 0 ? path : key(path, extras);
    TimedPath t = cache.get(key);
    if (t != null) {
      return t;
    }
    if (cache.size() >= MAX_CACHED_PATHS) {
      t = resolve(path, extras);
      reportResolveFailure(t, uncachedReporter);
      return t;
    }
    TimedPath[] created = new TimedPath[1];
    t = cache.computeIfAbsent(key, k -> created[0] = resolve(path, extras));
    if (t == created[0]) {
      // outside computeIfAbsent: a reporting hook may call back into this instance
      reportResolveFailure(t, t);
    }
    return t;
  }

  private static void reportResolveFailure(TimedPath t, TimedPath reporter) {
    RuntimeException f = t.resolveFailure;
    if (f != null) {
      reporter.report(f, Context.empty());
    }
  }

  private static List<String> key(String path, String[] extras) {
    List<String> k = new ArrayList<>(extras.length + 1);
    k.add(path);
    k.addAll(Arrays.asList(extras));
    return k;
  }

  /**
   * Looks up (creating at zero) every child of one path. A refused series is left null and the
   * refusal kept in {@code resolveFailure} for the caller to report.
   */
  private TimedPath resolve(String path, String[] extras) {
    StringBuilder d = new StringBuilder("path '").append(path).append('\'');
    for (int i = 0; i < extras.length; i++) {
      d.append(i == 0 ? " {" : ", ").append(extraLabelNames[i]).append("=\"").append(extras[i])
          .append('"').append(i == extras.length - 1 ? "}" : "");
    }
    RuntimeException[] failure = new RuntimeException[1];
    DistributionChild[] lat = new DistributionChild[4];
    if (latency != null) {
      if (latencyPlan.has(LabelPlan.OUTCOME)) {
        for (int o = 0; o < lat.length; o++) {
          lat[o] = child(latency, latencyPlan.values(path, extras, TimedPath.OUTCOMES[o]), failure);
        }
      } else {
        Arrays.fill(lat, child(latency, latencyPlan.values(path, extras, null), failure));
      }
    }
    Counter.Child err = null;
    TimedPath.ErrorsByClass byClass = null;
    if (errors != null) {
      if (errorsPlan.has(LabelPlan.EXCEPTION)) {
        byClass = new TimedPath.ErrorsByClass(
            errors, errorsPlan.values(path, extras, ""), errorsPlan.indexOf(LabelPlan.EXCEPTION));
      } else {
        err = child(errors, errorsPlan.values(path, extras, null), failure);
      }
    }
    Gauge.Child g = inFlight == null
        ? null : child(inFlight, inFlightPlan.values(path, extras, null), failure);
    Counter.Child el = elements == null
        ? null : child(elements, elementsPlan.values(path, extras, null), failure);
    TimedPath t = new TimedPath(d.toString(), lat, err, byClass, g, el, clock);
    t.resolveFailure = failure[0];
    return t;
  }

  private static <C extends MetricFamily.Child> C child(
      MetricFamily<C> family, String[] values, RuntimeException[] failure) {
    try {
      return family.labels(values);
    } catch (RuntimeException e) {
      if (failure[0] == null) {
        failure[0] = e;
      } else {
        failure[0].addSuppressed(e);
      }
      return null;
    }
  }

  /** Where each label of one family takes its value from. */
  static final class LabelPlan {
    static final int PATH = -1;
    static final int OUTCOME = -2;
    static final int EXCEPTION = -3;

    /** Per label position: PATH, OUTCOME, EXCEPTION or the index of an extra label. */
    private final int[] sources;

    LabelPlan(String role, MetricFamily<?> family, String[] extras, Set<String> usedExtras) {
      List<String> names = family.labelNames();
      sources = new int[names.size()];
      for (int i = 0; i < sources.length; i++) {
        String n = names.get(i);
        int extra = Arrays.asList(extras).indexOf(n);
        if (n.equals(PATH_LABEL)) {
          sources[i] = PATH;
        } else if (n.equals(OUTCOME_LABEL) && role.equals("latency")) {
          sources[i] = OUTCOME;
        } else if (n.equals(EXCEPTION_LABEL) && role.equals("errors")) {
          sources[i] = EXCEPTION;
        } else if (extra >= 0) {
          sources[i] = extra;
          usedExtras.add(n);
        } else {
          throw new IllegalArgumentException(
              "metric '" + family.name() + "' (" + role + "): label '" + n + "' has no value"
                  + " source; allowed are '" + PATH_LABEL + "'"
                  + (role.equals("latency") ? ", '" + OUTCOME_LABEL + "'" : "")
                  + (role.equals("errors") ? ", '" + EXCEPTION_LABEL + "'" : "")
                  + " and the extra labels " + Arrays.toString(extras)
                  + " (declare it with extraLabelNames)");
        }
      }
    }

    boolean has(int source) {
      return indexOf(source) >= 0;
    }

    int indexOf(int source) {
      for (int i = 0; i < sources.length; i++) {
        if (sources[i] == source) {
          return i;
        }
      }
      return -1;
    }

    String[] values(String path, String[] extras, String special) {
      String[] v = new String[sources.length];
      for (int i = 0; i < v.length; i++) {
        int s = sources[i];
        v[i] = s == PATH ? path : s >= 0 ? extras[s] : special;
      }
      return v;
    }
  }

  /** The families built from the builders, and their label plans. */
  private static final class Built {
    MetricFamily<? extends DistributionChild> latency;
    LabelPlan latencyPlan;
    Counter errors;
    LabelPlan errorsPlan;
    Gauge inFlight;
    LabelPlan inFlightPlan;
    Counter elements;
    LabelPlan elementsPlan;
  }

  /**
   * Configures a {@link ReactorMetrics}: which families to record into (each optional, at least
   * one), extra labels, and the clock. {@link #build()} builds the families from the given
   * builders and registers them.
   *
   * <p>Not thread-safe: configure it on one thread.
   */
  public static final class Builder {
    private final MetricRegistry registry;
    private Supplier<? extends MetricFamily<? extends DistributionChild>> latency;
    private Counter.Builder errors;
    private Gauge.Builder inFlight;
    private Counter.Builder elements;
    private String[] extraLabelNames = NO_EXTRAS;
    private LongSupplier clock = System::nanoTime;

    private Builder(MetricRegistry registry) {
      this.registry = registry;
    }

    /**
     * Latency in seconds as a summary (count and sum, quantiles if configured). Label names: see
     * {@link ReactorMetrics}; {@code outcome} is optional.
     */
    public Builder latency(Summary.Builder summary) {
      if (summary == null) {
        throw new IllegalArgumentException("ReactorMetrics.Builder.latency: summary builder is null");
      }
      this.latency = summary::build;
      return this;
    }

    /**
     * Latency in seconds as a histogram. Label names: see {@link ReactorMetrics}; {@code outcome}
     * is optional.
     */
    public Builder latency(Histogram.Builder histogram) {
      if (histogram == null) {
        throw new IllegalArgumentException(
            "ReactorMetrics.Builder.latency: histogram builder is null");
      }
      this.latency = histogram::build;
      return this;
    }

    /**
     * A counter of errors, the seed's {@code count_exceptions()}. With a label {@code exception}
     * each error class gets its own series, named by {@link Class#getName()}: one series per
     * class that ever fails, so only use it where the set of error classes is small; the
     * family's cardinality guard bounds it.
     */
    public Builder errors(Counter.Builder counter) {
      if (counter == null) {
        throw new IllegalArgumentException("ReactorMetrics.Builder.errors: counter builder is null");
      }
      this.errors = counter;
      return this;
    }

    /**
     * A gauge of subscriptions in flight: up on subscription, down on the terminal signal or
     * cancellation (the seed's {@code track_inprogress()}).
     */
    public Builder inFlight(Gauge.Builder gauge) {
      if (gauge == null) {
        throw new IllegalArgumentException("ReactorMetrics.Builder.inFlight: gauge builder is null");
      }
      this.inFlight = gauge;
      return this;
    }

    /** A counter of the values emitted (each onNext of a Flux; a Mono's value counts one). */
    public Builder elements(Counter.Builder counter) {
      if (counter == null) {
        throw new IllegalArgumentException(
            "ReactorMetrics.Builder.elements: counter builder is null");
      }
      this.elements = counter;
      return this;
    }

    /**
     * Labels besides {@code path}, {@code outcome} and {@code exception} that the families use,
     * whose values {@link ReactorMetrics#timed(String, String...)} takes in this order.
     */
    public Builder extraLabelNames(String... names) {
      if (names == null) {
        throw new IllegalArgumentException("ReactorMetrics.Builder.extraLabelNames: names is null");
      }
      Set<String> seen = new HashSet<>();
      for (String n : names) {
        if (n == null || !Names.isValidLabelName(n) || n.startsWith("__")) {
          throw new IllegalArgumentException(
              "ReactorMetrics.Builder.extraLabelNames: invalid label name '" + n
                  + "', must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'");
        }
        if (n.equals(PATH_LABEL) || n.equals(OUTCOME_LABEL) || n.equals(EXCEPTION_LABEL)) {
          throw new IllegalArgumentException(
              "ReactorMetrics.Builder.extraLabelNames: '" + n + "' is filled by the operator"
                  + " itself, it cannot be an extra label");
        }
        if (!seen.add(n)) {
          throw new IllegalArgumentException(
              "ReactorMetrics.Builder.extraLabelNames: duplicate label name '" + n + "'");
        }
      }
      this.extraLabelNames = names.clone();
      return this;
    }

    /**
     * The nanosecond clock latencies are measured with (default {@link System#nanoTime()}).
     * Tests pass a virtual clock, such as {@code () -> virtualTimeScheduler.now(NANOSECONDS)}.
     */
    public Builder clock(LongSupplier nanoClock) {
      if (nanoClock == null) {
        throw new IllegalArgumentException("ReactorMetrics.Builder.clock: clock is null");
      }
      this.clock = nanoClock;
      return this;
    }

    /**
     * Builds the families, checks their label names and registers them; if one registration
     * fails, those already made are undone.
     *
     * @throws IllegalArgumentException if no family is configured, a family is invalid or its
     *     name is taken, a label has no value source, or an extra label is used by no family
     */
    public ReactorMetrics build() {
      if (latency == null && errors == null && inFlight == null && elements == null) {
        throw new IllegalArgumentException(
            "ReactorMetrics.Builder.build: configure at least one of latency, errors, inFlight"
                + " or elements");
      }
      Built b = new Built();
      Set<String> usedExtras = new HashSet<>();
      List<MetricFamily<?>> families = new ArrayList<>(4);
      if (latency != null) {
        b.latency = latency.get();
        b.latencyPlan = new LabelPlan("latency", b.latency, extraLabelNames, usedExtras);
        families.add(b.latency);
      }
      if (errors != null) {
        b.errors = errors.build();
        b.errorsPlan = new LabelPlan("errors", b.errors, extraLabelNames, usedExtras);
        families.add(b.errors);
      }
      if (inFlight != null) {
        b.inFlight = inFlight.build();
        b.inFlightPlan = new LabelPlan("inFlight", b.inFlight, extraLabelNames, usedExtras);
        families.add(b.inFlight);
      }
      if (elements != null) {
        b.elements = elements.build();
        b.elementsPlan = new LabelPlan("elements", b.elements, extraLabelNames, usedExtras);
        families.add(b.elements);
      }
      for (String n : extraLabelNames) {
        if (!usedExtras.contains(n)) {
          throw new IllegalArgumentException(
              "ReactorMetrics.Builder.build: extra label '" + n + "' is used by no metric");
        }
      }
      List<MetricFamily<?>> registered = new ArrayList<>(families.size());
      try {
        for (MetricFamily<?> f : families) {
          registry.register(f);
          registered.add(f);
        }
      } catch (RuntimeException e) {
        for (MetricFamily<?> f : registered) {
          registry.unregister(f);
        }
        throw e;
      }
      return new ReactorMetrics(this, b);
    }
  }
}
