package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.MetricFamilySnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import io.rxprom.testing.PythonParsers;
import io.rxprom.testing.Promtool;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo service in this JVM: what it registers, what it answers, how it fails to start. */
class DemoTest {

  static Demo startOnFreePorts(String... extra) {
    String[] args = new String[4 + extra.length];
    System.arraycopy(new String[] {"--app-port", "0", "--metrics-port", "0"}, 0, args, 0, 4);
    System.arraycopy(extra, 0, args, 4, extra.length);
    return Demo.start(DemoOptions.parse(args));
  }

  static Set<String> families(Demo demo) {
    return demo.registry().scrape().families().stream()
        .map(MetricFamilySnapshot::name)
        .collect(Collectors.toSet());
  }

  @Test
  void registersTheStandardCollectors() {
    try (Demo demo = startOnFreePorts()) {
      assertThat(families(demo))
          .contains(
              "process_cpu_seconds",
              "process_resident_memory_bytes",
              "jvm_memory_used_bytes",
              "jvm_threads_current",
              "vertx_eventloop_delay_seconds");
    }
  }

  @Test
  void theSeedsMetricsExistAtZeroBeforeTheFirstRequest() {
    try (Demo demo = startOnFreePorts()) {
      String body = ExpositionText.get("http://127.0.0.1:" + demo.metricsPort() + "/metrics");
      assertThat(body)
          .contains(
              "# HELP my_router_request_latency_seconds Latency of request router handlers\n"
                  + "# TYPE my_router_request_latency_seconds summary\n",
              "# HELP my_router_request_exceptions_total Exceptions thrown in request router handlers\n"
                  + "# TYPE my_router_request_exceptions_total counter\n");
      for (String path : SeedHandlers.PATHS) {
        assertThat(ExpositionText.value(body, "my_router_request_latency_seconds_count", "path", path)).isZero();
        assertThat(ExpositionText.value(body, "my_router_request_latency_seconds_sum", "path", path)).isZero();
        assertThat(ExpositionText.value(body, "my_router_request_exceptions_total", "path", path)).isZero();
      }
    }
  }

  @Test
  void everythingTheDemoServesPassesPromtoolAndTheStrictOpenMetricsParser() throws Exception {
    try (Demo demo = startOnFreePorts("--load", "50")) {
      String url = "http://127.0.0.1:" + demo.metricsPort() + "/metrics";
      // Let the load touch every series first: errors, both routes, both status codes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() - deadline < 0
          && !(ExpositionText.sum(ExpositionText.get(url), "my_router_request_exceptions_total") >= 2)) {
        Thread.sleep(200);
      }
      byte[] text = ExpositionText.get(url).getBytes(StandardCharsets.UTF_8);
      Promtool.Result lint = Promtool.checkMetrics(text);
      assertThat(lint.clean()).as(lint.output()).isTrue();
      byte[] openMetrics =
          ExpositionText.get(url, "application/openmetrics-text; version=1.0.0").getBytes(StandardCharsets.UTF_8);
      assertThat(PythonParsers.parseOpenMetrics(openMetrics))
          .extracting(PythonParsers.Family::name)
          .contains("my_router_request_latency_seconds", "my_router_request_exceptions", "http_server_request_duration_seconds");
    }
  }

  @Test
  void answersFooAndBarOnTheAppPort() {
    try (Demo demo = startOnFreePorts()) {
      String base = "http://127.0.0.1:" + demo.appPort();
      for (String path : SeedHandlers.PATHS) {
        String body = ExpositionText.getAny(base + path);
        assertThat(body).matches("200 " + path + " answered after \\d+ ms\n|500 500 simulated failure in " + path + "\n");
      }
    }
  }

  @Test
  void aPortInUseIsAStartupExceptionNamingThePortAndFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> Demo.start(DemoOptions.parse("--app-port", "0", "--metrics-port", Integer.toString(port))))
          .isInstanceOf(Demo.StartupException.class)
          .hasMessage("port " + port + " on 127.0.0.1 is already in use (--metrics-port)");
    }
  }

  @Test
  void anUnknownHostIsAStartupException() {
    assertThatThrownBy(() -> Demo.start(DemoOptions.parse("--host", "no-such-host.invalid", "--app-port", "0", "--metrics-port", "0")))
        .isInstanceOf(Demo.StartupException.class)
        .hasMessageStartingWith("unknown host no-such-host.invalid (--host)");
  }
}
