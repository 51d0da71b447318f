package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sends every sample of a registry to a Graphite carbon receiver, in the plaintext protocol
 * ({@code <path> <value> <unix-seconds>\n} over TCP), on a fixed schedule.
 *
 * <pre>{@code
 * GraphiteBridge bridge = GraphiteBridge.create(vertx, registry,
 *     GraphiteOptions.builder("carbon.example.org", 2003).prefix("myapp").build()).start();
 * ...
 * bridge.stop();   // a Future that completes when the socket is closed
 * }</pre>
 *
 * <p>Every {@link GraphiteOptions#interval() interval} (and once right at {@link #start()}) the
 * bridge scrapes the registry and renders its lines on a worker thread, stamps them with the
 * current second and queues them for one long-lived connection (a tick that finds the previous
 * scrape still running is skipped). Paths and sample names are
 * those of the Prometheus Python client's bridge; see {@code vertx-route/PUSH.md}.
 *
 * <p>When carbon is down or slow the schedule goes on: lines wait in a buffer bounded by {@link
 * GraphiteOptions#maxBufferedBytes()}, the oldest dropped first and counted in {@value
 * GraphiteOptions#DROPPED_SAMPLES_METRIC}; the bridge reconnects with capped exponential
 * backoff, logs once when an outage starts and once when it ends, and then sends what it
 * buffered, with the original timestamps. It writes no faster than the socket drains.
 *
 * <p>Thread-safe: every method may be called from any thread. The bridge runs on one Vert.x
 * context (the caller's context at {@link #create}, or a new one); it never blocks it.
 */
public interface GraphiteBridge {

  /**
   * A stopped bridge for {@code registry}. It registers its counter {@value
   * GraphiteOptions#DROPPED_SAMPLES_METRIC} now, in {@link GraphiteOptions#statsRegistry()} or
   * else in {@code registry}.
   *
   * @throws IllegalArgumentException if that registry has such a counter already (another
   *     bridge's)
   */
  static GraphiteBridge create(Vertx vertx, MetricRegistry registry, GraphiteOptions options) {
    return new GraphiteBridgeImpl(vertx, registry, options);
  }

  /**
   * Connects and starts the schedule: a first send now, then one every interval. Returns at
   * once; a carbon that is not reachable yet is retried in the background.
   *
   * @throws IllegalStateException if the bridge was started before
   */
  GraphiteBridge start();

  /**
   * Stops the schedule, writes what is buffered if connected (waiting at most the connect
   * timeout for the socket to take it), and closes the socket. Lines not written are counted as
   * dropped. Idempotent; the bridge cannot be started again. Also unregisters the dropped
   * counter.
   */
  Future<Void> stop();

  /** Samples dropped so far: buffer overflow, or still buffered at {@link #stop()}. */
  long droppedSamples();
}
