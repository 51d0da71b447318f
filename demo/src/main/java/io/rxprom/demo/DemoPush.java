package io.rxprom.demo;

import io.rxprom.core.MetricRegistry;
import io.rxprom.vertx.GraphiteBridge;
import io.rxprom.vertx.GraphiteOptions;
import io.rxprom.vertx.PushgatewayClient;
import io.rxprom.vertx.PushgatewayOptions;
import io.rxprom.vertx.PushgatewayPusher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the demo sends its metrics when asked to: a Pushgateway ({@code --pushgateway URL}) and a
 * Graphite receiver ({@code --graphite HOST:PORT}), each on its own schedule. Neither blocks, and
 * neither stops the demo when its peer is down: the pusher logs once per outage, the bridge
 * buffers, reconnects and counts what it drops.
 *
 * <p>Thread-safe: immutable; the pusher and the bridge are thread-safe themselves.
 */
final class DemoPush {

  /** The Pushgateway job. */
  static final String JOB = "rxprom-demo";

  /** The prefix of every Graphite path. */
  static final String GRAPHITE_PREFIX = "rxprom.demo";

  private final Optional<PushgatewayClient> client;
  private final Optional<PushgatewayPusher> pusher;
  private final Optional<GraphiteBridge> bridge;

  private DemoPush(
      Optional<PushgatewayClient> client, Optional<PushgatewayPusher> pusher, Optional<GraphiteBridge> bridge) {
    this.client = client;
    this.pusher = pusher;
    this.bridge = bridge;
  }

  /** The Pushgateway grouping key's {@code instance}: {@code host:app-port}. */
  static String instance(DemoOptions o, int appPort) {
    return o.reachableHost() + ":" + appPort;
  }

  /**
   * Starts what the options ask for: a push now and then every {@code --push-interval}, a Graphite
   * send now and then every {@code --graphite-interval}.
   */
  static DemoPush start(Vertx vertx, MetricRegistry registry, DemoOptions o, int appPort) {
    Optional<PushgatewayClient> client = Optional.empty();
    Optional<PushgatewayPusher> pusher = Optional.empty();
    Optional<GraphiteBridge> bridge = Optional.empty();
    if (o.pushgateway().isPresent()) {
      PushgatewayClient c =
          PushgatewayClient.create(vertx, PushgatewayOptions.builder(o.pushgateway().get().toString()).build());
      client = Optional.of(c);
      pusher =
          Optional.of(
              PushgatewayPusher.builder(vertx, c, registry, JOB)
                  .groupingKey(Map.of("instance", instance(o, appPort)))
                  .interval(o.pushInterval())
                  .build()
                  .start());
    }
    if (o.graphite().isPresent()) {
      GraphiteOptions options =
          GraphiteOptions.builder(o.graphite().get().host(), o.graphite().get().port())
              .prefix(GRAPHITE_PREFIX)
              .tags(o.graphiteTags())
              .interval(o.graphiteInterval())
              .build();
      bridge = Optional.of(GraphiteBridge.create(vertx, registry, options).start());
    }
    return new DemoPush(client, pusher, bridge);
  }

  /** The pusher, if {@code --pushgateway} was given. */
  Optional<PushgatewayPusher> pusher() {
    return pusher;
  }

  /** The Graphite bridge, if {@code --graphite} was given. */
  Optional<GraphiteBridge> bridge() {
    return bridge;
  }

  /** Stops the schedules; the bridge writes what it buffered first. */
  Future<?> stop() {
    List<Future<?>> steps = new ArrayList<>();
    pusher.ifPresent(p -> steps.add(p.stop().eventually(() -> client.get().close())));
    bridge.ifPresent(b -> steps.add(b.stop()));
    return Future.join(steps);
  }
}
