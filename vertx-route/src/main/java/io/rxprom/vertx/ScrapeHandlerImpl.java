package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.exposition.ExpositionWriter;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** The {@link ScrapeHandler}. Thread-safe: its fields are final, its size hints atomic. */
final class ScrapeHandlerImpl implements ScrapeHandler {

  /*
   * Implementation notes.
   *
   * The event loop parses the request and checks credentials (microseconds), then hands the
   * scrape to a worker through executeBlocking. The worker takes the snapshot, writes the text
   * into a Vert.x Buffer (through a GZIPOutputStream when asked) and completes the future; Vert.x
   * delivers the completion on the request's event loop, and the future's completion orders
   * the worker's writes to the Buffer before the loop's reads of it. The loop then writes the
   * body in slices, each slice after the previous one's write completed, so one large scrape
   * does not hold the loop for the whole body (TLS encrypts on the loop, a slice at a time).
   *
   * The Buffer's initial capacity is the size of the previous body of the same format and
   * encoding, so a steady registry renders without the buffer's regrowth copies.
   */

  static final int SLICE_BYTES = 256 * 1024;
  private static final int MAX_SIZE_HINT = 64 * 1024 * 1024;
  private static final System.Logger LOG = System.getLogger(ScrapeHandler.class.getName());

  static final String ALLOW = "GET, HEAD";
  static final String TEXT = "text/plain; charset=utf-8";

  private final MetricRegistry registry;
  private final ScrapeAuth auth;
  private final ExpositionWriter openMetricsWriter;
  private final AtomicIntegerArray sizeHints = new AtomicIntegerArray(4);

  ScrapeHandlerImpl(ScrapeHandler.Builder b) {
    this.registry = b.registry;
    this.auth = ScrapeAuth.of(b.basicUser, b.basicPassword, b.bearerToken, b.realm);
    this.openMetricsWriter = ExpositionWriter.openMetrics(b.openMetricsCreated);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse resp = ctx.response();
    if (auth != null && !auth.admits(req.getHeader(HttpHeaders.AUTHORIZATION))) {
      for (String challenge : auth.challenges()) {
        resp.headers().add("WWW-Authenticate", challenge);
      }
      plain(resp, 401, "Unauthorized\n");
      return;
    }
    HttpMethod method = req.method();
    boolean head = method == HttpMethod.HEAD;
    if (!head && method != HttpMethod.GET) {
      resp.putHeader(HttpHeaders.ALLOW, ALLOW);
      plain(resp, 405, "Method Not Allowed: use GET or HEAD\n");
      return;
    }
    List<String> names;
    try {
      names = ScrapeRequest.names(req.query());
    } catch (IllegalArgumentException e) {
      plain(resp, 400, "Bad Request: " + e.getMessage() + "\n");
      return;
    }
    Predicate<String> filter = names.isEmpty() ? null : MetricRegistry.nameFilter(names);
    ExpositionFormat format = ExpositionFormat.negotiate(req.getHeader(HttpHeaders.ACCEPT));
    boolean gzip = ScrapeRequest.acceptsGzip(req.getHeader(HttpHeaders.ACCEPT_ENCODING));
    ctx.vertx()
        .executeBlocking(() -> render(format, filter, gzip), false)
        .onComplete(ar -> send(resp, ar, format, gzip, head));
  }

  /** Runs on a worker: snapshot, text, gzip. */
  private Buffer render(ExpositionFormat format, Predicate<String> filter, boolean gzip)
      throws IOException {
    MetricSnapshots snapshots = registry.scrape(filter);
    int hint = hintIndex(format, gzip);
    Buffer body = Buffer.buffer(Math.max(4096, sizeHints.get(hint)));
    ExpositionWriter writer = format == ExpositionFormat.OPENMETRICS_1_0_0
        ? openMetricsWriter : ExpositionWriter.of(format);
    OutputStream sink = new BufferSink(body);
    if (gzip) {
      try (FastGzip z = new FastGzip(sink)) {
        writer.write(z, snapshots);
      }
    } else {
      writer.write(sink, snapshots);
    }
    sizeHints.set(hint, Math.min(MAX_SIZE_HINT, body.length() + body.length() / 8));
    return body;
  }

  private static int hintIndex(ExpositionFormat format, boolean gzip) {
    return format.ordinal() * 2 + (gzip ? 1 : 0);
  }

  /** Runs on the event loop. */
  private void send(HttpServerResponse resp, AsyncResult<Buffer> ar, ExpositionFormat format,
      boolean gzip, boolean head) {
    if (resp.closed() || resp.ended()) {
      return; // the scraper went away while the worker rendered
    }
    if (ar.failed()) {
      LOG.log(System.Logger.Level.ERROR, "scrape failed", ar.cause());
      plain(resp, 500, "Internal Server Error: the scrape failed, see the server log\n");
      return;
    }
    Buffer body = ar.result();
    resp.putHeader(HttpHeaders.CONTENT_TYPE, format.contentType());
    resp.putHeader(HttpHeaders.VARY, "Accept, Accept-Encoding");
    if (gzip) {
      resp.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
    }
    resp.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    if (head) {
      resp.end();
    } else {
      writeFrom(resp, body, 0);
    }
  }

  private static void writeFrom(HttpServerResponse resp, Buffer body, int from) {
    int to = Math.min(body.length(), from + SLICE_BYTES);
    if (to == body.length()) {
      resp.end(body.slice(from, to));
      return;
    }
    resp.write(body.slice(from, to)).onComplete(written -> {
      if (written.succeeded()) {
        writeFrom(resp, body, to);
      } // else: the connection is gone, nothing to send it to
    });
  }

  static void plain(HttpServerResponse resp, int status, String text) {
    resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(text);
  }

  /** An OutputStream into a Vert.x Buffer (the writer buffers, so writes come in chunks). */
  private static final class BufferSink extends OutputStream {
    private final Buffer buffer;

    BufferSink(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.appendBytes(b, off, len);
    }
  }

  /** gzip at the fastest level: exposition text is repetitive, and the scrape is on the clock. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
