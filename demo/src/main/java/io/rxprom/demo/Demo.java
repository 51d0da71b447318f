package io.rxprom.demo;

import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.scheduler.Schedulers;

/**
 * The running demo: the app server, the metrics server and, if asked for, the self-load, all on one
 * Vert.x instance with one registry of their own (so that several demos can run in one JVM).
 *
 * <p>{@link #start(DemoOptions)} blocks until everything listens, or fails with a {@link
 * StartupException} whose message is one line naming the port or flag at fault. {@link #close()}
 * stops the load first, letting its requests in flight finish, then closes Vert.x.
 *
 * <p>Thread-safe: the accessors read final fields; {@link #stopLoad()} and {@link #close()} block
 * the calling thread (never call them on an event loop) and may be called more than once.
 */
final class Demo implements AutoCloseable {

  static final int START_TIMEOUT_SECONDS = 30;
  static final int CLOSE_TIMEOUT_SECONDS = 10;

  private final Vertx vertx;
  private final DemoOptions options;
  private final MetricRegistry registry;
  private final AppVerticle app;
  private final DemoMetrics metrics;
  private final Optional<LoadGenerator> load;
  private final Optional<String> loadDeployment;
  private final DemoPush push;

  private Demo(
      Vertx vertx,
      DemoOptions options,
      MetricRegistry registry,
      AppVerticle app,
      DemoMetrics metrics,
      Optional<LoadGenerator> load,
      Optional<String> loadDeployment,
      DemoPush push) {
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    this.app = app;
    this.metrics = metrics;
    this.load = load;
    this.loadDeployment = loadDeployment;
    this.push = push;
  }

  /** A server could not start; the message is one line, fit to print as it is. */
  static final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts the demo and waits until it listens.
   *
   * @throws StartupException if a server cannot listen or a part cannot start
   */
  static Demo start(DemoOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      MetricRegistry registry = new MetricRegistry();
      DemoMetrics metrics = DemoMetrics.register(vertx, registry);
      SeedHandlers handlers = new SeedHandlers(SeedHandlers.DEFAULT_SEED, Schedulers.parallel());
      AppVerticle app =
          new AppVerticle(options.host(), options.appPort(), handlers, metrics.instrumentation());
      await(vertx.deployVerticle(app), "--app-port", options.host(), options.appPort());
      metrics.startServer(vertx, options);
      Optional<LoadGenerator> load = Optional.empty();
      Optional<String> loadDeployment = Optional.empty();
      if (options.loadRate() > 0) {
        LoadGenerator generator =
            new LoadGenerator(
                options.reachableHost(),
                app.actualPort(),
                options.loadRate(),
                LoadGenerator.DEFAULT_MAX_IN_FLIGHT,
                SeedHandlers.PATHS);
        loadDeployment = Optional.of(await(vertx.deployVerticle(generator), "--load", null, 0));
        load = Optional.of(generator);
      }
      DemoPush push;
      try {
        push = DemoPush.start(vertx, registry, options, app.actualPort());
      } catch (IllegalArgumentException e) {
        throw new StartupException(
            "cannot push the metrics (--pushgateway, --graphite): " + e.getMessage(), e);
      }
      return new Demo(vertx, options, registry, app, metrics, load, loadDeployment, push);
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      throw e;
    }
  }

  /**
   * Waits for a start-up step and turns its failure into a one-line {@link StartupException}.
   *
   * @param flag the flag that set what failed
   * @param host the host listened on, or null if the step does not listen
   * @param port the port listened on
   */
  static <T> T await(Future<T> step, String flag, String host, int port) {
    try {
      return step.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while starting (" + flag + ")", e);
    } catch (TimeoutException e) {
      throw new StartupException(
          "no answer within " + START_TIMEOUT_SECONDS + " s while starting (" + flag + ")", e);
    } catch (ExecutionException e) {
      throw startupFailure(e.getCause(), flag, host, port);
    }
  }

  private static StartupException startupFailure(Throwable cause, String flag, String host, int port) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      if (t instanceof BindException) {
        return new StartupException(
            msg.contains("in use")
                ? "port " + port + " on " + host + " is already in use (" + flag + ")"
                : "cannot listen on " + host + ":" + port + " (" + flag + "): " + msg,
            cause);
      }
      if (t instanceof UnknownHostException) {
        return new StartupException("unknown host " + host + " (--host): " + msg, cause);
      }
    }
    return new StartupException(
        (host == null ? "cannot start" : "cannot listen on " + host + ":" + port)
            + " (" + flag + "): " + cause,
        cause);
  }

  /** The options the demo was started with. */
  DemoOptions options() {
    return options;
  }

  /** The demo's own registry. */
  MetricRegistry registry() {
    return registry;
  }

  /** The port of {@code /foo} and {@code /bar}. */
  int appPort() {
    return app.actualPort();
  }

  /** The port of {@code /metrics} and the live view. */
  int metricsPort() {
    return metrics.serverPort();
  }

  /** The self-load generator, if {@code --load} was given. */
  Optional<LoadGenerator> load() {
    return load;
  }

  /**
   * Stops the self-load, if it runs, and waits (boundedly) until its requests in flight are
   * answered. Idempotent.
   */
  void stopLoad() {
    try {
      if (loadDeployment.isPresent() && vertx.deploymentIDs().contains(loadDeployment.get())) {
        vertx
            .undeploy(loadDeployment.get())
            .toCompletionStage()
            .toCompletableFuture()
            .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The load is a convenience: closing Vert.x stops it in any case.
    }
  }

  /** What pushes the metrics out, if {@code --pushgateway} or {@code --graphite} was given. */
  DemoPush push() {
    return push;
  }

  /**
   * Stops the self-load (waiting for its requests in flight), then the pushes (the Graphite bridge
   * writes what it buffered), then closes Vert.x and with it every server, each step bounded in
   * time. Idempotent.
   */
  @Override
  public void close() {
    try {
      stopLoad();
      push.stop().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A peer that does not answer at shutdown must not keep the demo from stopping.
    } finally {
      closeQuietly(vertx);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Nothing more can be done at shutdown; the process is about to exit.
    }
  }
}
