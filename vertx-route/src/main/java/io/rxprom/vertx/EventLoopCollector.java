package io.rxprom.vertx;

import io.netty.util.concurrent.EventExecutor;
import io.rxprom.core.Collector;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Event-loop health of a Vert.x instance: how late a periodic check fires on each event loop
 * ({@code vertx_eventloop_delay_seconds}, a histogram), and how many tasks wait in each loop's
 * queue ({@code vertx_eventloop_pending_tasks}, a gauge), both labelled {@code loop} with the
 * loop's thread name. A handler that blocks a loop shows up as delay on that loop, and as tasks
 * piling up behind it.
 *
 * <pre>{@code
 * EventLoopCollector loops = EventLoopCollector.builder(vertx)
 *     .interval(Duration.ofMillis(100))
 *     .register(registry);
 * ...
 * loops.close(); // stops the checks and unregisters (closing Vert.x does the same)
 * }</pre>
 *
 * <p>How it measures: one task per loop, scheduled on the loop with a fixed delay of {@link
 * Builder#interval interval}; each run records how long after its due time it ran. A loop that
 * is stuck for d records about d once, when it gets free. The check allocates nothing per run.
 * On a busy loop it runs between other tasks at the cost of one histogram observation; on an
 * idle loop it costs one timer wake-up per interval (at the default 100 ms, measured at about
 * 0.3% of one core for four idle loops on a small VM). The delay never goes below the timer resolution of the transport (about a
 * millisecond with NIO, whose selector times out in whole milliseconds).
 *
 * <p>Pending tasks are read at scrape time from Netty's task queue of each loop, without
 * waiting for the loop; where the loop does not offer that, the series is left out.
 *
 * <p>Thread-safe. Scrapes and {@link #close()} may run on any thread, an event loop included:
 * neither ever waits for a loop. The checks start as soon as each loop runs a task; a loop's
 * series appear once its check has started.
 */
public final class EventLoopCollector implements Collector, AutoCloseable {

  /** The default interval of the check: 100 ms. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  /** Bucket bounds from half a millisecond (about the timer resolution) to 10 seconds. */
  public static final double[] DEFAULT_BUCKETS = {
    .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10
  };

  static final String DELAY = "vertx_eventloop_delay_seconds";
  static final String PENDING = "vertx_eventloop_pending_tasks";

  private static final Map<String, MetricType> FAMILIES;

  static {
    Map<String, MetricType> f = new LinkedHashMap<>();
    f.put(DELAY, MetricType.HISTOGRAM);
    f.put(PENDING, MetricType.GAUGE);
    FAMILIES = Collections.unmodifiableMap(f);
  }

  private final VertxInternal vertx;
  private final Histogram delay;
  private final List<EventLoopProbe> probes;
  private final Closeable closeHook = this::closedWithVertx;
  private MetricRegistry registry; // guarded by this
  private boolean closed; // guarded by this

  private EventLoopCollector(Builder b) {
    this.vertx = b.vertx;
    this.delay = Histogram.builder(DELAY)
        .help("How late a periodic check ran on each Vert.x event loop: the time the loop "
            + "was busy past the check's due time.")
        .labelNames("loop")
        .buckets(b.buckets)
        .build();
    List<EventLoopProbe> p = new ArrayList<>();
    for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
      p.add(new EventLoopProbe(loop, b.intervalNanos, delay));
    }
    this.probes = List.copyOf(p);
  }

  /** A builder for the event-loop collector of {@code vertx}. */
  public static Builder builder(Vertx vertx) {
    if (!(vertx instanceof VertxInternal)) {
      throw new IllegalArgumentException(
          "EventLoopCollector: vertx must be a Vert.x instance created by Vertx.vertx(...) or "
              + "Vertx.builder(), got " + (vertx == null ? "null" : vertx.getClass().getName()));
    }
    return new Builder((VertxInternal) vertx);
  }

  private void start() {
    vertx.addCloseHook(closeHook);
    for (EventLoopProbe p : probes) {
      p.start();
    }
  }

  @Override
  public Map<String, MetricType> families() {
    return FAMILIES;
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> sink) {
    sink.accept(delay.snapshot());
    List<GaugeDataPoint> pending = new ArrayList<>(probes.size());
    for (EventLoopProbe p : probes) {
      Labels loop = p.labels();
      int n = loop == null ? -1 : p.pendingTasks();
      if (n >= 0) {
        pending.add(new GaugeDataPoint(loop, n));
      }
    }
    sink.accept(new MetricFamilySnapshot(
        PENDING, MetricType.GAUGE, "Tasks waiting in the queue of each Vert.x event loop.", "", pending));
  }

  /** The number of event loops checked. */
  public int eventLoops() {
    return probes.size();
  }

  /**
   * Stops the checks and, if this collector was registered by its builder, unregisters it.
   * Idempotent; never waits for an event loop. Closing the Vert.x instance closes it too.
   */
  @Override
  public void close() {
    if (stop()) {
      vertx.removeCloseHook(closeHook);
    }
  }

  private void closedWithVertx(Completable<Void> completion) {
    stop();
    completion.succeed();
  }

  private synchronized void registerWith(MetricRegistry r) {
    if (!closed) { // Vert.x may have closed meanwhile
      r.register(this);
      registry = r;
    }
  }

  private synchronized boolean stop() {
    if (closed) {
      return false;
    }
    closed = true;
    for (EventLoopProbe p : probes) {
      p.stop();
    }
    if (registry != null) {
      registry.unregister(this);
    }
    return true;
  }

  /** Builds an {@link EventLoopCollector}; its checks start when it is built. */
  public static final class Builder {
    private final VertxInternal vertx;
    private long intervalNanos = DEFAULT_INTERVAL.toNanos();
    private double[] buckets = DEFAULT_BUCKETS;

    private Builder(VertxInternal vertx) {
      this.vertx = vertx;
    }

    /**
     * How often each loop is checked; default {@link #DEFAULT_INTERVAL}. A shorter interval
     * sees shorter stalls and costs more wake-ups.
     *
     * @throws IllegalArgumentException unless between 1 ms and 1 minute
     */
    public Builder interval(Duration interval) {
      if (interval == null
          || interval.compareTo(Duration.ofMillis(1)) < 0
          || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "metric '" + DELAY + "': interval must be between 1 ms and 1 minute, got " + interval);
      }
      this.intervalNanos = interval.toNanos();
      return this;
    }

    /** The histogram's bucket bounds in seconds; default {@link #DEFAULT_BUCKETS}. */
    public Builder buckets(double... upperBounds) {
      Histogram.builder(DELAY).buckets(upperBounds); // validates, with its messages
      this.buckets = upperBounds.clone();
      return this;
    }

    /** Builds the collector and starts its checks, without registering it. */
    public EventLoopCollector build() {
      EventLoopCollector c = new EventLoopCollector(this);
      c.start();
      return c;
    }

    /**
     * Builds the collector, starts its checks and registers it with {@code registry}; {@link
     * EventLoopCollector#close()} unregisters it.
     *
     * @throws IllegalArgumentException if {@code registry} is null or has these families already
     *     (nothing keeps running then)
     */
    public EventLoopCollector register(MetricRegistry registry) {
      if (registry == null) {
        throw new IllegalArgumentException("metric '" + DELAY + "': registry is null");
      }
      EventLoopCollector c = build();
      try {
        c.registerWith(registry);
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }
  }
}
