package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.testing.Json;
import io.rxprom.testing.PrometheusServer;
import io.rxprom.testing.PrometheusServer.VectorSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale-out story: two demo instances under self-load behind one real Prometheus server that
 * scrapes both every second.
 *
 * <p>Once as users run them, in two child JVMs: with the load running, Prometheus' total lies
 * between what the instances report just before and just after (the counters only go up). Once
 * in this JVM, each instance with its own Vert.x, registry and ports, so that the test can stop
 * the load and demand exact equality. Everything else is real: HTTP load, HTTP scrapes,
 * Prometheus' storage and PromQL.
 */
class ScaleOutTest {

  static final String LATENCY_COUNT = "my_router_request_latency_seconds_count";
  static final String EXCEPTIONS = "my_router_request_exceptions_total";

  @Test
  @Timeout(120)
  void onePrometheusSeesBothInstancesAndAgreesWithEachOnesOwnEndpoint() throws Exception {
    List<Demo> demos = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        demos.add(Demo.start(DemoOptions.parse("--app-port", "0", "--metrics-port", "0", "--load", "40")));
      }
      Map<String, Demo> byTarget = new HashMap<>();
      for (Demo d : demos) {
        byTarget.put("127.0.0.1:" + d.metricsPort(), d);
      }
      try (PrometheusServer prom = PrometheusServer.start(byTarget.keySet().toArray(String[]::new))) {
        // 1. Both targets are up.
        String targets = prom.awaitTargetsUp(2, Duration.ofSeconds(30));
        Map<String, String> health = new HashMap<>();
        for (Object t : (List<?>) Json.at(Json.parse(targets), "data", "activeTargets")) {
          health.put((String) Json.at(t, "labels", "instance"), (String) Json.at(t, "health"));
        }
        assertThat(health).isEqualTo(byTarget.keySet().stream().collect(Collectors.toMap(k -> k, k -> "up")));

        // 2. The request rate across instances, by path, has both paths.
        List<VectorSample> rates =
            prom.awaitQuery(
                "sum by (path) (rate(" + LATENCY_COUNT + "[10s]))",
                r -> r.size() == 2 && r.stream().allMatch(s -> s.value() > 0),
                Duration.ofSeconds(30));
        assertThat(rates.stream().map(s -> s.labels().get("path")).collect(Collectors.toSet()))
            .isEqualTo(Set.of("/foo", "/bar"));

        // 3. The total across instances equals what the instances report themselves. Stop the
        // load so that the counters hold still, make sure they do, then wait for a scrape of
        // both targets that began after that and compare with one query.
        for (Demo d : demos) {
          d.stopLoad();
        }
        Map<String, String> own = awaitStillEndpoints(byTarget.keySet());
        Instant still = Instant.now();
        awaitScrapedAfter(prom, still, byTarget.size());

        double ownErrors = 0;
        double ownRequests = 0;
        for (String body : own.values()) {
          ownErrors += ExpositionText.sum(body, EXCEPTIONS);
          ownRequests += ExpositionText.sum(body, LATENCY_COUNT);
        }
        assertThat(ownErrors).as("errors under a load of 2 x 40 requests/s").isPositive();
        assertThat(scalar(prom, "sum(" + EXCEPTIONS + ")")).isEqualTo(ownErrors);
        assertThat(scalar(prom, "sum(" + LATENCY_COUNT + ")")).isEqualTo(ownRequests);
        // And per instance, per path.
        for (VectorSample s : prom.queryVector(EXCEPTIONS)) {
          String body = own.get(s.labels().get("instance"));
          assertThat(s.value())
              .as(s.labels().toString())
              .isEqualTo(ExpositionText.value(body, EXCEPTIONS, "path", s.labels().get("path")));
        }
        // The endpoints did not move while Prometheus was read.
        for (Map.Entry<String, String> e : own.entrySet()) {
          assertThat(ExpositionText.sum(metrics(e.getKey()), EXCEPTIONS))
              .isEqualTo(ExpositionText.sum(e.getValue(), EXCEPTIONS));
        }
      }
    } finally {
      for (Demo d : demos) {
        d.close();
      }
    }
  }

  @Test
  @Timeout(150)
  void childJvmsUnderLoadAgreeWithPrometheusWithinOneScrape() throws Exception {
    try (DemoProcess a = DemoProcess.start("--app-port", "0", "--metrics-port", "0", "--load", "40");
        DemoProcess b = DemoProcess.start("--app-port", "0", "--metrics-port", "0", "--load", "40")) {
      a.awaitStarted(Duration.ofSeconds(60));
      b.awaitStarted(Duration.ofSeconds(60));
      Set<String> targets = Set.of("127.0.0.1:" + a.metricsPort(), "127.0.0.1:" + b.metricsPort());
      try (PrometheusServer prom = PrometheusServer.start(targets.toArray(String[]::new))) {
        prom.awaitTargetsUp(2, Duration.ofSeconds(30));
        List<VectorSample> rates =
            prom.awaitQuery(
                "sum by (path) (rate(" + LATENCY_COUNT + "[10s]))",
                r -> r.size() == 2 && r.stream().allMatch(s -> s.value() > 0),
                Duration.ofSeconds(30));
        assertThat(rates.stream().map(s -> s.labels().get("path")).collect(Collectors.toSet()))
            .isEqualTo(Set.of("/foo", "/bar"));
        assertThat(prom.queryVector("count by (instance) (" + LATENCY_COUNT + ")")).hasSize(2);

        double errorsBefore = 0;
        double requestsBefore = 0;
        for (String body : read(targets).values()) {
          errorsBefore += ExpositionText.sum(body, EXCEPTIONS);
          requestsBefore += ExpositionText.sum(body, LATENCY_COUNT);
        }
        awaitScrapedAfter(prom, Instant.now(), targets.size());
        double promErrors = scalar(prom, "sum(" + EXCEPTIONS + ")");
        double promRequests = scalar(prom, "sum(" + LATENCY_COUNT + ")");
        double errorsAfter = 0;
        double requestsAfter = 0;
        for (String body : read(targets).values()) {
          errorsAfter += ExpositionText.sum(body, EXCEPTIONS);
          requestsAfter += ExpositionText.sum(body, LATENCY_COUNT);
        }
        assertThat(requestsAfter).as("the load kept running").isGreaterThan(requestsBefore);
        assertThat(promErrors).isBetween(errorsBefore, errorsAfter);
        assertThat(promRequests).isBetween(requestsBefore, requestsAfter);
      }
    }
  }

  private static String metrics(String target) {
    return ExpositionText.get("http://" + target + "/metrics");
  }

  /**
   * Reads each endpoint until two reads 500 ms apart agree on the request and error totals: the
   * load's last requests have been answered and recorded.
   */
  private static Map<String, String> awaitStillEndpoints(Set<String> targets) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, String> before = read(targets);
    while (true) {
      Thread.sleep(500);
      Map<String, String> after = read(targets);
      boolean still =
          targets.stream()
              .allMatch(
                  t ->
                      ExpositionText.sum(before.get(t), EXCEPTIONS) == ExpositionText.sum(after.get(t), EXCEPTIONS)
                          && ExpositionText.sum(before.get(t), LATENCY_COUNT)
                              == ExpositionText.sum(after.get(t), LATENCY_COUNT));
      if (still) {
        return after;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the demos' counters kept moving after their load stopped");
      }
      before.clear();
      before.putAll(after);
    }
  }

  private static Map<String, String> read(Set<String> targets) {
    Map<String, String> bodies = new HashMap<>();
    for (String t : targets) {
      bodies.put(t, metrics(t));
    }
    return bodies;
  }

  /** Waits until each of {@code n} targets' last scrape started after {@code instant}. */
  private static void awaitScrapedAfter(PrometheusServer prom, Instant instant, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String json = "";
    while (System.nanoTime() - deadline < 0) {
      json = prom.targets();
      int fresh = 0;
      for (Object t : (List<?>) Json.at(Json.parse(json), "data", "activeTargets")) {
        String last = (String) Json.at(t, "lastScrape");
        if ("up".equals(Json.at(t, "health")) && Instant.parse(last).isAfter(instant)) {
          fresh++;
        }
      }
      if (fresh >= n) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("targets not scraped after " + instant + ": " + json);
  }

  private static double scalar(PrometheusServer prom, String promql) {
    List<VectorSample> v = prom.queryVector(promql);
    assertThat(v).as(promql).hasSize(1);
    return v.get(0).value();
  }
}
