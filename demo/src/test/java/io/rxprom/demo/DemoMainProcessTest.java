package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line as a user meets it: the demo in its own JVM, its exit codes and output. */
class DemoMainProcessTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(30);

  @Test
  void badFlagPrintsTheProblemAndTheUsageAndExits2() {
    try (DemoProcess demo = DemoProcess.start("--app-port", "80a")) {
      assertThat(demo.awaitExit(EXIT)).isEqualTo(2);
      assertThat(demo.stderr())
          .startsWith("rxprom-demo: --app-port: '80a' is not a port number (0 to 65535)\n\nUsage: ")
          .contains("--metrics-port PORT");
      assertThat(demo.stdout()).isEmpty();
    }
  }

  @Test
  void helpPrintsTheUsageAndExits0() {
    try (DemoProcess demo = DemoProcess.start("--help")) {
      assertThat(demo.awaitExit(EXIT)).isZero();
      assertThat(demo.stdout()).isEqualTo(DemoOptions.USAGE);
      assertThat(demo.stderr()).isEmpty();
    }
  }

  @Test
  void appPortInUseIsOneLineNamingThePortAndExits1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        DemoProcess demo =
            DemoProcess.start("--app-port", Integer.toString(taken.getLocalPort()), "--metrics-port", "0")) {
      assertThat(demo.awaitExit(EXIT)).isEqualTo(1);
      assertThat(demo.stderr())
          .isEqualTo(
              "rxprom-demo: port " + taken.getLocalPort()
                  + " on 127.0.0.1 is already in use (--app-port)\n");
      assertThat(demo.stdout()).isEmpty();
    }
  }

  @Test
  void metricsPortInUseIsOneLineNamingThePortAndExits1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        DemoProcess demo =
            DemoProcess.start("--app-port", "0", "--metrics-port", Integer.toString(taken.getLocalPort()))) {
      assertThat(demo.awaitExit(EXIT)).isEqualTo(1);
      assertThat(demo.stderr())
          .isEqualTo(
              "rxprom-demo: port " + taken.getLocalPort()
                  + " on 127.0.0.1 is already in use (--metrics-port)\n");
    }
  }

  @Test
  void sigtermStopsTheDemoCleanlyWithLoadRunning() throws Exception {
    try (DemoProcess demo = DemoProcess.start("--app-port", "0", "--metrics-port", "0", "--load", "50")) {
      demo.awaitStarted(START);
      HttpClient http = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      HttpResponse<String> foo =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.appPort() + "/foo"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(foo.statusCode()).isIn(200, 500);
      assertThat(foo.body()).matches("/foo answered after \\d+ ms\n|500 simulated failure in /foo\n");

      demo.terminate();
      // The JVM's own status for SIGTERM once its shutdown hooks are done.
      assertThat(demo.awaitExit(EXIT)).isEqualTo(143);
      assertThat(demo.stdout()).endsWith("rxprom-demo: stopping\nrxprom-demo: stopped\n");
      // Vert.x may warn of a slow event loop on a loaded machine (first-use class loading);
      // nothing may fail or be logged as an error on the way down.
      assertThat(demo.stderr()).doesNotContain("SEVERE", "ERROR", "Exception in thread");
    }
  }
}
