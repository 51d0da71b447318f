package io.rxprom.vertx;

import io.rxprom.core.Collector;
import io.rxprom.core.Counter;
import io.rxprom.core.DistributionChild;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricFamily;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The {@link MetricsHandler}. Thread-safe; see the interface for the contract. */
final class MetricsHandlerImpl implements MetricsHandler {

  /*
   * Implementation notes.
   *
   * Series cache. A request resolves its series through three levels, each created once and
   * then only read: Route -> RouteSeries (a ConcurrentHashMap keyed by the Route object, whose
   * hashCode is the identity hash), RouteSeries -> MethodSeries (an AtomicReferenceArray indexed
   * by the method's ordinal), MethodSeries -> latency child (an immutable StatusTable scanned
   * linearly; services answer with a handful of codes per route). A new MethodSeries or
   * StatusTable is made under its owner's monitor after a re-check; a new RouteSeries inside
   * ConcurrentHashMap.computeIfAbsent. Each is published by a volatile write (the map's put,
   * AtomicReferenceArray.set, the volatile StatusTable field) after its final fields are set, so
   * a reader that sees it sees it whole; a reader that misses it takes the slow path and finds
   * it there. Two Route objects with the same label share one RouteSeries (byLabel), so their
   * children are the same series.
   *
   * Threads. This handler, mounted first, runs on the request's event loop, and Vert.x runs the
   * end handlers and the request's end future callbacks on that loop too, so Exchange's plain
   * fields are written and read by one thread.
   *
   * Answered or disconnected. Vert.x Web completes the end handlers once, with the first of the
   * response's end handler (success), exception handler or close handler (failure). Over
   * HTTP/1.1, end() runs the end handler before anything can close. Over HTTP/2 the close
   * handler can come first: end() writes the last frame, and outside a read (a timer, a reply
   * from another service) Netty flushes it at once, the stream closes inside that write, and the
   * close handler runs before end() reaches the end handler. The failure then says "Connection
   * closed" for a response the application did end. So a request counts as answered when the end
   * handlers succeed or its response has ended (ended() is true from the start of end()), and as
   * a disconnect only when the connection or stream went away before end() was called: the same
   * line HTTP/1.1 draws, where the end handler also runs when end() is called, not when the
   * client has the last byte.
   */

  static final String STATE_KEY = "io.rxprom.vertx.MetricsHandler";

  /** The methods of RFC 9110 and RFC 5789, then the catch-all of OpenTelemetry's conventions. */
  static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "_OTHER"
  };

  private static final int OTHER_METHOD = METHODS.length - 1;
  private static final String[] STATUS_STRINGS = new String[600];
  private static final int MAX_CACHED_ROUTES = 4096;

  /** Reason label values of the failures family. */
  static final String EXCEPTION = "exception";

  static final String FAIL = "fail";
  static final String SERVER_ERROR = "server_error";

  static {
    for (int i = 100; i < STATUS_STRINGS.length; i++) {
      STATUS_STRINGS[i] = Integer.toString(i);
    }
  }

  private final MetricFamily<? extends DistributionChild> durationFamily;
  private final Counter failuresFamily;
  private final Counter disconnectsFamily;
  private final Gauge inFlightFamily;
  private final boolean withMethod;
  private final boolean withStatus;
  private final String unmatchedValue;
  private final RouteSeries unmatched;
  /** A catch-all route without a name maps to this marker: it gives no label of its own. */
  private final RouteSeries noTemplate;

  private final ConcurrentHashMap<Route, RouteSeries> byRoute = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RouteSeries> byLabel = new ConcurrentHashMap<>();

  MetricsHandlerImpl(MetricsHandler.Builder b) {
    this.withMethod = b.methodLabel != null;
    this.withStatus = b.statusLabel != null;
    this.unmatchedValue = b.unmatchedRoute;
    String[] seriesLabels = labelNames(b.routeLabel, b.methodLabel);
    String[] durationLabels = withStatus ? append(seriesLabels, b.statusLabel) : seriesLabels;
    List<Collector> registered = new ArrayList<>(4);
    MetricRegistry registry = b.registry;
    try {
      if (b.summary) {
        this.durationFamily = Summary.builder(b.durationName)
            .help("Seconds from a request's arrival at the router to the end of its response.")
            .labelNames(durationLabels).quantiles(b.quantiles).register(registry);
      } else {
        this.durationFamily = Histogram.builder(b.durationName)
            .help("Seconds from a request's arrival at the router to the end of its response.")
            .labelNames(durationLabels).buckets(b.buckets).register(registry);
      }
      registered.add(durationFamily);
      this.failuresFamily = Counter.builder(b.failuresName)
          .help("Requests that failed: a handler threw (exception), called fail (fail), "
              + "or the response had a 5xx status (server_error).")
          .labelNames(append(seriesLabels, b.reasonLabel)).register(registry);
      registered.add(failuresFamily);
      this.disconnectsFamily = Counter.builder(b.disconnectsName)
          .help("Requests whose client disconnected before the response was complete.")
          .labelNames(seriesLabels).register(registry);
      registered.add(disconnectsFamily);
      this.inFlightFamily = Gauge.builder(b.inFlightName)
          .help("Requests being handled, by the route holding them.")
          .labelNames(seriesLabels).register(registry);
      registered.add(inFlightFamily);
    } catch (RuntimeException e) {
      registered.forEach(registry::unregister);
      throw e;
    }
    this.unmatched = new RouteSeries(unmatchedValue);
    this.noTemplate = new RouteSeries(unmatchedValue);
    byLabel.put(unmatchedValue, unmatched);
  }

  private static String[] labelNames(String route, String method) {
    return method == null ? new String[] {route} : new String[] {route, method};
  }

  private static String[] append(String[] a, String b) {
    String[] r = Arrays.copyOf(a, a.length + 1);
    r[a.length] = b;
    return r;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Object prior = ctx.get(STATE_KEY);
    if (prior instanceof Exchange ex) {
      // Passing again: a reroute (same context), or this handler mounted in a sub-router too
      // (the sub-router's context): the first pass measures, this one only notes the context.
      if (ctx != ex.ctx && ex.inner == null) {
        ex.inner = ctx;
        ex.innerSelf = ctx.currentRoute();
      }
      ctx.next();
      return;
    }
    Exchange ex = new Exchange(this, ctx, ctx.currentRoute(), System.nanoTime());
    ctx.put(STATE_KEY, ex);
    ctx.addEndHandler(ex);
    ctx.next();
    if (!ex.done && !ctx.response().ended()) {
      RouteSeries rs = holder(ex);
      MethodSeries ms = rs.forMethod(methodIndex(ctx));
      ms.inFlight.inc();
      ex.heldBy = ms;
      if (rs == unmatched && !ctx.request().isEnded()) {
        // A catch-all (typically BodyHandler) holds the request until its body has arrived, then
        // routes it on; the request's end future completes after that, when the route is known.
        ctx.request().end().onComplete(ended -> ex.bodyReceived());
      }
    }
  }

  /** Moves a request's in-flight count from the catch-all that held it to its route. */
  void moveInFlight(Exchange ex) {
    RouteSeries rs = holder(ex);
    if (rs != unmatched) {
      MethodSeries ms = rs.forMethod(methodIndex(ex.ctx));
      ms.inFlight.inc();
      ex.heldBy.inFlight.dec();
      ex.heldBy = ms;
    }
  }

  /** One request: its start time and the in-flight series it was counted in. */
  static final class Exchange implements Handler<AsyncResult<Void>> {
    final MetricsHandlerImpl owner;
    final RoutingContext ctx;
    final Route self;
    final long startNanos;
    /** The series whose in-flight gauge counts this request, or null. */
    MethodSeries heldBy;
    boolean done;
    /** The sub-router's context, when this handler is mounted there too. */
    RoutingContext inner;
    Route innerSelf;

    Exchange(MetricsHandlerImpl owner, RoutingContext ctx, Route self, long startNanos) {
      this.owner = owner;
      this.ctx = ctx;
      this.self = self;
      this.startNanos = startNanos;
    }

    void bodyReceived() {
      if (!done && heldBy != null && !ctx.response().ended()) {
        owner.moveInFlight(this);
      }
    }

    @Override
    public void handle(AsyncResult<Void> ended) {
      if (done) {
        return;
      }
      done = true;
      // Over HTTP/2 the close handler may report an ended response as closed: see the notes.
      boolean responded = ended.succeeded() || ctx.response().ended();
      owner.complete(this, responded, System.nanoTime());
    }
  }

  void complete(Exchange ex, boolean responded, long endNanos) {
    RoutingContext ctx = ex.ctx;
    if (ex.heldBy != null) {
      ex.heldBy.inFlight.dec();
    }
    RouteSeries rs = answered(ex);
    MethodSeries ms = rs.forMethod(methodIndex(ctx));
    if (!responded) {
      ms.disconnects.inc();
      return;
    }
    int status = ctx.response().getStatusCode();
    ms.latency(status).observe((endNanos - ex.startNanos) / 1e9);
    if (ctx.failure() != null) {
      ms.exceptions.inc();
    } else if (ctx.failed()) {
      // Vert.x Web also marks a request that matched no route (404, 405) as failed: that is
      // routing, not a failure of the application.
      if (rs != unmatched || (status != 404 && status != 405)) {
        ms.fails.inc();
      }
    } else if (status >= 500) {
      ms.serverErrors.inc();
    }
  }

  /** The series of the route holding a request now (no matching: the route may still change). */
  private RouteSeries holder(Exchange ex) {
    Route outer = ex.ctx.currentRoute();
    RouteSeries s = seriesOf(outer, ex.self);
    if (s == null) {
      return unmatched;
    }
    if (ex.inner != null && outer.getSubRouter() != null) {
      Route in = ex.inner.currentRoute();
      if (seriesOf(in, ex.innerSelf) != null) {
        return nested(outer, s, in);
      }
    }
    return s;
  }

  /** The series of the route that answered a request, or of the failed request's endpoint. */
  private RouteSeries answered(Exchange ex) {
    Route outer = answeredBy(ex.ctx, ex.self);
    if (outer == null) {
      return unmatched;
    }
    RouteSeries s = series(outer);
    if (ex.inner != null && outer.getSubRouter() != null) {
      Route in = answeredBy(ex.inner, ex.innerSelf);
      if (in != null) {
        return nested(outer, s, in);
      }
    }
    return s;
  }

  /** The route that answered, if it gives a label; else, for a failed request, its endpoint. */
  private Route answeredBy(RoutingContext ctx, Route self) {
    Route current = ctx.currentRoute();
    if (seriesOf(current, self) != null) {
      return current;
    }
    // Failed, and not a plain routing miss (a miss keeps a catch-all current, has no throwable
    // and answers 404 or 405): find the endpoint. Misses skip this, so a flood of 404s costs no
    // matching.
    if (ctx.failed() && (current == null || ctx.failure() != null || !routingMiss(ctx))) {
      Route r = RouteMatcher.lastMatch(ctx);
      if (seriesOf(r, self) != null) {
        return r;
      }
    }
    return null;
  }

  private static boolean routingMiss(RoutingContext ctx) {
    int status = ctx.response().getStatusCode();
    return status == 404 || status == 405;
  }

  /** The series of a route, or null for none, this handler's own route, or a catch-all. */
  private RouteSeries seriesOf(Route r, Route self) {
    if (r == null || r == self) {
      return null;
    }
    RouteSeries s = series(r);
    return s == noTemplate ? null : s;
  }

  /** The series of a route of a sub-router mounted by {@code mount}: their templates joined. */
  private RouteSeries nested(Route mount, RouteSeries outer, Route in) {
    RouteSeries s = outer.nested.get(in);
    if (s == null) {
      String label = label(in);
      if (label.startsWith("/")) {
        String prefix = mount.getPath() != null ? mount.getPath() : outer.route;
        if (prefix.endsWith("*")) {
          prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.endsWith("/")) {
          prefix = prefix.substring(0, prefix.length() - 1);
        }
        label = prefix + label;
      }
      s = byLabel.computeIfAbsent(label, RouteSeries::new);
      if (outer.nested.size() < MAX_CACHED_ROUTES) {
        outer.nested.putIfAbsent(in, s);
      }
    }
    return s;
  }

  private RouteSeries series(Route r) {
    RouteSeries s = byRoute.get(r);
    return s != null ? s : newSeries(r);
  }

  private RouteSeries newSeries(Route r) {
    String label = label(r);
    RouteSeries s = label == null ? noTemplate : byLabel.computeIfAbsent(label, RouteSeries::new);
    if (byRoute.size() < MAX_CACHED_ROUTES) {
      byRoute.putIfAbsent(r, s);
    }
    return s;
  }

  /** The label of a route: its name, else its path template (prefixes end in '*'), else regex. */
  static String label(Route r) {
    String name = r.getName();
    if (name == null) {
      return null;
    }
    String path = r.getPath();
    if (path != null && !r.isExactPath() && name.equals(path)) {
      return path + "*";
    }
    return name;
  }

  static int methodIndex(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET) {
      return 0;
    } else if (m == HttpMethod.HEAD) {
      return 1;
    } else if (m == HttpMethod.POST) {
      return 2;
    } else if (m == HttpMethod.PUT) {
      return 3;
    } else if (m == HttpMethod.DELETE) {
      return 4;
    } else if (m == HttpMethod.CONNECT) {
      return 5;
    } else if (m == HttpMethod.OPTIONS) {
      return 6;
    } else if (m == HttpMethod.TRACE) {
      return 7;
    } else if (m == HttpMethod.PATCH) {
      return 8;
    }
    String name = m.name();
    for (int i = 0; i < OTHER_METHOD; i++) {
      if (METHODS[i].equals(name)) {
        return i;
      }
    }
    return OTHER_METHOD;
  }

  static String statusString(int status) {
    return status >= 100 && status < STATUS_STRINGS.length
        ? STATUS_STRINGS[status]
        : Integer.toString(status);
  }

  // ---------------------------------------------------------------- series holders

  /** The series of one route label, per method. */
  final class RouteSeries {
    final String route;
    /** For a sub-router's mount route: the series of the sub-router's routes. */
    final ConcurrentHashMap<Route, RouteSeries> nested = new ConcurrentHashMap<>(4);
    private final AtomicReferenceArray<MethodSeries> byMethod =
        new AtomicReferenceArray<>(METHODS.length);

    RouteSeries(String route) {
      this.route = route;
    }

    MethodSeries forMethod(int method) {
      int i = withMethod ? method : 0;
      MethodSeries ms = byMethod.get(i);
      return ms != null ? ms : create(i);
    }

    private synchronized MethodSeries create(int i) {
      MethodSeries ms = byMethod.get(i);
      if (ms == null) {
        ms = new MethodSeries(this, withMethod ? METHODS[i] : null);
        byMethod.set(i, ms);
      }
      return ms;
    }
  }

  /** The series of one (route, method): created at zero together, so rates start from zero. */
  final class MethodSeries {
    final String route;
    final String method;
    final Gauge.Child inFlight;
    final Counter.Child disconnects;
    final Counter.Child exceptions;
    final Counter.Child fails;
    final Counter.Child serverErrors;
    private volatile StatusTable statuses = StatusTable.EMPTY;

    MethodSeries(RouteSeries rs, String method) {
      this.route = rs.route;
      this.method = method;
      this.inFlight = inFlightFamily.labels(values());
      this.disconnects = disconnectsFamily.labels(values());
      this.exceptions = failuresFamily.labels(values(EXCEPTION));
      this.fails = failuresFamily.labels(values(FAIL));
      this.serverErrors = failuresFamily.labels(values(SERVER_ERROR));
    }

    private String[] values(String... extra) {
      String[] base = method == null ? new String[] {route} : new String[] {route, method};
      for (String e : extra) {
        base = append(base, e);
      }
      return base;
    }

    DistributionChild latency(int status) {
      int key = withStatus ? status : 0;
      StatusTable t = statuses;
      int[] codes = t.codes;
      for (int i = 0; i < codes.length; i++) {
        if (codes[i] == key) {
          return t.children[i];
        }
      }
      return addStatus(key);
    }

    private synchronized DistributionChild addStatus(int key) {
      StatusTable t = statuses;
      for (int i = 0; i < t.codes.length; i++) {
        if (t.codes[i] == key) {
          return t.children[i];
        }
      }
      DistributionChild c =
          withStatus ? durationFamily.labels(values(statusString(key))) : durationFamily.labels(values());
      statuses = t.with(key, c);
      return c;
    }
  }

  /** Immutable (status, latency child) pairs; replaced as a whole when a status is added. */
  static final class StatusTable {
    static final StatusTable EMPTY = new StatusTable(new int[0], new DistributionChild[0]);

    final int[] codes;
    final DistributionChild[] children;

    private StatusTable(int[] codes, DistributionChild[] children) {
      this.codes = codes;
      this.children = children;
    }

    StatusTable with(int code, DistributionChild child) {
      int n = codes.length;
      int[] c = Arrays.copyOf(codes, n + 1);
      DistributionChild[] ch = Arrays.copyOf(children, n + 1);
      c[n] = code;
      ch[n] = child;
      return new StatusTable(c, ch);
    }
  }
}
