package io.rxprom.reactor;

import io.rxprom.core.MetricRegistry;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/**
 * Static entry points that time Reactor pipelines into the default metrics on {@link
 * MetricRegistry#defaultRegistry()}.
 *
 * <pre>{@code
 * Mono<Response> r = handler(request).transform(Metrics.timed("/foo"));   // stays a Mono
 * Flux<Event> f = events().transform(Metrics.timed("/stream"));          // stays a Flux
 * Metrics.defaults().init("/foo", "/stream");                             // series before first use
 * }</pre>
 *
 * <p>The default metrics are:
 * <ul>
 *   <li>{@value ReactorMetrics#DEFAULT_LATENCY_NAME}{@code {path, outcome}}: a histogram of the
 *       seconds from subscription to the terminal signal, with {@code outcome} one of {@code
 *       success}, {@code empty}, {@code error}, {@code cancelled}, and the default buckets;
 *   <li>{@value ReactorMetrics#DEFAULT_ERRORS_NAME}{@code {path}}: a counter of errors.
 * </ul>
 * They are registered on the first call. Use {@link ReactorMetrics#builder} for other names,
 * types, labels, a registry of your own or the seed's exact metrics. Semantics: see {@link
 * ReactorMetrics}.
 *
 * <p>Thread-safe.
 */
public final class Metrics {

  private static volatile ReactorMetrics defaults;

  private Metrics() {}

  /**
   * The operator that times every subscription under {@code path} in the default metrics; the
   * same as {@code Metrics.defaults().timed(path)}.
   *
   * @throws IllegalArgumentException if {@code path} is null, or the default registry already
   *     has a family of a default name (then configure other names with {@link
   *     ReactorMetrics#builder})
   */
  public static <T> Function<Publisher<T>, Publisher<T>> timed(String path) {
    return defaults().timed(path);
  }

  /** The default metrics on {@link MetricRegistry#defaultRegistry()}, registered on first use. */
  public static ReactorMetrics defaults() {
    ReactorMetrics d = defaults;
    if (d == null) {
      synchronized (Metrics.class) {
        d = defaults;
        if (d == null) {
          d = ReactorMetrics.defaults(MetricRegistry.defaultRegistry());
          defaults = d;
        }
      }
    }
    return d;
  }
}
