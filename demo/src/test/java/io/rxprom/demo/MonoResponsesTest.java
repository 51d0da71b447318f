package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The Mono-to-response bridge against a real server and real clients. */
class MonoResponsesTest {

  private Vertx vertx;
  private HttpServer server;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicReference<String> answeredOn = new AtomicReference<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .get("/value")
        .handler(
            ctx -> {
              ctx.response().headersEndHandler(v -> answeredOn.set(Thread.currentThread().getName()));
              MonoResponses.send(
                  ctx, Mono.delay(Duration.ofMillis(20), Schedulers.parallel()).map(x -> "late value\n"));
            });
    router.get("/empty").handler(ctx -> MonoResponses.send(ctx, Mono.empty()));
    router
        .get("/error")
        .handler(ctx -> MonoResponses.send(ctx, Mono.error(new SeedHandlers.HandlerFailure("/error"))));
    router.get("/never").handler(ctx -> MonoResponses.send(ctx, Mono.<String>never().doOnCancel(cancelled::countDown)));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end(ctx.failure().getMessage()));
    server =
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aValueFromAnotherThreadIsWrittenOnTheRequestsEventLoop() throws Exception {
    HttpResponse<String> r = get("/value");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("late value\n");
    assertThat(r.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    // The delay fired on a Reactor thread; the response was written on a Vert.x event loop.
    assertThat(answeredOn.get()).startsWith("vert.x-eventloop-thread-");
  }

  @Test
  void emptyIs204() throws Exception {
    HttpResponse<String> r = get("/empty");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void anErrorFailsTheRequestWith500ForTheFailureHandler() throws Exception {
    HttpResponse<String> r = get("/error");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("simulated failure in /error");
  }

  @Test
  void aClientThatGoesAwayCancelsThePipeline() throws Exception {
    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.actualPort())) {
      OutputStream out = s.getOutputStream();
      out.write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      s.setSoTimeout(300);
      try {
        int b = in.read();
        fail("no answer is due while the Mono is pending, yet the server sent " + b);
      } catch (java.net.SocketTimeoutException expected) {
        // nothing came, as it should
      }
    }
    assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("the subscription was cancelled").isTrue();
  }
}
