package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.demo.DemoOptions.HostAndPort;
import io.rxprom.demo.DemoOptions.UsageException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noFlagsGiveTheSeedsPortsOnLoopbackWithoutLoad() {
    DemoOptions o = DemoOptions.parse();
    assertThat(o).isEqualTo(DemoOptions.defaults());
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.appPort()).isEqualTo(8080);
    assertThat(o.metricsPort()).isEqualTo(8000);
    assertThat(o.loadRate()).isZero();
    assertThat(o.pushgateway()).isEmpty();
    assertThat(o.pushInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.graphite()).isEmpty();
    assertThat(o.graphiteInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.graphiteTags()).isFalse();
    assertThat(o.help()).isFalse();
  }

  @Test
  void everyFlagWithASeparateValue() {
    DemoOptions o =
        DemoOptions.parse(
            "--host", "0.0.0.0",
            "--app-port", "9080",
            "--metrics-port", "9000",
            "--load", "12.5",
            "--pushgateway", "http://127.0.0.1:9091",
            "--push-interval", "3",
            "--graphite", "carbon.local:2003",
            "--graphite-interval", "7",
            "--graphite-tags");
    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.appPort()).isEqualTo(9080);
    assertThat(o.metricsPort()).isEqualTo(9000);
    assertThat(o.loadRate()).isEqualTo(12.5);
    assertThat(o.pushgateway()).contains(URI.create("http://127.0.0.1:9091"));
    assertThat(o.pushInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.graphite()).contains(new HostAndPort("carbon.local", 2003));
    assertThat(o.graphiteInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.graphiteTags()).isTrue();
  }

  @Test
  void flagsWithEqualsSignAndInAnyOrder() {
    DemoOptions o = DemoOptions.parse("--load=100", "--metrics-port=0", "--app-port=0", "--graphite=[::1]:2003");
    assertThat(o.loadRate()).isEqualTo(100);
    assertThat(o.appPort()).isZero();
    assertThat(o.metricsPort()).isZero();
    assertThat(o.graphite()).contains(new HostAndPort("::1", 2003));
  }

  @Test
  void helpInBothSpellings() {
    assertThat(DemoOptions.parse("--help").help()).isTrue();
    assertThat(DemoOptions.parse("--load", "5", "-h").help()).isTrue();
  }

  @Test
  void usageNamesEveryFlag() {
    for (String flag :
        new String[] {
          "--host", "--app-port", "--metrics-port", "--load", "--pushgateway", "--push-interval",
          "--graphite", "--graphite-interval", "--graphite-tags", "--help"
        }) {
      assertThat(DemoOptions.USAGE).contains(flag);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "--nope                         | unknown flag --nope",
        "-x                             | unknown flag -x",
        "extra                          | unexpected argument 'extra': the demo takes only flags",
        "--app-port                     | --app-port needs a value (PORT)",
        "--app-port --load 3            | --app-port needs a value (PORT)",
        "--app-port abc                 | --app-port: 'abc' is not a port number (0 to 65535)",
        "--app-port 70000               | --app-port: 70000 is not a port number (0 to 65535)",
        "--metrics-port -1              | --metrics-port: -1 is not a port number (0 to 65535)",
        "--app-port 9000 --metrics-port 9000 | --app-port and --metrics-port are both 9000: they must differ",
        "--app-port 1 --app-port 2      | --app-port given more than once",
        "--load fast                    | --load: 'fast' is not a rate (requests per second, 0 to 10000)",
        "--load -5                      | --load: '-5' is not a rate (requests per second, 0 to 10000)",
        "--load 10001                   | --load: '10001' is not a rate (requests per second, 0 to 10000)",
        "--load NaN                     | --load: 'NaN' is not a rate (requests per second, 0 to 10000)",
        "--host=                        | --host: '' is not a host name or address",
        "--help=yes                     | --help takes no value, got 'yes'",
        "--pushgateway ftp://x:21       | --pushgateway: 'ftp://x:21' is not an http:// or https:// URL with a host",
        "--pushgateway http://x/?a=b    | --pushgateway: 'http://x/?a=b' must not have a query or fragment",
        "--push-interval 5              | --push-interval needs --pushgateway URL",
        "--pushgateway http://x --push-interval 0 | --push-interval: 0 is not a whole number of seconds (1 to 86400)",
        "--graphite carbon              | --graphite: 'carbon' is not HOST:PORT",
        "--graphite carbon:             | --graphite: 'carbon:' is not HOST:PORT",
        "--graphite :2003               | --graphite: ':2003' is not HOST:PORT",
        "--graphite carbon:0            | --graphite: port 0 in 'carbon:0' is not 1 to 65535",
        "--graphite-tags                | --graphite-tags needs --graphite HOST:PORT",
        "--graphite-interval 5          | --graphite-interval needs --graphite HOST:PORT",
      })
  void badCommandLinesSayWhichFlagValueAndRule(String line, String message) {
    String[] args = line.isBlank() ? new String[0] : line.strip().split("\\s+");
    assertThatThrownBy(() -> DemoOptions.parse(args))
        .isInstanceOf(UsageException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} is reached at {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0.0.0.0, 127.0.0.1",
    "::, [::1]",
    "::1, [::1]",
    "localhost, localhost",
  })
  void reachableHostTurnsWildcardsIntoLoopback(String host, String reachable) {
    DemoOptions o = DemoOptions.parse("--host", host);
    assertThat(o.reachableHost()).isEqualTo(reachable);
    assertThat(o.pushgateway()).isEqualTo(Optional.empty());
  }
}
