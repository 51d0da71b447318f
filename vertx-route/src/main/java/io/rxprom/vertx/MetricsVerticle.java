package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An HTTP server of its own for the metrics, as the Python client's {@code
 * start_http_server(8000)}: deploy it and Prometheus can scrape.
 *
 * <pre>{@code
 * vertx.deployVerticle(MetricsVerticle.create(registry));               // 0.0.0.0:8000
 * vertx.deployVerticle(MetricsVerticle.builder(registry)
 *     .host("127.0.0.1").port(9400)
 *     .tlsPemFiles("key.pem", "cert.pem").basicAuth("prometheus", secret)
 *     .landingHandler(ctx -> ctx.end(myDashboard()))
 *     .build());
 * }</pre>
 *
 * <p>It serves:
 *
 * <ul>
 *   <li>the metrics path ({@value #DEFAULT_METRICS_PATH}): a {@link ScrapeHandler}, with its
 *       content negotiation, gzip, {@code name[]} filter, 405/400 answers and credentials;
 *   <li>{@value #HEALTH_PATH}: 200 {@code OK} to GET and HEAD, without credentials;
 *   <li>{@code /}: a small HTML page linking to the metrics, or your own page or handler ({@link
 *       Builder#landingPage}, {@link Builder#landingHandler}), without credentials;
 *   <li>any routes added with {@link Builder#configureRouter}.
 * </ul>
 *
 * <p>One instance deploys once. Its server runs on the verticle's event loop; scrapes render on
 * worker threads (see {@link ScrapeHandler}). {@link #actualPort()} is thread-safe.
 */
public final class MetricsVerticle extends VerticleBase {

  /** The port of {@link #create(MetricRegistry)}: the seed's {@code start_http_server(8000)}. */
  public static final int DEFAULT_PORT = 8000;

  /** The default path of the metrics. */
  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** The health path, as Prometheus' own. */
  public static final String HEALTH_PATH = "/-/healthy";

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  private final Builder config;
  private final ScrapeHandler scrape;
  private volatile HttpServer server;

  private MetricsVerticle(Builder b) {
    this.config = b.copy();
    ScrapeHandler.Builder sb = ScrapeHandler.builder(b.registry).openMetricsCreated(b.openMetricsCreated);
    if (b.basicUser != null) {
      sb.basicAuth(b.basicUser, b.basicPassword);
    }
    if (b.bearerToken != null) {
      sb.bearerToken(b.bearerToken);
    }
    this.scrape = sb.build();
  }

  /** A verticle serving {@code registry} on 0.0.0.0:{@value #DEFAULT_PORT}. */
  public static MetricsVerticle create(MetricRegistry registry) {
    return builder(registry).build();
  }

  /** A builder for a verticle serving {@code registry}. */
  public static Builder builder(MetricRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("MetricsVerticle: registry is null");
    }
    return new Builder(registry);
  }

  /** The port the server listens on, once started (useful with port 0); -1 before. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route(config.metricsPath).handler(scrape);
    router.route(HEALTH_PATH).handler(ctx -> {
      if (getOrHead(ctx)) {
        ScrapeHandlerImpl.plain(ctx.response(), 200, "OK\n");
      }
    });
    if (config.landingHandler != null) {
      router.route("/").handler(config.landingHandler);
    } else {
      Buffer page = Buffer.buffer(config.landingPage != null ? config.landingPage : defaultPage());
      router.route("/").handler(ctx -> {
        if (getOrHead(ctx)) {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(page);
        }
      });
    }
    if (config.configureRouter != null) {
      config.configureRouter.accept(router);
    }
    HttpServerOptions options = new HttpServerOptions().setHost(config.host).setPort(config.port);
    if (config.tls != null) {
      options.setSsl(true).setKeyCertOptions(config.tls);
    }
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  private static boolean getOrHead(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      return true;
    }
    ctx.response().putHeader(HttpHeaders.ALLOW, ScrapeHandlerImpl.ALLOW);
    ScrapeHandlerImpl.plain(ctx.response(), 405, "Method Not Allowed: use GET or HEAD\n");
    return false;
  }

  private String defaultPage() {
    String p = config.metricsPath; // validated: no characters that need HTML escaping
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Metrics</title></head>\n"
        + "<body><h1>Metrics</h1>\n<p><a href=\"" + p + "\">" + p + "</a> (Prometheus and OpenMetrics)</p>\n"
        + "<p><a href=\"" + HEALTH_PATH + "\">" + HEALTH_PATH + "</a></p>\n</body></html>\n";
  }

  /** Configures a {@link MetricsVerticle}. Not thread-safe; {@link #build()} copies it. */
  public static final class Builder {
    private final MetricRegistry registry;
    private String host = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private String metricsPath = DEFAULT_METRICS_PATH;
    private PemKeyCertOptions tls;
    private String basicUser;
    private String basicPassword;
    private String bearerToken;
    private boolean openMetricsCreated = true;
    private String landingPage;
    private Handler<RoutingContext> landingHandler;
    private Consumer<Router> configureRouter;

    private Builder(MetricRegistry registry) {
      this.registry = registry;
    }

    private Builder copy() {
      Builder b = new Builder(registry);
      b.host = host;
      b.port = port;
      b.metricsPath = metricsPath;
      b.tls = tls == null ? null : new PemKeyCertOptions(tls);
      b.basicUser = basicUser;
      b.basicPassword = basicPassword;
      b.bearerToken = bearerToken;
      b.openMetricsCreated = openMetricsCreated;
      b.landingPage = landingPage;
      b.landingHandler = landingHandler;
      b.configureRouter = configureRouter;
      return b;
    }

    /** The address to listen on; default {@code 0.0.0.0} (all), as the seed. */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("MetricsVerticle: host must be non-blank, got " + host);
      }
      this.host = host;
      return this;
    }

    /** The port, 0 for any free one; default {@value MetricsVerticle#DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("MetricsVerticle: port must be in [0, 65535], got " + port);
      }
      this.port = port;
      return this;
    }

    /** The path of the metrics; default {@value MetricsVerticle#DEFAULT_METRICS_PATH}. */
    public Builder metricsPath(String path) {
      if (path == null || !PATH.matcher(path).matches() || path.equals("/")
          || path.equals(HEALTH_PATH)) {
        throw new IllegalArgumentException(
            "MetricsVerticle: metrics path must match /[A-Za-z0-9._~/-]* and not be '/' or '"
                + HEALTH_PATH + "', got " + path);
      }
      this.metricsPath = path;
      return this;
    }

    /** Serves HTTPS with this PEM private key (PKCS#8 or PKCS#1) and certificate chain files. */
    public Builder tlsPemFiles(String keyPath, String certPath) {
      if (keyPath == null || certPath == null) {
        throw new IllegalArgumentException(
            "MetricsVerticle: TLS key and certificate paths are required, got " + keyPath + ", " + certPath);
      }
      this.tls = new PemKeyCertOptions().setKeyPath(keyPath).setCertPath(certPath);
      return this;
    }

    /** Serves HTTPS with this PEM private key and certificate chain. */
    public Builder tlsPem(Buffer key, Buffer cert) {
      if (key == null || cert == null) {
        throw new IllegalArgumentException("MetricsVerticle: TLS key and certificate are required");
      }
      this.tls = new PemKeyCertOptions().setKeyValue(key).setCertValue(cert);
      return this;
    }

    /** Requires HTTP basic authentication for the metrics; see {@link ScrapeHandler.Builder#basicAuth}. */
    public Builder basicAuth(String user, String password) {
      ScrapeHandler.builder(registry).basicAuth(user, password); // validates
      this.basicUser = user;
      this.basicPassword = password;
      return this;
    }

    /** Requires a bearer token for the metrics; see {@link ScrapeHandler.Builder#bearerToken}. */
    public Builder bearerToken(String token) {
      ScrapeHandler.builder(registry).bearerToken(token); // validates
      this.bearerToken = token;
      return this;
    }

    /** See {@link ScrapeHandler.Builder#openMetricsCreated}; default true. */
    public Builder openMetricsCreated(boolean on) {
      this.openMetricsCreated = on;
      return this;
    }

    /** The HTML served at {@code /} to GET and HEAD instead of the default page. */
    public Builder landingPage(String html) {
      if (html == null) {
        throw new IllegalArgumentException("MetricsVerticle: landing page is null");
      }
      this.landingPage = html;
      this.landingHandler = null;
      return this;
    }

    /** The handler of every request to {@code /}, instead of the default page. */
    public Builder landingHandler(Handler<RoutingContext> handler) {
      if (handler == null) {
        throw new IllegalArgumentException("MetricsVerticle: landing handler is null");
      }
      this.landingHandler = handler;
      this.landingPage = null;
      return this;
    }

    /**
     * Adds routes of your own to the verticle's router, after the built-in ones; called on the
     * verticle's event loop when it starts.
     */
    public Builder configureRouter(Consumer<Router> configure) {
      if (configure == null) {
        throw new IllegalArgumentException("MetricsVerticle: configureRouter is null");
      }
      this.configureRouter = configure;
      return this;
    }

    /** Builds the verticle; deploy it with {@code vertx.deployVerticle(...)}. */
    public MetricsVerticle build() {
      return new MetricsVerticle(this);
    }
  }
}
