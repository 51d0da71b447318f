package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Vertx;

/**
 * The Vert.x part of the standard collectors: event-loop delay and pending tasks per loop (see
 * {@link EventLoopCollector}). Process and JVM metrics are in {@code
 * io.rxprom.core.collectors.StandardCollectors}; a Vert.x application registers both:
 *
 * <pre>{@code
 * StandardCollectors.register(registry);                  // process_*, jvm_*
 * VertxCollectors.register(vertx, registry);              // vertx_eventloop_*
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class VertxCollectors {

  private VertxCollectors() {}

  /**
   * Starts the event-loop checks of {@code vertx} with the defaults (every 100 ms) and registers
   * them with {@code registry}. {@link EventLoopCollector#close()} stops and unregisters them;
   * closing Vert.x does too.
   *
   * @throws IllegalArgumentException if {@code vertx} or {@code registry} is null, or the
   *     registry has the event-loop families already
   */
  public static EventLoopCollector register(Vertx vertx, MetricRegistry registry) {
    return EventLoopCollector.builder(vertx).register(registry);
  }
}
