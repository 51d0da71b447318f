package io.rxprom.demo;

/** What the demo prints when it is up: where to look, and how to point Prometheus at it. Stateless. */
final class Banner {

  static final String JOB = "rxprom-demo";

  private Banner() {}

  /**
   * The scrape job for one demo whose metrics server is at {@code target} ({@code host:port}), as
   * it appears in {@code demo/prometheus.yml}.
   */
  static String scrapeConfig(String target) {
    return """
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ['%s']
        """
        .formatted(JOB, target);
  }

  /**
   * The banner of a started demo.
   *
   * @param o the options it runs with
   * @param appPort the app's actual port
   * @param metricsPort the metrics server's actual port
   */
  static String text(DemoOptions o, int appPort, int metricsPort) {
    String host = o.reachableHost();
    String app = "http://" + host + ":" + appPort;
    String metrics = "http://" + host + ":" + metricsPort;
    StringBuilder b = new StringBuilder();
    b.append("rxprom demo: the seed's request router, instrumented with rxprom\n\n");
    b.append("  app        ").append(app).append(SeedHandlers.FOO).append('\n');
    b.append("             ").append(app).append(SeedHandlers.BAR).append('\n');
    b.append("  metrics    ").append(metrics).append("/metrics\n");
    b.append("  live view  ").append(metrics).append("/\n");
    if (o.loadRate() > 0) {
      b.append("  load       ")
          .append(rate(o.loadRate()))
          .append(" requests/s to ")
          .append(SeedHandlers.FOO)
          .append(" and ")
          .append(SeedHandlers.BAR)
          .append('\n');
    } else {
      b.append("  load       off (--load RATE makes the demo call itself)\n");
    }
    o.pushgateway()
        .ifPresent(
            url ->
                b.append("  push       ")
                    .append(url)
                    .append(" every ")
                    .append(o.pushInterval().toSeconds())
                    .append(" s, job ")
                    .append(DemoPush.JOB)
                    .append(", instance=")
                    .append(DemoPush.instance(o, appPort))
                    .append('\n'));
    o.graphite()
        .ifPresent(
            g ->
                b.append("  graphite   ")
                    .append(g.host())
                    .append(':')
                    .append(g.port())
                    .append(" every ")
                    .append(o.graphiteInterval().toSeconds())
                    .append(" s, prefix ")
                    .append(DemoPush.GRAPHITE_PREFIX)
                    .append(o.graphiteTags() ? ", tagged series" : "")
                    .append('\n'));
    b.append("\nTo scrape it with Prometheus, use this job in prometheus.yml")
        .append(" (demo/prometheus.yml is a whole file):\n\n");
    b.append(scrapeConfig(host + ":" + metricsPort).indent(2));
    b.append("\nCtrl-C stops the demo.\n");
    return b.toString();
  }

  private static String rate(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }
}
