package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.CallbackMetric;
import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against plain TCP peers the test controls: one that stops reading (a slow carbon)
 * and a port where nothing listens (carbon down). The counts are exact here because the
 * connection never breaks: every rendered line is either received or counted as dropped.
 */
class GraphiteBridgeTest {

  private Vertx vertx;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger jul = Logger.getLogger(GraphiteBridge.class.getName());

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    jul.addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    jul.removeHandler(capture);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private long warnings() {
    return logged.stream().filter(r -> r.getLevel() == Level.WARNING).count();
  }

  /** Lines per tick for this registry: every series is one line, whatever its value. */
  private static int linesPerTick(MetricRegistry r) {
    return new GraphiteLineWriter("p", false).write(r.scrape(), 0).stream()
        .mapToInt(GraphiteLineWriter.Chunk::lines).sum();
  }

  @Test
  void aCarbonThatStopsReadingCostsBoundedMemoryAndEveryLineIsSentOrCountedAsDropped()
      throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder("load").labelNames("series").register(registry);
    String pad = "x".repeat(80);
    for (int i = 0; i < 2000; i++) {
      c.labels(pad + i).inc(i);
    }
    long maxBuffered = 512 * 1024;
    CountDownLatch reading = new CountDownLatch(1);
    AtomicLong ticks = new AtomicLong();
    try (ServerSocket server = new ServerSocket()) {
      server.setReceiveBufferSize(4096);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<long[]> received = CompletableFuture.supplyAsync(() -> readAll(server, reading));
      GraphiteBridgeImpl bridge = new GraphiteBridgeImpl(vertx, registry,
          GraphiteOptions.builder("127.0.0.1", server.getLocalPort()).prefix("p")
              .interval(Duration.ofMillis(50)).maxBufferedBytes(maxBuffered).build(),
          () -> {
            ticks.incrementAndGet();
            return System.currentTimeMillis() / 1000;
          });
      int perTick = linesPerTick(registry);
      bridge.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (bridge.droppedSamples() < 10L * perTick && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(bridge.droppedSamples()).as("the stalled peer made the bridge drop").isGreaterThan(0);
      assertThat(bridge.peakBufferedBytes()).isLessThanOrEqualTo(maxBuffered);
      assertThat(warnings()).as("a slow carbon is no outage: nothing logged").isZero();

      reading.countDown(); // carbon reads again: the bridge catches up
      Thread.sleep(500);
      await(bridge.stop());
      long[] got = received.get(20, TimeUnit.SECONDS);
      assertThat(got[1]).as("no partial line").isZero();
      assertThat(got[0] + bridge.droppedSamples()).isEqualTo(ticks.get() * perTick);
      assertThat(got[0]).as("it caught up after the stall").isGreaterThan(2L * perTick);
      assertThat(registry.scrape().families())
          .as("stop() unregisters the dropped counter")
          .noneMatch(f -> f.name().startsWith("rxprom_graphite_dropped"));
    }
  }

  /** {lines, bytes after the last newline} read from the first connection until it closes. */
  private static long[] readAll(ServerSocket server, CountDownLatch reading) {
    try (Socket s = server.accept()) {
      reading.await();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long lines = 0;
      long tail = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          tail++;
          if (buf[i] == '\n') {
            lines++;
            tail = 0;
          }
        }
      }
      return new long[] {lines, tail};
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void whileCarbonIsDownItLogsOnceRetriesAndStopCountsWhatWasNeverSent() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    MetricRegistry registry = new MetricRegistry();
    Counter.builder("c").register(registry).inc();
    AtomicLong ticks = new AtomicLong();
    GraphiteBridgeImpl bridge = new GraphiteBridgeImpl(vertx, registry,
        GraphiteOptions.builder("127.0.0.1", closedPort).interval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).build(),
        () -> {
          ticks.incrementAndGet();
          return System.currentTimeMillis() / 1000;
        });
    int perTick = linesPerTick(registry); // c and the bridge's own counter
    bridge.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (ticks.get() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(20); // 10 ticks take half a second, more on a busy machine
    }
    assertThat(ticks.get()).isGreaterThanOrEqualTo(10);
    long t0 = System.nanoTime();
    await(bridge.stop());
    assertThat(System.nanoTime() - t0).as("stop() does not wait for carbon")
        .isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(warnings()).as("one warning for the whole outage").isEqualTo(1);
    assertThat(new java.util.logging.SimpleFormatter().formatMessage(logged.get(0)))
        .contains("127.0.0.1:" + closedPort, "Connection refused");
    assertThat(perTick).isEqualTo(2);
    assertThat(bridge.droppedSamples()).isEqualTo(ticks.get() * perTick);
    assertThatThrownBy(bridge::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theRegistryIsScrapedOnAWorkerNotOnTheBridgesEventLoop() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    List<String> scrapedOn = new CopyOnWriteArrayList<>();
    CallbackMetric.gauge("thread_probe").callback(() -> {
      scrapedOn.add(Thread.currentThread().getName());
      return 1;
    }).register(registry);
    CompletableFuture<GraphiteBridge> created = new CompletableFuture<>();
    vertx.runOnContext(v -> created.complete(GraphiteBridge.create(vertx, registry,
        GraphiteOptions.builder("127.0.0.1", 1).interval(Duration.ofMillis(20)).build()).start()));
    GraphiteBridge bridge = created.get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (scrapedOn.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    await(bridge.stop());
    assertThat(scrapedOn).hasSizeGreaterThanOrEqualTo(3).allMatch(t -> t.startsWith("vert.x-worker-thread"));
  }

  @Test
  void secondBridgeOnTheSameStatsRegistryIsRefusedWithAClearMessage() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    GraphiteOptions o = GraphiteOptions.builder("127.0.0.1:2003").build();
    GraphiteBridge first = GraphiteBridge.create(vertx, registry, o);
    assertThatThrownBy(() -> GraphiteBridge.create(vertx, registry, o))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rxprom_graphite_dropped_samples");
    GraphiteBridge second = GraphiteBridge.create(vertx, registry,
        GraphiteOptions.builder("127.0.0.1:2003").statsRegistry(new MetricRegistry()).build());
    await(first.stop());
    await(second.stop());
  }

  @Test
  void optionsRejectBadInputNamingTheRule() {
    assertThatThrownBy(() -> GraphiteOptions.builder("h", 2003).prefix("a..b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a..b'");
    assertThatThrownBy(() -> GraphiteOptions.builder("h", 2003).prefix("a b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-zA-Z0-9_-]");
    assertThatThrownBy(() -> GraphiteOptions.builder("h:x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> GraphiteOptions.builder("h", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> GraphiteOptions.builder("h", 1).maxBufferedBytes(10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBufferedBytes");
    assertThatThrownBy(() -> GraphiteOptions.builder("h", 1).interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    GraphiteOptions o = GraphiteOptions.builder("carbon.example.org:2004").build();
    assertThat(o.host()).isEqualTo("carbon.example.org");
    assertThat(o.port()).isEqualTo(2004);
    assertThat(GraphiteOptions.builder("[::1]:2005").build().host()).isEqualTo("::1");
    assertThat(GraphiteOptions.builder("carbon").build().port()).isEqualTo(2003);
  }
}
