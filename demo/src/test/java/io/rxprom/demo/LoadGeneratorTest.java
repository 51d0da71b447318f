package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The self-load generator against a real Vert.x server. */
class LoadGeneratorTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpServer server(io.vertx.core.Handler<HttpServerRequest> handler) throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(handler)
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsTheRateInTurnToEachPathAndNeverAheadOfTime() throws Exception {
    Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
    HttpServer server =
        server(
            req -> {
              byPath.computeIfAbsent(req.path(), p -> new LongAdder()).increment();
              req.response().end("ok");
            });
    double rate = 200;
    LoadGenerator load =
        new LoadGenerator("127.0.0.1", server.actualPort(), rate, 64, List.of("/foo", "/bar"));
    long before = System.nanoTime();
    String id = await(vertx.deployVerticle(load));
    long deadline = before + TimeUnit.SECONDS.toNanos(30);
    while (load.answered() < 150 && System.nanoTime() - deadline < 0) {
      long sent = load.sent() + load.skipped();
      double seconds = (System.nanoTime() - before) / 1e9;
      // Pacing is by time elapsed since the start: it may fall behind on a busy machine and then
      // catch up, but it can never run ahead of rate x time.
      assertThat((double) sent).isLessThanOrEqualTo(rate * seconds + 1);
      Thread.sleep(20);
    }
    // Undeploying lets the requests in flight finish.
    await(vertx.undeploy(id));
    assertThat(load.answered()).isGreaterThanOrEqualTo(150);
    // On a slow machine the first connections take long and sends may be skipped then; every
    // request that was sent got its answer.
    assertThat(load.failed()).isZero();
    assertThat(load.answered()).isEqualTo(load.sent());
    long foo = byPath.get("/foo").sum();
    long bar = byPath.get("/bar").sum();
    assertThat(byPath).containsOnlyKeys("/foo", "/bar");
    assertThat(foo + bar).isEqualTo(load.sent());
    assertThat(foo - bar).isBetween(0L, 1L);
  }

  @Test
  void neverHasMoreThanMaxInFlightOutstandingAndCountsWhatItSkips() throws Exception {
    AtomicInteger open = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    // Takes requests and never answers them.
    HttpServer server =
        server(
            req -> {
              int now = open.incrementAndGet();
              mostOpen.accumulateAndGet(now, Math::max);
            });
    LoadGenerator load = new LoadGenerator("127.0.0.1", server.actualPort(), 500, 5, List.of("/foo"));
    String id = await(vertx.deployVerticle(load));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((open.get() < 5 || load.skipped() < 100) && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    assertThat(load.sent()).isEqualTo(5);
    assertThat(load.skipped()).isGreaterThanOrEqualTo(100);
    assertThat(mostOpen.get()).isEqualTo(5);
    await(vertx.undeploy(id));
    assertThat(mostOpen.get()).isEqualTo(5);
    assertThat(load.answered()).isZero();
  }

  @Test
  void refusedConnectionsAreCountedNotThrown() throws Exception {
    HttpServer server = server(req -> req.response().end());
    int port = server.actualPort();
    await(server.close());
    LoadGenerator load = new LoadGenerator("127.0.0.1", port, 100, 8, List.of("/foo"));
    String id = await(vertx.deployVerticle(load));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (load.failed() < 5 && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    await(vertx.undeploy(id));
    assertThat(load.sent()).isPositive();
    assertThat(load.answered()).isZero();
    // Requests still connecting at undeploy may end either way; all others failed.
    assertThat(load.failed()).isGreaterThanOrEqualTo(5).isLessThanOrEqualTo(load.sent());
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new LoadGenerator("h", 1, 0, 1, List.of("/")))
        .hasMessage("load rate must be a positive number, got 0.0");
    assertThatThrownBy(() -> new LoadGenerator("h", 1, 1, 0, List.of("/")))
        .hasMessage("maxInFlight must be at least 1, got 0");
    assertThatThrownBy(() -> new LoadGenerator("h", 1, 1, 1, List.of())).hasMessage("paths must not be empty");
  }
}
