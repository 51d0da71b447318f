package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Pushes a registry to a Pushgateway on a fixed schedule, for a service that cannot be scraped.
 *
 * <pre>{@code
 * PushgatewayPusher pusher = PushgatewayPusher.builder(vertx, client, registry, "rxprom-demo")
 *     .groupingKey(Map.of("instance", "host-1:8080")).interval(Duration.ofSeconds(10)).build().start();
 * ...
 * pusher.stop();
 * }</pre>
 *
 * <p>It pushes once at {@link #start()} and then every interval; a tick that finds the previous
 * push still running is skipped, so pushes never pile up. A failure is logged once (a warning
 * with the {@link PushgatewayException}'s message) until a push succeeds again, which is logged
 * too; the schedule goes on regardless.
 *
 * <p>Thread-safe: any thread may call any method; the schedule runs on the caller's Vert.x
 * context at {@link Builder#build()} (or a new one) and never blocks it.
 */
public final class PushgatewayPusher {

  /*
   * Implementation notes. `timer`, `inFlight` and `failing` are confined to `context`: ticks
   * (setPeriodic from the context), start/stop (runOnContext) and the push outcome (handed back
   * with runOnContext, as the client may complete it elsewhere) all run there. `started` and
   * `stopping` are atomics because start() and stop() may race from any threads; the counters
   * are atomics because any thread may read them.
   */

  private static final System.Logger LOG = System.getLogger(PushgatewayPusher.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final PushgatewayClient client;
  private final MetricRegistry registry;
  private final String job;
  private final Map<String, String> groupingKey;
  private final Duration interval;
  private final boolean pushAdd;
  private final Predicate<String> familyFilter;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicLong pushes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Promise<Void> stopped = Promise.promise();

  // Confined to `context`.
  private long timer = -1;
  private Future<Void> inFlight;
  private boolean failing;

  private PushgatewayPusher(Builder b) {
    this.vertx = b.vertx;
    this.context = b.vertx.getOrCreateContext();
    this.client = b.client;
    this.registry = b.registry;
    this.job = b.job;
    this.groupingKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.groupingKey));
    this.interval = b.interval;
    this.pushAdd = b.pushAdd;
    this.familyFilter = b.familyFilter;
  }

  /**
   * A builder for pushing {@code registry} with {@code client} under {@code job}.
   *
   * @throws IllegalArgumentException if the job is empty
   */
  public static Builder builder(Vertx vertx, PushgatewayClient client, MetricRegistry registry, String job) {
    return new Builder(vertx, client, registry, job);
  }

  /**
   * Pushes now and then every interval. Returns at once.
   *
   * @throws IllegalStateException if started or stopped before
   */
  public PushgatewayPusher start() {
    if (stopping.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("pushgateway pusher for job '" + job
          + "' was started or stopped already; build a new one");
    }
    context.runOnContext(v -> {
      if (stopping.get()) {
        return;
      }
      tick();
      timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    });
    return this;
  }

  /**
   * Cancels the schedule; the returned future completes when a push in flight has finished. The
   * group stays on the gateway: {@link PushgatewayClient#delete} removes it. Idempotent.
   */
  public Future<Void> stop() {
    if (stopping.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        if (timer != -1) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
        Future<Void> last = inFlight != null ? inFlight : Future.succeededFuture();
        last.onComplete(ar -> stopped.tryComplete());
      });
    }
    return stopped.future();
  }

  /** Pushes that succeeded so far. */
  public long pushes() {
    return pushes.get();
  }

  /** Pushes that failed so far. */
  public long failures() {
    return failures.get();
  }

  private void tick() {
    if (stopping.get()) {
      return;
    }
    if (inFlight != null && !inFlight.isComplete()) {
      LOG.log(Level.DEBUG, "Pushgateway push for job {0} still running, tick skipped", job);
      return;
    }
    Future<Void> f;
    try {
      f = pushAdd
          ? client.pushAdd(registry, familyFilter, job, groupingKey)
          : client.push(registry, familyFilter, job, groupingKey);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    inFlight = f;
    f.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        pushes.incrementAndGet();
        if (failing) {
          failing = false;
          LOG.log(Level.INFO, "Pushgateway push for job {0} succeeds again", job);
        }
      } else {
        failures.incrementAndGet();
        if (!failing) {
          failing = true;
          LOG.log(Level.WARNING, "Pushgateway push for job {0} failed: {1}; retrying every {2} ms, "
              + "logged once until a push succeeds", job, ar.cause().getMessage(), interval.toMillis());
        }
      }
    }));
  }

  /** Builds a {@link PushgatewayPusher}. */
  public static final class Builder {
    private final Vertx vertx;
    private final PushgatewayClient client;
    private final MetricRegistry registry;
    private final String job;
    private Map<String, String> groupingKey = Map.of();
    private Duration interval = Duration.ofSeconds(10);
    private boolean pushAdd;
    private Predicate<String> familyFilter;

    private Builder(Vertx vertx, PushgatewayClient client, MetricRegistry registry, String job) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.client = Objects.requireNonNull(client, "client");
      this.registry = Objects.requireNonNull(registry, "registry");
      PushgatewayClientImpl.path(job, Map.of()); // checks the job
      this.job = job;
    }

    /** The group's labels besides the job (copied; checked as the client checks them). */
    public Builder groupingKey(Map<String, String> groupingKey) {
      Map<String, String> copy = new LinkedHashMap<>(Objects.requireNonNull(groupingKey, "groupingKey"));
      PushgatewayClientImpl.path(job, copy);
      this.groupingKey = copy;
      return this;
    }

    /** Time between pushes. Default 10 s, at least 1 ms. */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.toMillis() < 1) {
        throw new IllegalArgumentException("pushgateway push interval must be at least 1 ms, got " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** POST ({@link PushgatewayClient#pushAdd}) instead of PUT. Default false. */
    public Builder pushAdd(boolean pushAdd) {
      this.pushAdd = pushAdd;
      return this;
    }

    /** Push only the families whose name it accepts; null for all. */
    public Builder familyFilter(Predicate<String> familyFilter) {
      this.familyFilter = familyFilter;
      return this;
    }

    public PushgatewayPusher build() {
      return new PushgatewayPusher(this);
    }
  }
}
