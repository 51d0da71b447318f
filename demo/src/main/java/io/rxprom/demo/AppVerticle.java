package io.rxprom.demo;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The seed's request router as a Vert.x verticle: {@code GET /foo} and {@code GET /bar}, each a
 * Reactor pipeline timed per path, behind a route handler that times every request.
 *
 * <p>Its handlers run on the verticle's event loop and never block it: each pipeline waits on a
 * timer and answers through {@link MonoResponses}.
 */
final class AppVerticle extends VerticleBase {

  /**
   * What the router is instrumented with.
   *
   * @param routeHandler mounted first on the router, for every request
   * @param timing the timing operator of a path, looked up once per path when the verticle starts
   */
  record Instrumentation(
      Handler<RoutingContext> routeHandler,
      Function<String, Function<Publisher<String>, Publisher<String>>> timing) {}

  private final String host;
  private final int port;
  private final SeedHandlers handlers;
  private final Instrumentation instrumentation;
  private HttpServer server;

  AppVerticle(String host, int port, SeedHandlers handlers, Instrumentation instrumentation) {
    this.host = host;
    this.port = port;
    this.handlers = handlers;
    this.instrumentation = instrumentation;
  }

  @Override
  public Future<?> start() {
    Function<Publisher<String>, Publisher<String>> fooTimed =
        instrumentation.timing().apply(SeedHandlers.FOO);
    Function<Publisher<String>, Publisher<String>> barTimed =
        instrumentation.timing().apply(SeedHandlers.BAR);

    Router router = Router.router(vertx);
    router.route().handler(instrumentation.routeHandler());
    router.get(SeedHandlers.FOO).handler(ctx -> MonoResponses.send(ctx, handlers.foo().transform(fooTimed)));
    router.get(SeedHandlers.BAR).handler(ctx -> MonoResponses.send(ctx, handlers.bar().transform(barTimed)));
    router
        .get("/")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", MonoResponses.TEXT_PLAIN)
                    .end("rxprom demo: GET /foo or /bar\n"));
    router.route().failureHandler(AppVerticle::answerFailure);

    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  /** The port the app listens on; the chosen one when started with port 0. */
  int actualPort() {
    return server.actualPort();
  }

  /**
   * Answers a failed request with its status and a one-line reason. A simulated failure is the
   * demo working as intended, so nothing is logged; the metrics count it.
   */
  private static void answerFailure(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    Throwable failure = ctx.failure();
    String reason =
        failure instanceof SeedHandlers.HandlerFailure
            ? failure.getMessage()
            : status >= 500 ? "internal error" : "request failed";
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", MonoResponses.TEXT_PLAIN)
        .end(status + " " + reason + "\n");
  }
}
