package io.rxprom.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a steady rate of GET requests, cycling through a list of paths, so that a newcomer sees
 * the numbers move without another tool ({@code --load RATE}).
 *
 * <p>Pacing is by elapsed time, not by counting timer ticks: every {@value #TICK_MILLIS} ms it
 * sends what is due since the start ({@code rate x elapsed - sent}), so a late tick catches up
 * and the long-run rate is exact. Concurrency is bounded: at most {@code maxInFlight} requests are
 * outstanding (one pooled keep-alive connection each); a send that is due while the bound is
 * reached is skipped and counted in {@link #skipped()}, never queued, so a slow server cannot make
 * the generator grow without bound.
 *
 * <p>Thread-safe to read: all state changes happen on the verticle's event loop; the counters
 * are atomics only so that other threads can read them.
 */
final class LoadGenerator extends VerticleBase {

  static final int TICK_MILLIS = 10;
  static final int DEFAULT_MAX_IN_FLIGHT = 256;
  static final int REQUEST_TIMEOUT_MILLIS = 10_000;
  static final int SHUTDOWN_GRACE_MILLIS = 3_000;

  private final String host;
  private final int port;
  private final double ratePerSecond;
  private final int maxInFlight;
  private final List<String> paths;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private int inFlight;
  private long due;
  private int next;
  private long startNanos;
  private long timerId = -1;
  private HttpClient client;

  /**
   * @param host the server's host as a client reaches it
   * @param port the server's port
   * @param ratePerSecond requests per second, more than 0
   * @param maxInFlight the most requests outstanding at once, at least 1
   * @param paths the paths to request, in turn
   */
  LoadGenerator(String host, int port, double ratePerSecond, int maxInFlight, List<String> paths) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("load rate must be a positive number, got " + ratePerSecond);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("paths must not be empty");
    }
    this.host = host;
    this.port = port;
    this.ratePerSecond = ratePerSecond;
    this.maxInFlight = maxInFlight;
    this.paths = List.copyOf(paths);
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(maxInFlight));
    startNanos = System.nanoTime();
    timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    return Future.succeededFuture();
  }

  /**
   * Stops sending, then gives the requests in flight up to {@value #SHUTDOWN_GRACE_MILLIS} ms to
   * complete before the connections are closed.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return client.shutdown(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long target = (long) ((System.nanoTime() - startNanos) * ratePerSecond / 1e9);
    while (due < target) {
      due++;
      if (inFlight >= maxInFlight) {
        skipped.incrementAndGet();
      } else {
        send(paths.get(next));
        next = (next + 1) % paths.size();
      }
    }
  }

  private void send(String path) {
    inFlight++;
    sent.incrementAndGet();
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .setIdleTimeout(REQUEST_TIMEOUT_MILLIS);
    client
        .request(request)
        .compose(req -> req.send())
        .compose(HttpClientResponse::end)
        .onComplete(
            ar -> {
              inFlight--;
              (ar.succeeded() ? answered : failed).incrementAndGet();
            });
  }

  /** Requests sent so far. */
  long sent() {
    return sent.get();
  }

  /** Sends skipped because {@code maxInFlight} requests were outstanding. */
  long skipped() {
    return skipped.get();
  }

  /** Requests that got a whole response (of any status). */
  long answered() {
    return answered.get();
  }

  /** Requests that got no response: connection refused or reset, or timed out. */
  long failed() {
    return failed.get();
  }
}
