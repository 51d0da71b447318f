package io.rxprom.demo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Answers a Vert.x request with what a {@link Mono} produces, without blocking the event loop.
 *
 * <p>The Mono is subscribed on the request's event loop; its signals may arrive on any thread (a
 * Reactor timer, for instance), and the answer is written back on the request's own event loop, so
 * every touch of the response happens on the thread that owns it. If the client goes away first,
 * the subscription is cancelled, which Reactor propagates up the pipeline (a pending delay is
 * disposed, and a timing operator records a cancellation, not an error).
 *
 * <p>Stateless; {@link #send} must be called on the request's event loop, as handlers are.
 */
final class MonoResponses {

  static final String TEXT_PLAIN = "text/plain; charset=utf-8";

  private MonoResponses() {}

  /**
   * Subscribes to {@code body} and answers 200 with its value, 204 if it completes empty, or fails
   * the routing context with 500 and the error, for the router's failure handler to answer.
   *
   * @param ctx the request, handled on its event loop
   * @param body the pipeline that computes the answer
   */
  static void send(RoutingContext ctx, Mono<String> body) {
    Context eventLoop = ctx.vertx().getOrCreateContext();
    CompletableFuture<String> result = body.toFuture();
    ctx.addEndHandler(
        end -> {
          if (end.failed()) {
            // The connection closed before the response ended: cancels the subscription.
            result.cancel(false);
          }
        });
    Future.fromCompletionStage(result, eventLoop)
        .onComplete(
            ar -> {
              HttpServerResponse response = ctx.response();
              if (response.ended() || response.closed()) {
                return;
              }
              if (ar.failed()) {
                ctx.fail(500, ar.cause());
              } else if (ar.result() == null) {
                response.setStatusCode(204).end();
              } else {
                response.putHeader("content-type", TEXT_PLAIN).end(ar.result());
              }
            });
  }
}
