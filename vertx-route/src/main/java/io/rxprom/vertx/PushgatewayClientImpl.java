package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.Names;
import io.rxprom.vertx.PushgatewayException.Kind;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * The {@link PushgatewayClient} on Vert.x's {@link HttpClientAgent}.
 *
 * <p>Thread-safe: the only state is the immutable configuration and the thread-safe HTTP client.
 */
final class PushgatewayClientImpl implements PushgatewayClient {

  /*
   * Implementation notes. A request has two racing ends: the deadline timer and the response
   * (or transport failure), which may run on different threads when the caller is not on a
   * Vert.x context. Both complete the same Promise with tryComplete/tryFail, which Vert.x makes
   * thread-safe, so whichever is first wins and the other is a no-op. The request object goes
   * from the connection callback to the timer through an AtomicReference (a volatile
   * publication), so the timer can reset a request it sees; a request obtained after the
   * deadline sees the completed promise and resets itself.
   */

  private static final ExpositionFormat FORMAT = ExpositionFormat.PROMETHEUS_TEXT_0_0_4;
  private static final int MAX_BODY_IN_MESSAGE = 2048;

  private final Vertx vertx;
  private final PushgatewayOptions options;
  private final HttpClientAgent http;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final String address;

  PushgatewayClientImpl(Vertx vertx, PushgatewayOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.host = options.url().getHost().replaceAll("^\\[|\\]$", "");
    this.port = options.url().getPort();
    this.ssl = options.url().getScheme().equals("https");
    this.basePath = options.url().getRawPath();
    this.address = options.url().toString();
    HttpClientOptions o = options.httpClientOptions() != null
        ? options.httpClientOptions() : new HttpClientOptions();
    o.setDefaultHost(host).setDefaultPort(port).setSsl(ssl).setShared(false);
    this.http = vertx.createHttpClient(o);
  }

  @Override
  public Future<Void> push(
      MetricRegistry registry, Predicate<String> familyFilter, String job, Map<String, String> groupingKey) {
    return send(HttpMethod.PUT, registry, familyFilter, job, groupingKey);
  }

  @Override
  public Future<Void> pushAdd(
      MetricRegistry registry, Predicate<String> familyFilter, String job, Map<String, String> groupingKey) {
    return send(HttpMethod.POST, registry, familyFilter, job, groupingKey);
  }

  @Override
  public Future<Void> delete(String job, Map<String, String> groupingKey) {
    String uri = basePath + path(job, groupingKey);
    return request(HttpMethod.DELETE, uri, null);
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }

  private Future<Void> send(HttpMethod method, MetricRegistry registry, Predicate<String> familyFilter,
      String job, Map<String, String> groupingKey) {
    Objects.requireNonNull(registry, "registry");
    String uri = basePath + path(job, groupingKey);
    boolean gzip = options.gzip();
    return vertx.<Buffer>executeBlocking(() -> render(registry.scrape(familyFilter), gzip), false)
        .compose(body -> request(method, uri, body));
  }

  /** The body: text format 0.0.4, gzip-compressed if asked. Runs on a worker thread. */
  static Buffer render(MetricSnapshots snapshots, boolean gzip) throws IOException {
    Buffer body = Buffer.buffer(8192);
    OutputStream bytes = new OutputStream() { // straight into the request's buffer, no copy
      @Override
      public void write(int b) {
        body.appendByte((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        body.appendBytes(b, off, len);
      }
    };
    if (gzip) {
      try (OutputStream out = new GZIPOutputStream(bytes, 8192)) {
        FORMAT.writer().write(out, snapshots);
      }
    } else {
      FORMAT.writer().write(bytes, snapshots);
    }
    return body;
  }

  private Future<Void> request(HttpMethod method, String uri, Buffer body) {
    long timeoutMs = options.timeout().toMillis();
    String what = method + " " + uri;
    Promise<Void> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMs, id -> {
      HttpClientRequest r = sent.get();
      promise.tryFail(new PushgatewayException(Kind.TIMEOUT, "Pushgateway at " + address
          + (r == null ? " accepted no connection for " : " did not answer ") + what + " within "
          + timeoutMs + " ms", -1, "", null));
      if (r != null) {
        r.reset();
      }
    });
    RequestOptions ro = new RequestOptions()
        .setMethod(method).setHost(host).setPort(port).setSsl(ssl).setURI(uri)
        .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
    if (options.authorization() != null) {
      ro.putHeader("Authorization", options.authorization());
    }
    if (body != null) {
      ro.putHeader("Content-Type", FORMAT.contentType());
      if (options.gzip()) {
        ro.putHeader("Content-Encoding", "gzip");
      }
    }
    http.request(ro)
        .compose(req -> {
          sent.set(req);
          if (promise.future().isComplete()) { // timed out while connecting
            req.reset();
            return Future.failedFuture("timed out");
          }
          return body == null ? req.send() : req.send(body);
        })
        .compose(resp -> resp.body().map(b -> check(resp, b, what)))
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            PushgatewayException e = ar.result();
            if (e == null) {
              promise.tryComplete();
            } else {
              promise.tryFail(e);
            }
          } else {
            promise.tryFail(transportFailure(ar.cause(), what, timeoutMs));
          }
        });
    return promise.future();
  }

  /** Null for a 2xx answer, else the failure to report. */
  private PushgatewayException check(HttpClientResponse resp, Buffer b, String what) {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      return null;
    }
    String text = b.toString(StandardCharsets.UTF_8).strip();
    if (text.length() > MAX_BODY_IN_MESSAGE) {
      text = text.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
    if (status == 400) {
      return new PushgatewayException(Kind.REJECTED, "Pushgateway at " + address + " rejected " + what
          + " (HTTP 400): " + text, status, text, null);
    }
    return new PushgatewayException(Kind.HTTP_ERROR, "Pushgateway at " + address + " answered " + what
        + " with HTTP " + status + (text.isEmpty() ? "" : ": " + text), status, text, null);
  }

  private PushgatewayException transportFailure(Throwable t, String what, long timeoutMs) {
    if (t instanceof PushgatewayException p) {
      return p;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      // Netty's ConnectTimeoutException is a ConnectException: test for timeouts first.
      if (c instanceof TimeoutException || c instanceof ConnectTimeoutException) {
        return new PushgatewayException(Kind.TIMEOUT, "Pushgateway at " + address + " did not answer "
            + what + " within " + timeoutMs + " ms (" + t.getMessage() + ")", -1, "", t);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException && String.valueOf(c.getMessage()).contains("refused")) {
        return new PushgatewayException(Kind.CONNECTION_REFUSED, "Pushgateway at " + address
            + " refused the connection for " + what + " (is it running?): " + c.getMessage(), -1, "", t);
      }
      if (c instanceof UnknownHostException) {
        return new PushgatewayException(Kind.TRANSPORT, "Pushgateway at " + address
            + ": unknown host for " + what + ": " + c.getMessage(), -1, "", t);
      }
    }
    return new PushgatewayException(Kind.TRANSPORT, "Pushgateway at " + address + ": " + what
        + " failed: " + t, -1, "", t);
  }

  // ---- the grouping key path ----

  /**
   * {@code /metrics/job/<job>{/<label>/<value>}}, each job and value plain when it is made of
   * {@code [A-Za-z0-9._~:-]} only (and is not {@code .} or {@code ..}), else {@code
   * <label>@base64/<url-safe base64>}, {@code @base64/=} for the empty string.
   *
   * @throws IllegalArgumentException for an empty job, a null value, an invalid or reserved
   *     label name, or a label named {@code job}
   */
  static String path(String job, Map<String, String> groupingKey) {
    if (job == null || job.isEmpty()) {
      throw new IllegalArgumentException("pushgateway job must not be empty, got '" + job + "'");
    }
    StringBuilder sb = new StringBuilder("/metrics");
    segment(sb, "job", job);
    if (groupingKey != null) {
      for (Map.Entry<String, String> e : groupingKey.entrySet()) {
        String name = e.getKey();
        if (!Names.isValidLabelName(name) || name.startsWith("__")) {
          throw new IllegalArgumentException("pushgateway grouping key label '" + name
              + "' must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __");
        }
        if (name.equals("job")) {
          throw new IllegalArgumentException(
              "pushgateway grouping key must not contain 'job': the job is its own argument");
        }
        if (e.getValue() == null) {
          throw new IllegalArgumentException("pushgateway grouping key label '" + name + "' has a null value");
        }
        segment(sb, name, e.getValue());
      }
    }
    return sb.toString();
  }

  private static void segment(StringBuilder sb, String name, String value) {
    sb.append('/').append(name);
    if (isPlain(value)) {
      sb.append('/').append(value);
    } else if (value.isEmpty()) {
      sb.append("@base64/=");
    } else {
      sb.append("@base64/")
          .append(Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static boolean isPlain(String v) {
    if (v.isEmpty() || v.equals(".") || v.equals("..")) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '~' || c == '-' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
