package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.CallbackMetric;
import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.testing.Carbon;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge against a real carbon-cache: whisper files, values, and a carbon restart. */
class GraphiteBridgeCarbonTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Ticks sent shortly before carbon was told to stop that it may not have read. */
  private static final long IN_FLIGHT = 2;

  private static Carbon carbon;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    carbon = Carbon.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (carbon != null) {
      carbon.close();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static boolean hasValue(List<Carbon.Point> points, double v) {
    return points.stream().anyMatch(p -> p.value() != null && p.value() == v);
  }

  private static void awaitValue(String path, long from, double v) {
    carbon.awaitFetch(path, from, points -> hasValue(points, v), WAIT);
  }

  @Test
  void everySeriesArrivesAsAWhisperFileWithItsValuePlainAndTagged() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Counter.builder("requests").labelNames("path", "method").register(registry).labels("/foo", "GET").inc(3);
    Gauge temperature = Gauge.builder("temperature_celsius").register(registry);
    temperature.set(21.5);
    Histogram latency = Histogram.builder("latency_seconds").buckets(0.1, 1).register(registry);
    latency.observe(0.05);
    latency.observe(0.5);
    latency.observe(2);
    long from = now() - 1;
    GraphiteBridge plain = GraphiteBridge.create(vertx, registry, GraphiteOptions.builder("127.0.0.1", carbon.linePort())
        .prefix("rxtest.plain").interval(Duration.ofSeconds(1)).build()).start();
    GraphiteBridge tagged = GraphiteBridge.create(vertx, registry, GraphiteOptions.builder("127.0.0.1", carbon.linePort())
        .prefix("rxtest.tagged").tags(true).interval(Duration.ofSeconds(1))
        .statsRegistry(new MetricRegistry()).build()).start();
    try {
      awaitValue("rxtest.plain.requests_total.method.GET.path._foo", from, 3);
      awaitValue("rxtest.plain.temperature_celsius", from, 21.5);
      awaitValue("rxtest.plain.latency_seconds_bucket.le.0_1", from, 1);
      awaitValue("rxtest.plain.latency_seconds_bucket.le.1_0", from, 2);
      awaitValue("rxtest.plain.latency_seconds_bucket.le._Inf", from, 3);
      awaitValue("rxtest.plain.latency_seconds_count", from, 3);
      awaitValue("rxtest.plain.latency_seconds_sum", from, 2.55);
      awaitValue("rxtest.plain.rxprom_graphite_dropped_samples_total", from, 0);
      // This carbon runs without a tag database, so a tagged series is a file named as sent.
      awaitValue(taggedFile("rxtest.tagged.requests_total;method=GET;path=_foo"), from, 3);
      awaitValue(taggedFile("rxtest.tagged.latency_seconds_bucket;le=_Inf"), from, 3);

      temperature.set(-4); // the schedule goes on and carries the new value
      awaitValue("rxtest.plain.temperature_celsius", from, -4);
      awaitValue("rxtest.tagged.temperature_celsius", from, -4); // no tags: a plain path
    } finally {
      await(plain.stop());
      await(tagged.stop());
    }
    assertThat(plain.droppedSamples()).isZero();

    // After stop() nothing more arrives.
    long stoppedAt = now();
    Thread.sleep(2000);
    List<Carbon.Point> after = carbon.fetch("rxtest.plain.temperature_celsius", stoppedAt + 1);
    assertThat(after).allMatch(p -> p.value() == null);
  }

  /**
   * Carbon goes down for some seconds and comes back on the same port. The bridge ticks every
   * 200 ms throughout; each tick is stamped with its own second (an injected clock starting 20
   * minutes back), and the gauge {@code bridge_tick} carries the tick's number, so the whisper
   * file says exactly which ticks arrived. The buffer holds three ticks.
   */
  @Test
  void carbonRestartsAndTheBridgeRecoversWithoutLosingItsSchedule() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger jul = Logger.getLogger(GraphiteBridge.class.getName());
    jul.addHandler(capture);

    MetricRegistry registry = new MetricRegistry();
    AtomicLong tick = new AtomicLong(-1);
    long t0 = now() - 1200;
    CallbackMetric.gauge("bridge_tick").callback(() -> tick.get()).register(registry);
    // About 20 KB per tick in few series (long label values), to keep carbon's work small.
    Counter load = Counter.builder("load").labelNames("a", "b", "c").register(registry);
    String pad = "x".repeat(200);
    for (int i = 0; i < 30; i++) {
      load.labels(pad + i, pad, pad).inc(i);
    }
    GraphiteOptions options = GraphiteOptions.builder("127.0.0.1", carbon.linePort())
        .prefix("rxtest.restart").interval(Duration.ofMillis(200))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .maxBufferedBytes(64 * 1024).build();
    GraphiteBridgeImpl bridge = new GraphiteBridgeImpl(vertx, registry, options, () -> t0 + tick.incrementAndGet());
    List<GraphiteLineWriter.Chunk> oneTick = new GraphiteLineWriter("rxtest.restart", false).write(registry.scrape(), t0);
    assertThat(oneTick).as("a tick is one chunk, so drops are whole ticks").hasSize(1);
    int perTick = oneTick.get(0).lines();
    assertThat(oneTick.get(0).size() * 3).isLessThan(64 * 1024);
    assertThat(oneTick.get(0).size() * 4).isGreaterThan(64 * 1024);

    String tickPath = "rxtest.restart.bridge_tick";
    long started = System.nanoTime();
    bridge.start();
    long tickAtStop;
    long stoppedTick;
    long tickAtRestart;
    try {
      carbon.awaitFetch(tickPath, t0 - 1, points -> delivered(points, t0).size() >= 5, WAIT);
      // Let carbon catch up with what was sent, so that little is in flight when it stops.
      long sent = tick.get() - 1;
      carbon.awaitFetch(tickPath, t0 - 1, points -> delivered(points, t0).lastKey() >= sent, WAIT);
      tickAtStop = tick.get();
      carbon.stop();
      stoppedTick = tick.get(); // carbon has exited: its socket is closed
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (tick.get() < stoppedTick + 10 && System.nanoTime() < deadline) {
        Thread.sleep(50); // ten ticks with carbon down
      }
      assertThat(tick.get()).isGreaterThanOrEqualTo(stoppedTick + 10);
      carbon.restart();
      tickAtRestart = tick.get();
      carbon.awaitFetch(tickPath, t0 - 1, points -> delivered(points, t0).lastKey() >= tickAtRestart + 8, WAIT);
    } finally {
      await(bridge.stop());
      jul.removeHandler(capture);
    }
    long ticks = tick.get() + 1;
    double elapsedTicks = (System.nanoTime() - started) / 200e6;
    long dropped = bridge.droppedSamples();

    // Wait until the last tick sent before stop() is on disk, then read the whole history.
    // whisper-fetch starts at the slot after --from: ask from t0 - 1 to get tick 0. Wait until
    // the last ticks are on disk and nothing more arrives for a second.
    carbon.awaitFetch(tickPath, t0 - 1, p -> delivered(p, t0).lastKey() >= ticks - 3, WAIT);
    TreeMap<Long, Double> got = delivered(carbon.fetch(tickPath, t0 - 1), t0);
    for (long until = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < until; ) {
      Thread.sleep(1000);
      TreeMap<Long, Double> again = delivered(carbon.fetch(tickPath, t0 - 1), t0);
      if (again.equals(got)) {
        break;
      }
      got = again;
    }
    long droppedTicks = dropped / perTick;
    long lost = ticks - got.size() - droppedTicks;
    System.out.printf("carbon restart: %d ticks (carbon told to stop after %d, gone after %d, back after %d), "
        + "%d arrived %s, %d dropped (counted), %d lost in the socket%n",
        ticks, tickAtStop, stoppedTick, tickAtRestart, got.size(), got.keySet(), droppedTicks, lost);
    logged.forEach(r -> System.out.println(r.getLevel() + " " + new SimpleFormatter().formatMessage(r)));

    // Every point sits in its own tick's second and carries that tick's number.
    got.forEach((k, v) -> assertThat(v).as("value stamped at tick " + k).isEqualTo((double) k));
    // Before the outage, every tick arrived but for the last few, which carbon may not have
    // read before it went down (counted in `lost` below).
    for (long k = 0; k < tickAtStop - IN_FLIGHT; k++) {
      assertThat(got).as("tick %d, before carbon stopped", k).containsKey(k);
    }
    // After carbon came back and the bridge reconnected, every tick arrived.
    for (long k = tickAtRestart + 5; k <= got.lastKey(); k++) {
      assertThat(got).as("tick %d, after carbon came back", k).containsKey(k);
    }
    assertThat(got.lastKey()).isGreaterThanOrEqualTo(ticks - 3);
    // Of the ticks rendered while carbon was down, the newest ones were kept and sent later.
    Map<Long, Double> outage = got.subMap(tickAtStop + 1, true, tickAtRestart, true);
    assertThat(outage).as("buffered ticks sent after the restart").isNotEmpty();
    long firstKept = outage.keySet().iterator().next();
    for (long k = firstKept; k <= tickAtRestart; k++) {
      assertThat(got).as("outage tick %d, newer than a kept one", k).containsKey(k);
    }
    // The schedule never paused: about one tick per 200 ms of the test.
    assertThat((double) ticks).isGreaterThan(elapsedTicks * 0.5);

    // Accounting: drops are whole ticks; sent + dropped + lost-in-the-socket = rendered.
    assertThat(dropped).as("the 64 KiB buffer overflowed").isPositive();
    assertThat(dropped % perTick).isZero();
    assertThat(lost).as("ticks neither received nor counted: written to the socket as carbon went down")
        .isBetween(0L, stoppedTick - tickAtStop + IN_FLIGHT);

    // The bridge's own counter reached carbon too.
    TreeMap<Long, Double> droppedSeries = delivered(
        carbon.fetch("rxtest.restart.rxprom_graphite_dropped_samples_total", t0 - 1), t0);
    assertThat(droppedSeries.lastEntry().getValue()).isPositive().isLessThanOrEqualTo((double) dropped);

    // One warning for the outage, one note for the recovery, whatever the number of retries.
    SimpleFormatter f = new SimpleFormatter();
    assertThat(logged.stream().filter(r -> r.getLevel() == Level.WARNING)).hasSize(1);
    assertThat(logged.stream().filter(r -> r.getLevel() == Level.INFO).map(f::formatMessage))
        .singleElement().asString().contains("reachable again");
  }

  /**
   * Where carbon 1.1 keeps a tagged series (with or without a tag database): under {@code
   * _tagged/}, named by the SHA-256 of the series with its tags sorted, as a dotted path for
   * {@link Carbon#fetch}.
   */
  private static String taggedFile(String series) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256")
        .digest(series.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String h = java.util.HexFormat.of().formatHex(d);
    return "_tagged." + h.substring(0, 3) + "." + h.substring(3, 6) + "." + h;
  }

  /** Tick number to value, for the points whisper holds. */
  private static TreeMap<Long, Double> delivered(List<Carbon.Point> points, long t0) {
    TreeMap<Long, Double> m = new TreeMap<>();
    points.stream().filter(p -> p.value() != null)
        .forEach(p -> m.put(p.timestamp() - t0, Objects.requireNonNull(p.value())));
    if (m.isEmpty()) {
      m.put(-1L, -1.0); // lets callers use lastKey()
    }
    return m;
  }
}
