package io.rxprom.vertx;

import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * Times every HTTP request a {@link io.vertx.ext.web.Router} handles, from its arrival at this
 * handler to the end of its response, and labels it by the matched route <em>template</em>, the
 * method and the status code. Mount it first, before every other route:
 *
 * <pre>{@code
 * router.route().handler(MetricsHandler.create(registry));
 * router.get("/users/:id").handler(...);   // requests to /users/42 are labelled route="/users/:id"
 * }</pre>
 *
 * <p>It registers four families with the registry (names are the defaults, see {@link Builder}):
 *
 * <ul>
 *   <li>{@value #DEFAULT_DURATION_NAME}{@code {route,method,status}}: a histogram (or a summary)
 *       of the seconds from arrival to the end of the response, for every request that got a
 *       complete response;
 *   <li>{@value #DEFAULT_FAILURES_NAME}{@code {route,method,reason}}: failed requests, with
 *       {@code reason} one of {@code exception} (a handler threw, or called {@code
 *       fail(Throwable)}), {@code fail} ({@code ctx.fail(status)}) and {@code server_error} (a 5xx
 *       response ended normally);
 *   <li>{@value #DEFAULT_DISCONNECTS_NAME}{@code {route,method}}: requests whose connection closed
 *       (or whose HTTP/2 stream was reset) before the response was ended; they are not in the
 *       duration family;
 *   <li>{@value #DEFAULT_IN_FLIGHT_NAME}{@code {route,method}}: requests being handled.
 * </ul>
 *
 * <p><b>The route label</b> is {@link io.vertx.ext.web.Route#getName()} of the route that
 * answered: its name if one was set, else its path template ({@code /users/:id}; a prefix route
 * is written {@code /static/*}), else its regular expression. The raw path never becomes a label
 * value. A request answered by no route with a path (404, 405, or a catch-all handler without a
 * name) gets the fixed value {@value #DEFAULT_UNMATCHED_ROUTE}. A request handled by a sub-router
 * is labelled with the mount route ({@code /api/*}); mount the same handler first in the
 * sub-router too ({@code api.route().handler(metrics)}) and the label joins both templates
 * ({@code /api/users/:id}), still measured once. When a request failed ({@code ctx.fail} or
 * an exception), Vert.x Web forgets the route before failure handling; the label is then the last
 * route of the router, in routing order, whose method and path match the request: the endpoint
 * the request was for. In-flight requests are counted under the route that holds them when this
 * handler's {@code next()} returns; a request held by a catch-all handler (a router-wide {@code
 * BodyHandler} reading the body) counts under {@value #DEFAULT_UNMATCHED_ROUTE} until its body
 * has arrived, then under the route it was routed to.
 * Methods outside the nine of RFC 9110 and 5789 are labelled {@code _OTHER}.
 *
 * <p><b>Cost.</b> Per request: one allocation of the request's state, two {@link System#nanoTime()}
 * calls, one identity-keyed map lookup of the route, a scan of a few status codes, and striped
 * adds. Label strings and series are resolved once per (route, method, status) and cached.
 *
 * <p>Thread-safe: one instance serves every event loop. Recording is lock-free; the first request
 * of a new (route, method, status) takes a lock once to create its series.
 */
public interface MetricsHandler extends Handler<RoutingContext> {

  /** Default name of the latency family. */
  String DEFAULT_DURATION_NAME = "http_server_request_duration_seconds";

  /** Default name of the failures family. */
  String DEFAULT_FAILURES_NAME = "http_server_request_failures_total";

  /** Default name of the disconnects family. */
  String DEFAULT_DISCONNECTS_NAME = "http_server_request_disconnects_total";

  /** Default name of the in-flight family. */
  String DEFAULT_IN_FLIGHT_NAME = "http_server_requests_in_flight";

  /** Default route label value of requests that no route with a path answered. */
  String DEFAULT_UNMATCHED_ROUTE = "unmatched";

  /** A handler with the defaults, registering its families with {@code registry}. */
  static MetricsHandler create(MetricRegistry registry) {
    return builder(registry).build();
  }

  /** A builder for a handler that registers its families with {@code registry}. */
  static Builder builder(MetricRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("MetricsHandler: registry is null");
    }
    return new Builder(registry);
  }

  /**
   * Configures a {@link MetricsHandler}. Names and label names are checked by the metric builders
   * of core when {@link #build()} registers the families.
   *
   * <p>Not thread-safe; {@link #build()} copies what it needs.
   */
  final class Builder {
    final MetricRegistry registry;
    String durationName = DEFAULT_DURATION_NAME;
    String failuresName = DEFAULT_FAILURES_NAME;
    String disconnectsName = DEFAULT_DISCONNECTS_NAME;
    String inFlightName = DEFAULT_IN_FLIGHT_NAME;
    String routeLabel = "route";
    String methodLabel = "method";
    String statusLabel = "status";
    String reasonLabel = "reason";
    String unmatchedRoute = DEFAULT_UNMATCHED_ROUTE;
    boolean summary;
    double[] buckets = Histogram.DEFAULT_BUCKETS.clone();
    double[] quantiles = {0.5, 0.9, 0.99};

    private Builder(MetricRegistry registry) {
      this.registry = registry;
    }

    /** Name of the latency family; default {@value MetricsHandler#DEFAULT_DURATION_NAME}. */
    public Builder durationName(String name) {
      this.durationName = nonNull("durationName", name);
      return this;
    }

    /** Name of the failures counter; default {@value MetricsHandler#DEFAULT_FAILURES_NAME}. */
    public Builder failuresName(String name) {
      this.failuresName = nonNull("failuresName", name);
      return this;
    }

    /** Name of the disconnects counter; default {@value MetricsHandler#DEFAULT_DISCONNECTS_NAME}. */
    public Builder disconnectsName(String name) {
      this.disconnectsName = nonNull("disconnectsName", name);
      return this;
    }

    /** Name of the in-flight gauge; default {@value MetricsHandler#DEFAULT_IN_FLIGHT_NAME}. */
    public Builder inFlightName(String name) {
      this.inFlightName = nonNull("inFlightName", name);
      return this;
    }

    /** Name of the route label; default {@code route}. */
    public Builder routeLabel(String name) {
      this.routeLabel = nonNull("routeLabel", name);
      return this;
    }

    /** Name of the method label, or null to leave the method out; default {@code method}. */
    public Builder methodLabel(String name) {
      this.methodLabel = name;
      return this;
    }

    /** Name of the status label, or null to leave the status out; default {@code status}. */
    public Builder statusLabel(String name) {
      this.statusLabel = name;
      return this;
    }

    /** Name of the failure reason label; default {@code reason}. */
    public Builder reasonLabel(String name) {
      this.reasonLabel = nonNull("reasonLabel", name);
      return this;
    }

    /**
     * The route label value of requests that no route with a path answered; default {@value
     * MetricsHandler#DEFAULT_UNMATCHED_ROUTE}.
     */
    public Builder unmatchedRoute(String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            "MetricsHandler: unmatchedRoute must be a non-empty string, got "
                + (value == null ? "null" : "\"\""));
      }
      this.unmatchedRoute = value;
      return this;
    }

    /**
     * Record latency in a histogram with these bucket upper bounds (the default, with {@link
     * Histogram#DEFAULT_BUCKETS}).
     */
    public Builder histogram(double... buckets) {
      if (buckets == null) {
        throw new IllegalArgumentException("MetricsHandler: histogram buckets are null");
      }
      this.summary = false;
      this.buckets = buckets.clone();
      return this;
    }

    /** Record latency in a summary with these quantiles (default .5, .9, .99). */
    public Builder summary(double... quantiles) {
      if (quantiles == null) {
        throw new IllegalArgumentException("MetricsHandler: summary quantiles are null");
      }
      this.summary = true;
      this.quantiles = quantiles.clone();
      return this;
    }

    /**
     * Builds the handler and registers its four families.
     *
     * @throws IllegalArgumentException if a name, a label name or a bucket is invalid, or a name
     *     is taken in the registry
     */
    public MetricsHandler build() {
      if (methodLabel != null && methodLabel.equals(statusLabel)
          || routeLabel.equals(methodLabel) || routeLabel.equals(statusLabel)) {
        throw new IllegalArgumentException(
            "MetricsHandler: label names must differ, got route='" + routeLabel + "', method='"
                + methodLabel + "', status='" + statusLabel + "'");
      }
      return new MetricsHandlerImpl(this);
    }

    @Override
    public String toString() {
      return "MetricsHandler.Builder[" + durationName + ", " + failuresName + ", "
          + disconnectsName + ", " + inFlightName + ", labels " + routeLabel + "/" + methodLabel
          + "/" + statusLabel + ", " + (summary ? "summary " + Arrays.toString(quantiles)
              : "histogram " + Arrays.toString(buckets)) + "]";
    }

    private static String nonNull(String what, String value) {
      if (value == null) {
        throw new IllegalArgumentException("MetricsHandler: " + what + " is null");
      }
      return value;
    }
  }
}
