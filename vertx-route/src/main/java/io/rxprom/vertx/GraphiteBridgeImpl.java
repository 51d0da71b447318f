package io.rxprom.vertx;

import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.rxprom.vertx.GraphiteLineWriter.Chunk;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The {@link GraphiteBridge}: a schedule, a bounded queue of rendered chunks and one connection.
 *
 * <p>Thread-safe: the public methods hand over to the bridge's context; all mutable state below
 * is confined to that context.
 */
final class GraphiteBridgeImpl implements GraphiteBridge {

  /*
   * Implementation notes.
   *
   * Confinement: every field marked "context" is read and written only on `context` (timers,
   * NetClient and executeBlocking callbacks set up from the context run there), so none needs
   * synchronisation. `started` and `stopping` are atomics because start() and stop() may be
   * called from any thread; they only guard the hand-over.
   *
   * Accounting: `bufferedBytes` counts the bytes of chunks in `pending` and in the current
   * connection's `inFlight` (written to the socket, write not yet completed). A chunk leaves the
   * count when its write completes, or when it is dropped. On a broken connection the chunks
   * still in flight go back to the head of `pending` in order, to be sent again: Graphite keeps
   * one value per path and second, so a line received twice is harmless, and a line lost in the
   * socket is not. Every rendered line is either written, dropped (and counted) or still queued.
   *
   * Backpressure: chunks are written while the socket's write queue is not full; the drain
   * handler resumes. Vert.x's queue thus holds at most its high-water mark plus one chunk.
   */

  private static final System.Logger LOG = System.getLogger(GraphiteBridge.class.getName());
  private static final int WRITE_QUEUE_BYTES = 64 * 1024;

  private enum State { NEW, STARTED, STOPPED }

  private final Vertx vertx;
  private final Context context;
  private final MetricRegistry registry;
  private final MetricRegistry statsRegistry;
  private final GraphiteOptions options;
  private final GraphiteLineWriter writer;
  private final NetClient netClient;
  private final Counter dropped;
  private final String target;
  private final LongSupplier clock;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Promise<Void> stopped = Promise.promise();

  private State state = State.NEW; // context
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>(); // context
  private long bufferedBytes; // context
  private Connection conn; // context; null when not connected
  private boolean connecting; // context
  private long periodicTimer = -1; // context
  private long reconnectTimer = -1; // context
  private long backoffMillis; // context; 0 after a successful connection
  private boolean rendering; // context
  private boolean renderFailing; // context
  private long outageStartNanos = -1; // context; -1 when carbon is reachable
  private double droppedAtOutageStart; // context
  private boolean finishing; // context
  private volatile long peakBufferedBytes; // written on the context, read by tests

  GraphiteBridgeImpl(Vertx vertx, MetricRegistry registry, GraphiteOptions options) {
    this(vertx, registry, options, () -> System.currentTimeMillis() / 1000);
  }

  /** With a source of timestamps (seconds since the epoch) other than the wall clock, for tests. */
  GraphiteBridgeImpl(Vertx vertx, MetricRegistry registry, GraphiteOptions options, LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.options = Objects.requireNonNull(options, "options");
    this.context = vertx.getOrCreateContext();
    this.writer = new GraphiteLineWriter(options.prefix(), options.tags());
    this.target = options.host() + ":" + options.port();
    this.statsRegistry = options.statsRegistry() != null ? options.statsRegistry() : registry;
    this.dropped = Counter.builder(GraphiteOptions.DROPPED_SAMPLES_METRIC)
        .help("Samples the Graphite bridge rendered but could not send: buffer full while carbon "
            + "was down or slow, or still buffered when the bridge stopped.")
        .register(statsRegistry);
    this.netClient = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
        .setTcpKeepAlive(true)
        .setReconnectAttempts(0));
  }

  @Override
  public GraphiteBridge start() {
    if (stopping.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "graphite bridge to " + target + " was started or stopped already; create a new one");
    }
    context.runOnContext(v -> {
      if (state != State.NEW) {
        return; // stopped before it got here
      }
      state = State.STARTED;
      connect();
      tick();
      periodicTimer = vertx.setPeriodic(options.interval().toMillis(), id -> tick());
    });
    return this;
  }

  @Override
  public Future<Void> stop() {
    if (stopping.compareAndSet(false, true)) {
      context.runOnContext(v -> doStop());
    }
    return stopped.future();
  }

  @Override
  public long droppedSamples() {
    return (long) dropped.get();
  }

  // ---- schedule and queue (context) ----

  private void tick() {
    if (state != State.STARTED) {
      return;
    }
    if (rendering) {
      LOG.log(Level.DEBUG, "Graphite bridge to {0}: previous scrape still running, tick skipped", target);
      return;
    }
    rendering = true;
    long epochSeconds = clock.getAsLong();
    context.<List<Chunk>>executeBlocking(
            () -> writer.write(registry.scrape(options.familyFilter()), epochSeconds), false)
        .onComplete(this::rendered);
  }

  private void rendered(AsyncResult<List<Chunk>> ar) {
    rendering = false;
    if (ar.failed()) {
      if (!renderFailing) {
        renderFailing = true;
        LOG.log(Level.WARNING, "Graphite bridge to " + target + ": scrape failed; "
            + "this is logged once until a scrape succeeds again", ar.cause());
      }
      return;
    }
    renderFailing = false;
    if (state != State.STARTED) {
      for (Chunk c : ar.result()) {
        drop(c.lines());
      }
      return;
    }
    for (Chunk c : ar.result()) {
      enqueue(c);
    }
    flush();
  }

  private void enqueue(Chunk c) {
    long max = options.maxBufferedBytes();
    while (bufferedBytes + c.size() > max && !pending.isEmpty()) {
      Chunk oldest = pending.poll();
      bufferedBytes -= oldest.size();
      drop(oldest.lines());
    }
    if (bufferedBytes + c.size() > max) {
      drop(c.lines()); // only in-flight chunks left, and they fill the buffer
      return;
    }
    pending.add(c);
    bufferedBytes += c.size();
    if (bufferedBytes > peakBufferedBytes) {
      peakBufferedBytes = bufferedBytes;
    }
  }

  /** The most bytes held at once so far (pending plus in flight). */
  long peakBufferedBytes() {
    return peakBufferedBytes;
  }

  private void drop(int lines) {
    dropped.inc(lines);
  }

  private void flush() {
    Connection c = conn;
    if (c == null) {
      if (state == State.STARTED && !connecting && reconnectTimer == -1) {
        connect();
      }
      return;
    }
    while (!pending.isEmpty() && !c.socket.writeQueueFull()) {
      write(c, pending.poll());
    }
  }

  private void write(Connection c, Chunk chunk) {
    c.inFlight.add(chunk);
    c.lastWrite = c.socket.write(chunk.bytes()).onComplete(ar -> written(c, chunk, ar));
  }

  private void written(Connection c, Chunk chunk, AsyncResult<Void> ar) {
    if (c.closed) {
      return; // the chunk was requeued or dropped when the connection closed
    }
    if (ar.failed()) {
      closed(c, ar.cause());
      return;
    }
    // Writes complete in order: the chunk is the head of inFlight.
    c.inFlight.remove(chunk);
    bufferedBytes -= chunk.size();
  }

  // ---- connection (context) ----

  private static final class Connection {
    final NetSocket socket;
    final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    Future<Void> lastWrite = Future.succeededFuture();
    boolean closed;

    Connection(NetSocket socket) {
      this.socket = socket;
    }
  }

  private void connect() {
    connecting = true;
    netClient.connect(options.port(), options.host()).onComplete(ar -> {
      connecting = false;
      if (state != State.STARTED) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        outage(ar.cause().toString());
        scheduleReconnect();
        return;
      }
      NetSocket socket = ar.result();
      Connection c = new Connection(socket);
      socket.handler(data -> { }); // carbon sends nothing; read so that a close is noticed
      socket.exceptionHandler(t -> {
        closed(c, t);
        socket.close();
      });
      socket.closeHandler(v -> closed(c, null));
      socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      socket.drainHandler(v -> flush());
      conn = c;
      backoffMillis = 0;
      recovered();
      flush();
    });
  }

  private void closed(Connection c, Throwable cause) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    if (conn == c) {
      conn = null;
    }
    if (state == State.STARTED) {
      for (Iterator<Chunk> it = c.inFlight.descendingIterator(); it.hasNext(); ) {
        pending.addFirst(it.next());
      }
      c.inFlight.clear();
      outage(cause == null ? "connection closed by carbon" : cause.toString());
      scheduleReconnect();
    } else {
      for (Chunk chunk : c.inFlight) {
        bufferedBytes -= chunk.size();
        drop(chunk.lines());
      }
      c.inFlight.clear();
    }
  }

  private void scheduleReconnect() {
    if (reconnectTimer != -1 || state != State.STARTED) {
      return;
    }
    long initial = options.initialBackoff().toMillis();
    long max = options.maxBackoff().toMillis();
    backoffMillis = backoffMillis == 0 ? initial : Math.min(max, backoffMillis * 2);
    long delay = Math.max(1, (long) (backoffMillis * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    reconnectTimer = vertx.setTimer(delay, id -> {
      reconnectTimer = -1;
      if (state == State.STARTED && conn == null && !connecting) {
        connect();
      }
    });
  }

  private void outage(String why) {
    if (outageStartNanos >= 0) {
      LOG.log(Level.DEBUG, "Graphite bridge to {0}: still unreachable ({1})", target, why);
      return;
    }
    outageStartNanos = System.nanoTime();
    droppedAtOutageStart = dropped.get();
    LOG.log(Level.WARNING, "Graphite bridge to {0}: carbon unreachable ({1}); buffering up to {2} "
        + "bytes and retrying with backoff up to {3} ms; logged once until it is back",
        target, why, options.maxBufferedBytes(), options.maxBackoff().toMillis());
  }

  private void recovered() {
    if (outageStartNanos < 0) {
      return;
    }
    long ms = (System.nanoTime() - outageStartNanos) / 1_000_000;
    outageStartNanos = -1;
    LOG.log(Level.INFO, "Graphite bridge to {0}: carbon reachable again after {1} ms; {2} samples "
        + "dropped meanwhile, sending {3} buffered bytes",
        target, ms, (long) (dropped.get() - droppedAtOutageStart), bufferedBytes);
  }

  // ---- stop (context) ----

  private void doStop() {
    state = State.STOPPED;
    if (periodicTimer != -1) {
      vertx.cancelTimer(periodicTimer);
      periodicTimer = -1;
    }
    if (reconnectTimer != -1) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    Connection c = conn;
    if (c == null) {
      dropPending();
      finishStop();
      return;
    }
    // Hand the socket everything left (bounded by maxBufferedBytes), then close once written
    // or after the connect timeout, whichever is first.
    while (!pending.isEmpty()) {
      write(c, pending.poll());
    }
    long timer = vertx.setTimer(options.connectTimeout().toMillis(), id -> closeForStop(c));
    c.lastWrite.onComplete(ar -> {
      vertx.cancelTimer(timer);
      closeForStop(c);
    });
  }

  private void closeForStop(Connection c) {
    if (c.closed) {
      finishStop();
      return;
    }
    closed(c, null); // state is STOPPED: whatever is still in flight counts as dropped
    c.socket.close().onComplete(ar -> finishStop());
  }

  private void dropPending() {
    for (Chunk c : pending) {
      drop(c.lines());
    }
    pending.clear();
    bufferedBytes = 0;
  }

  private void finishStop() {
    if (finishing) {
      return;
    }
    finishing = true;
    dropPending();
    statsRegistry.unregister(dropped);
    netClient.close().onComplete(ar -> stopped.tryComplete());
  }
}
