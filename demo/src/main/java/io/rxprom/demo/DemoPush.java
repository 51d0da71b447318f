package io.rxprom.demo;

/** Where the demo pushes its metrics when asked to: a Pushgateway and a Graphite receiver. */
final class DemoPush {

  /** The Pushgateway job. */
  static final String JOB = "rxprom-demo";

  /** The prefix of every Graphite path. */
  static final String GRAPHITE_PREFIX = "rxprom.demo";

  private DemoPush() {}

  /** The Pushgateway grouping key's {@code instance}: {@code host:app-port}. */
  static String instance(DemoOptions o, int appPort) {
    return o.reachableHost() + ":" + appPort;
  }
}
