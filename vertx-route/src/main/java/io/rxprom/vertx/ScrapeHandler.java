package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves a registry's metrics on a route of your own router: the scrape endpoint.
 *
 * <pre>{@code
 * router.route("/metrics").handler(ScrapeHandler.create(registry));
 * }</pre>
 *
 * <p>Mount it with {@code route(path)}, not {@code get(path)}, so that it answers other methods
 * itself. For each request it:
 *
 * <ul>
 *   <li>answers 401 with a {@code WWW-Authenticate} challenge and no metrics when credentials are
 *       configured ({@link Builder#basicAuth}, {@link Builder#bearerToken}) and the request's
 *       {@code Authorization} header does not carry them;
 *   <li>answers 405 with {@code Allow: GET, HEAD} to any method but GET and HEAD;
 *   <li>answers 400 to a query string that is not valid percent-encoded UTF-8;
 *   <li>restricts the output to the families named by repeated {@code name[]} parameters
 *       (matched by family or sample name, see {@link MetricRegistry#nameFilter});
 *   <li>negotiates the format from {@code Accept} ({@code
 *       io.rxprom.core.exposition.ExpositionFormat#negotiate}: OpenMetrics 1.0.0 for Prometheus
 *       2.x and 3.x, the text format 0.0.4 otherwise) and sends its exact {@code Content-Type};
 *   <li>gzips the body when {@code Accept-Encoding} accepts gzip;
 *   <li>answers HEAD with the headers of the GET, {@code Content-Length} included;
 *   <li>answers 500 with a short text, never a stack trace, if the scrape fails (the exception
 *       is logged).
 * </ul>
 *
 * <p><b>Event loop.</b> The snapshot, the text and the gzip are all made on a Vert.x worker
 * thread ({@code executeBlocking}); the event loop only parses the request, then sends the
 * finished body in slices of {@value ScrapeHandlerImpl#SLICE_BYTES} bytes, the next slice when
 * the previous one has been written, so that other connections on the same loop are served in
 * between. The response has a {@code Content-Length}.
 *
 * <p>Thread-safe: one instance may serve any number of routers and event loops. {@code handle}
 * never blocks: it returns once the scrape is handed to a worker.
 */
public interface ScrapeHandler extends Handler<RoutingContext> {

  /** A handler for {@code registry}, without authentication, with OpenMetrics {@code _created}. */
  static ScrapeHandler create(MetricRegistry registry) {
    return builder(registry).build();
  }

  /** A builder for a handler serving {@code registry}. */
  static Builder builder(MetricRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("ScrapeHandler: registry is null");
    }
    return new Builder(registry);
  }

  /** Configures a {@link ScrapeHandler}. Not thread-safe; {@link #build()} copies it. */
  final class Builder {
    final MetricRegistry registry;
    String basicUser;
    String basicPassword;
    String bearerToken;
    String realm = "metrics";
    boolean openMetricsCreated = true;

    private Builder(MetricRegistry registry) {
      this.registry = registry;
    }

    /**
     * Requires HTTP basic authentication with this user and password (compared in constant
     * time, as UTF-8). May be combined with {@link #bearerToken}: either then admits.
     *
     * @throws IllegalArgumentException if the user is null, empty or contains ':', or the
     *     password is null or empty
     */
    public Builder basicAuth(String user, String password) {
      if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "ScrapeHandler: basic auth user must be non-empty without ':', got "
                + (user == null ? "null" : "'" + user + "'"));
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("ScrapeHandler: basic auth password must be non-empty");
      }
      this.basicUser = user;
      this.basicPassword = password;
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} (compared in constant time).
     *
     * @throws IllegalArgumentException if the token is null, empty, or has characters outside
     *     the RFC 6750 token68 alphabet
     */
    public Builder bearerToken(String token) {
      if (token == null || !token.matches("[A-Za-z0-9\\-._~+/]+=*")) {
        throw new IllegalArgumentException(
            "ScrapeHandler: bearer token must be a non-empty RFC 6750 token68 "
                + "([A-Za-z0-9-._~+/]+=*), got " + (token == null ? "null" : "a string of length " + token.length()));
      }
      this.bearerToken = token;
      return this;
    }

    /** The realm named in {@code WWW-Authenticate} challenges; default {@code metrics}. */
    public Builder realm(String realm) {
      if (realm == null || realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
        throw new IllegalArgumentException(
            "ScrapeHandler: realm must be non-empty without '\"' or '\\', got " + realm);
      }
      this.realm = realm;
      return this;
    }

    /**
     * Whether OpenMetrics responses carry the {@code _created} samples of counters, histograms
     * and summaries; default true. The text format 0.0.4 has none either way.
     */
    public Builder openMetricsCreated(boolean on) {
      this.openMetricsCreated = on;
      return this;
    }

    /** Builds the handler. */
    public ScrapeHandler build() {
      return new ScrapeHandlerImpl(this);
    }
  }
}
