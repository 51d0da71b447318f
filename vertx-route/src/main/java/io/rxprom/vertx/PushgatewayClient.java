package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Pushes a registry to a Prometheus Pushgateway, for batch jobs and for places Prometheus cannot
 * scrape.
 *
 * <pre>{@code
 * PushgatewayClient client = PushgatewayClient.create(vertx, PushgatewayOptions.builder("http://pg:9091").build());
 * client.push(registry, "nightly_backup", Map.of("instance", "db-1"))
 *     .onFailure(e -> log.warn("push failed: {}", e.getMessage()));
 * }</pre>
 *
 * <p>The URL is {@code <base>/metrics/job/<job>{/<label>/<value>}}, one pair per grouping key
 * entry, in the map's iteration order. A job or value that contains {@code /}, is empty, is
 * {@code .} or {@code ..}, or has characters outside {@code [A-Za-z0-9._~:-]} is sent as {@code
 * <label>@base64/<url-safe base64>} (an empty value as {@code @base64/=}); the gateway decodes it.
 * The body is the text format 0.0.4 ({@code ExpositionFormat.PROMETHEUS_TEXT_0_0_4}).
 *
 * <p>Failures complete the {@code Future} with a {@link PushgatewayException} whose {@link
 * PushgatewayException#kind() kind} says what happened: {@code REJECTED} (HTTP 400, with the
 * gateway's message), {@code HTTP_ERROR}, {@code CONNECTION_REFUSED}, {@code TIMEOUT} or {@code
 * TRANSPORT}. Bad arguments (an empty job, an invalid label name) throw {@link
 * IllegalArgumentException} at once.
 *
 * <p>Thread-safe, non-blocking: any thread may call any method. The registry is scraped and
 * rendered on a worker thread ({@code executeBlocking}), so a big registry never holds up an
 * event loop; the request itself is Vert.x's non-blocking HTTP client.
 */
public interface PushgatewayClient {

  /** A client for the gateway {@code options} names. Close it with {@link #close()}. */
  static PushgatewayClient create(Vertx vertx, PushgatewayOptions options) {
    return new PushgatewayClientImpl(vertx, options);
  }

  /** PUT: replaces every metric of the group {@code job} + {@code groupingKey} with the registry's. */
  default Future<Void> push(MetricRegistry registry, String job, Map<String, String> groupingKey) {
    return push(registry, null, job, groupingKey);
  }

  /** PUT of the families {@code familyFilter} accepts (null: all); see {@link MetricRegistry#scrape(Predicate)}. */
  Future<Void> push(
      MetricRegistry registry, Predicate<String> familyFilter, String job, Map<String, String> groupingKey);

  /** POST: replaces only the group's metrics that have the same names as the pushed ones. */
  default Future<Void> pushAdd(MetricRegistry registry, String job, Map<String, String> groupingKey) {
    return pushAdd(registry, null, job, groupingKey);
  }

  /** POST of the families {@code familyFilter} accepts (null: all). */
  Future<Void> pushAdd(
      MetricRegistry registry, Predicate<String> familyFilter, String job, Map<String, String> groupingKey);

  /** DELETE: removes the group {@code job} + {@code groupingKey} and all its metrics. */
  Future<Void> delete(String job, Map<String, String> groupingKey);

  /** Closes the HTTP client; requests in flight fail. */
  Future<Void> close();
}
