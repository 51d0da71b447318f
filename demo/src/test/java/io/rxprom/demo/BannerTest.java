package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BannerTest {

  @Test
  void saysWhereToLookWithTheActualPorts() {
    String b = Banner.text(DemoOptions.parse("--app-port", "0", "--metrics-port", "0"), 41234, 41235);
    assertThat(b)
        .contains(
            "  app        http://127.0.0.1:41234/foo\n"
                + "             http://127.0.0.1:41234/bar\n"
                + "  metrics    http://127.0.0.1:41235/metrics\n"
                + "  live view  http://127.0.0.1:41235/\n"
                + "  load       off (--load RATE makes the demo call itself)\n")
        .contains("        - targets: ['127.0.0.1:41235']\n")
        .endsWith("Ctrl-C stops the demo.\n");
  }

  @Test
  void wildcardHostIsShownAsLoopbackAndPushesAreListed() {
    String b =
        Banner.text(
            DemoOptions.parse(
                "--host", "0.0.0.0", "--load", "12.5",
                "--pushgateway", "http://127.0.0.1:9091", "--push-interval", "5",
                "--graphite", "127.0.0.1:2003", "--graphite-tags"),
            8080,
            8000);
    assertThat(b)
        .contains("  app        http://127.0.0.1:8080/foo\n")
        .contains("  load       12.5 requests/s to /foo and /bar\n")
        .contains("  push       http://127.0.0.1:9091 every 5 s, job rxprom-demo, instance=127.0.0.1:8080\n")
        .contains("  graphite   127.0.0.1:2003 every 10 s, prefix rxprom.demo, tagged series\n");
  }
}
