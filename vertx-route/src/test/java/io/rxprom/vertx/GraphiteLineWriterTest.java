package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.Info;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.StateSet;
import io.rxprom.core.Summary;
import io.rxprom.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GraphiteLineWriterTest {

  private static final long T = 1234567890L;

  private static String text(GraphiteLineWriter w, MetricRegistry r) {
    StringBuilder sb = new StringBuilder();
    for (GraphiteLineWriter.Chunk c : w.write(r.scrape(), T)) {
      sb.append(c.bytes().toString(StandardCharsets.US_ASCII));
    }
    return sb.toString();
  }

  /** A registry with one family of each type; the Python script below builds the same one. */
  private static MetricRegistry sampleRegistry() {
    MetricRegistry r = new MetricRegistry();
    Counter c = Counter.builder("requests").help("h").labelNames("path", "method").register(r);
    c.labels("/foo bar", "GET").inc(3);
    c.labels("a.b", "\u00e4\ud83d\ude00").inc(0.5);
    Gauge.builder("temp_celsius").help("h").register(r).set(-1.25);
    Histogram h = Histogram.builder("latency_seconds").help("h").labelNames("route")
        .buckets(0.005, 0.1, 1, 10).register(r);
    for (double v : new double[] {0.001, 0.05, 0.5, 5, 50}) {
      h.labels("/x").observe(v);
    }
    Summary s = Summary.builder("payload_bytes").help("h").register(r);
    s.observe(100);
    s.observe(250);
    Info.builder("build").help("h").labelNames("revision", "version").register(r).set("9f1c", "1.4.2");
    StateSet.builder("breaker").help("h").states("closed", "open").register(r).setState("open");
    return r;
  }

  @Test
  void plainPathsSortLabelsSanitiseAndNameSamplesPerType() {
    String out = text(new GraphiteLineWriter("rx.demo", false), sampleRegistry());
    assertThat(out).isEqualTo(String.join("",
        "rx.demo.breaker.breaker.closed 0 1234567890\n",
        "rx.demo.breaker.breaker.open 1 1234567890\n",
        "rx.demo.build_info.revision.9f1c.version.1_4_2 1 1234567890\n",
        "rx.demo.latency_seconds_bucket.le.0_005.route._x 1 1234567890\n",
        "rx.demo.latency_seconds_bucket.le.0_1.route._x 2 1234567890\n",
        "rx.demo.latency_seconds_bucket.le.1_0.route._x 3 1234567890\n",
        "rx.demo.latency_seconds_bucket.le.10_0.route._x 4 1234567890\n",
        "rx.demo.latency_seconds_bucket.le._Inf.route._x 5 1234567890\n",
        "rx.demo.latency_seconds_count.route._x 5 1234567890\n",
        "rx.demo.latency_seconds_sum.route._x 55.551 1234567890\n",
        "rx.demo.payload_bytes_count 2 1234567890\n",
        "rx.demo.payload_bytes_sum 350 1234567890\n",
        "rx.demo.requests_total.method.GET.path._foo_bar 3 1234567890\n",
        "rx.demo.requests_total.method.__.path.a_b 0.5 1234567890\n",
        "rx.demo.temp_celsius -1.25 1234567890\n"));
  }

  @Test
  void taggedSeriesUseSemicolonsAndEquals() {
    MetricRegistry r = new MetricRegistry();
    Counter.builder("http_requests").labelNames("route", "code").register(r).labels("/a/b", "200").inc();
    Gauge.builder("up").register(r).set(1);
    assertThat(text(new GraphiteLineWriter("", true), r)).isEqualTo(
        "http_requests_total;code=200;route=_a_b 1 1234567890\n"
            + "up 1 1234567890\n");
  }

  @Test
  void emptyLabelValuesAreLeftOutAndNaNIsNotWritten() {
    MetricRegistry r = new MetricRegistry();
    Gauge g = Gauge.builder("g").labelNames("a", "b").register(r);
    g.labels("", "x").set(2);
    g.labels("y", "z").set(Double.NaN);
    Gauge.builder("inf").register(r).set(Double.NEGATIVE_INFINITY);
    assertThat(text(new GraphiteLineWriter("p", false), r))
        .isEqualTo("p.g.b.x 2 1234567890\np.inf -Inf 1234567890\n");
  }

  @Test
  void chunksHoldWholeLinesAndAddUpToTheWholeOutput() {
    MetricRegistry r = new MetricRegistry();
    Counter c = Counter.builder("c").labelNames("i").register(r);
    for (int i = 0; i < 500; i++) {
      c.labels(Integer.toString(i)).inc(i);
    }
    String whole = text(new GraphiteLineWriter("p", false), r);
    List<GraphiteLineWriter.Chunk> chunks = new GraphiteLineWriter("p", false, 1000).write(r.scrape(), T);
    assertThat(chunks).hasSizeGreaterThan(10);
    StringBuilder joined = new StringBuilder();
    int lines = 0;
    for (GraphiteLineWriter.Chunk ch : chunks) {
      String s = ch.bytes().toString(StandardCharsets.US_ASCII);
      assertThat(s).endsWith("\n");
      assertThat(ch.size()).isLessThanOrEqualTo(1000);
      assertThat(s.chars().filter(x -> x == '\n').count()).isEqualTo(ch.lines());
      lines += ch.lines();
      joined.append(s);
    }
    assertThat(joined.toString()).isEqualTo(whole);
    assertThat(lines).isEqualTo(500);
  }

  @Test
  void sanitiseReplacesEveryCodePointOutsideTheSafeSetWithOneUnderscore() {
    assertThat(GraphiteLineWriter.sanitize("a.b/c d:e-f_G9")).isEqualTo("a_b_c_d_e-f_G9");
    assertThat(GraphiteLineWriter.sanitize("\u00e4\ud83d\ude00;=")).isEqualTo("____");
  }

  @Test
  void goFloatIsGoShortestWithDotZeroAsThePythonClientWritesLeAndQuantile() {
    assertThat(GraphiteLineWriter.goFloat(0.005)).isEqualTo("0.005");
    assertThat(GraphiteLineWriter.goFloat(1)).isEqualTo("1.0");
    assertThat(GraphiteLineWriter.goFloat(10)).isEqualTo("10.0");
    assertThat(GraphiteLineWriter.goFloat(123456)).isEqualTo("123456.0");
    assertThat(GraphiteLineWriter.goFloat(1e6)).isEqualTo("1e+06");
    assertThat(GraphiteLineWriter.goFloat(1234567.5)).isEqualTo("1.2345675e+06");
    assertThat(GraphiteLineWriter.goFloat(1e-5)).isEqualTo("1e-05");
    assertThat(GraphiteLineWriter.goFloat(0.0001)).isEqualTo("0.0001");
    assertThat(GraphiteLineWriter.goFloat(2.5e-300)).isEqualTo("2.5e-300");
    assertThat(GraphiteLineWriter.goFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GraphiteLineWriter.goFloat(0.0)).isEqualTo("0.0");
    assertThat(GraphiteLineWriter.goFloat(-0.25, false)).isEqualTo("-0.25");
    assertThat(GraphiteLineWriter.goFloat(0.1 + 0.2, false)).isEqualTo("0.30000000000000004");
  }

  /**
   * The same registry pushed by the Python client's own GraphiteBridge (a real socket, its
   * {@code _timer} fixed) gives the same paths and values, except its {@code _created} samples,
   * which rxprom does not send.
   */
  @Test
  void pathsAndValuesMatchThePythonClientsBridge() throws Exception {
    String[] python = runPythonBridge().split("---\n", -1);
    for (boolean tags : new boolean[] {false, true}) {
      Map<String, Double> theirs = parse(python[tags ? 1 : 0], true);
      Map<String, Double> ours = parse(text(new GraphiteLineWriter("rx.demo", tags), sampleRegistry()), false);
      assertThat(ours).as("tags=" + tags).isEqualTo(theirs);
      assertThat(ours).hasSize(15);
    }
  }

  private static Map<String, Double> parse(String lines, boolean dropCreated) {
    Map<String, Double> m = new TreeMap<>();
    for (String line : lines.split("\n")) {
      String[] f = line.split(" ");
      assertThat(f).as(line).hasSize(3);
      assertThat(f[2]).isEqualTo(Long.toString(T));
      String name = f[0].split(";")[0].split("\\.")[2];
      if (dropCreated && name.endsWith("_created")) {
        continue;
      }
      m.put(f[0], Double.parseDouble(f[1].replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    }
    return m;
  }

  private static String runPythonBridge() throws IOException, InterruptedException {
    Path python = Peers.requirePythonModule("prometheus_client.bridge.graphite");
    String script = String.join("\n",
        "import socket, threading, sys",
        "from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, Info, Enum",
        "from prometheus_client.bridge.graphite import GraphiteBridge",
        "r = CollectorRegistry()",
        "c = Counter('requests', 'h', ['path', 'method'], registry=r)",
        "c.labels('/foo bar', 'GET').inc(3)",
        "c.labels('a.b', '\\u00e4\\U0001F600').inc(0.5)",
        "Gauge('temp_celsius', 'h', registry=r).set(-1.25)",
        "h = Histogram('latency_seconds', 'h', ['route'], buckets=[0.005, 0.1, 1, 10], registry=r)",
        "for v in (0.001, 0.05, 0.5, 5, 50): h.labels('/x').observe(v)",
        "s = Summary('payload_bytes', 'h', registry=r); s.observe(100); s.observe(250)",
        "Info('build', 'h', registry=r).info({'version': '1.4.2', 'revision': '9f1c'})",
        "Enum('breaker', 'h', states=['closed', 'open'], registry=r).state('open')",
        "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)",
        "port = srv.getsockname()[1]",
        "for tags in (False, True):",
        "    b = GraphiteBridge(('127.0.0.1', port), registry=r, _timer=lambda: " + T + ", tags=tags)",
        "    t = threading.Thread(target=lambda: b.push(prefix='rx.demo')); t.start()",
        "    conn, _ = srv.accept(); data = b''",
        "    while True:",
        "        d = conn.recv(65536)",
        "        if not d: break",
        "        data += d",
        "    t.join(); sys.stdout.write(data.decode('ascii') + ('---\\n' if not tags else ''))",
        "");
    Path file = Files.createTempFile("graphite-bridge", ".py");
    try {
      Files.writeString(file, script, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(python.toString(), "-I", file.toString()).redirectErrorStream(true).start();
      try {
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
      } finally {
        p.destroyForcibly();
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
