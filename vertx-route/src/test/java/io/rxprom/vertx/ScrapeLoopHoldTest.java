package io.rxprom.vertx;

import static io.rxprom.vertx.Samples.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Counter;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.testing.Artifacts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how long a scrape holds the event loop of the {@link MetricsVerticle} that serves it,
 * for 1,000 and 50,000 series. Prints the numbers (and writes them to the test artifacts); it
 * asserts only that every scrape succeeded with the whole body, never a timing.
 *
 * <p>The probe: a thread posts a tiny task to the verticle's event loop, waits until it has run,
 * pauses 50 microseconds, and posts the next. A task's wait between posting and running is the
 * time the loop was busy with something else, so the largest wait during the scrapes is the
 * longest the loop was held. The same probe over an idle second gives the machine's noise floor.
 * For contrast, the table shows the time of rendering the same text on one thread, which is how
 * long a scrape handler that renders on the loop would hold it.
 *
 * <p>Runs only with {@code -Drxprom.measure=true}: {@code mvn -B -pl vertx-route -am test
 * -Dtest=ScrapeLoopHoldTest -Dsurefire.failIfNoSpecifiedTests=false -Drxprom.measure=true}.
 */
@ExtendWith(VertxExtension.class)
class ScrapeLoopHoldTest {

  @Test
  @EnabledIfSystemProperty(named = "rxprom.measure", matches = "true",
      disabledReason = "a measurement (22-77 s), not a check: run with -Drxprom.measure=true")
  void eventLoopHoldDuringScrapesOf1kAnd50kSeries(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StringBuilder report = new StringBuilder();
    report.append(String.format("%-26s %11s %9s %11s %12s %9s %9s %9s %9s %9s%n",
        "case", "body bytes", "render ms", "loop cpu ms", "loop cpu %", "wait p50", "wait p99",
        "wait max", "idle max", "gc ms"));
    for (int scale : new int[] {1, 50}) {
      MetricRegistry registry = registry(scale);
      double renderMs = renderMillis(registry, scale == 1 ? 100 : 5);
      int scrapes = scale == 1 ? 100 : 3;
      for (String mode : new String[] {"http", "http+gzip", "https"}) {
        boolean tls = mode.startsWith("https");
        boolean gzip = mode.endsWith("gzip");
        MetricsVerticle.Builder b = MetricsVerticle.builder(registry).host("127.0.0.1").port(0);
        if (tls) {
          b.tlsPemFiles(pem.key().toString(), pem.cert().toString());
        }
        Context[] loop = new Context[1];
        long[] loopThread = new long[1];
        b.configureRouter(r -> {
          loop[0] = Vertx.currentContext();
          loopThread[0] = Thread.currentThread().getId();
        });
        MetricsVerticle v = b.build();
        await(vertx.deployVerticle(v));
        HttpClient http = client(tls ? pem.cert() : null);
        URI uri = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + v.actualPort() + "/metrics");
        HttpRequest req = HttpRequest.newBuilder(uri).header("Accept-Encoding", gzip ? "gzip" : "identity")
            .timeout(Duration.ofSeconds(60)).build();
        long[] bytes = new long[1];
        IntConsumer scrapeN = n -> {
          for (int i = 0; i < n; i++) {
            HttpResponse<byte[]> r = send(http, req);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding").orElse("identity"))
                .isEqualTo(gzip ? "gzip" : "identity");
            assertThat(r.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(r.body().length);
            bytes[0] = r.body().length;
          }
        };
        scrapeN.accept(scale == 1 ? scrapes : 1); // warm-up: JIT, TLS session, buffer size hints
        Runnable scrapeAll = () -> scrapeN.accept(scrapes);

        long gc0 = gcMillis();
        long cpu0 = threads.getThreadCpuTime(loopThread[0]);
        long wall0 = System.nanoTime();
        scrapeAll.run();
        double loopCpuMs = (threads.getThreadCpuTime(loopThread[0]) - cpu0) / 1e6 / scrapes;
        double loopCpuShare = 100.0 * (threads.getThreadCpuTime(loopThread[0]) - cpu0) / (System.nanoTime() - wall0);

        long[] idle = probe(loop[0], () -> sleep(1000));
        long[] held = probe(loop[0], scrapeAll);
        long gc = gcMillis() - gc0;
        report.append(String.format("%-26s %11d %9.2f %11.3f %11.1f%% %9.3f %9.3f %9.2f %9.2f %9d%n",
            (scale * 1000) + " series, " + mode, bytes[0], renderMs, loopCpuMs, loopCpuShare,
            pct(held, 0.50), pct(held, 0.99), pct(held, 1.0), pct(idle, 1.0), gc));
        await(vertx.undeploy(v.deploymentID()));
      }
    }
    String text = "Event loop held by scrapes of a MetricsVerticle\n"
        + "render ms: one thread writing the 0.0.4 text (the hold of a handler that renders on the loop)\n"
        + "loop cpu ms: CPU time of the serving event loop per scrape (no probe running)\n"
        + "wait: how long a probe task posted to that loop waited to run during the scrapes, in ms\n"
        + "idle max: the same probe's largest wait over an idle second (the machine's noise floor)\n"
        + "JVM " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " CPUs\n" + report;
    System.out.println(text);
    Files.writeString(Artifacts.dir().resolve("scrape-loop-hold.txt"), text);
  }

  private static double pct(long[] sortedNanos, double p) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.round(p * (sortedNanos.length - 1)));
    return sortedNanos[i] / 1e6;
  }

  private static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  /** 100 counters x 5 labels and 50 histograms x 10, times {@code scale}: 1,000 series per scale. */
  static MetricRegistry registry(int scale) {
    MetricRegistry r = MetricRegistry.builder().maxSeriesPerFamily(100_000).build();
    for (int f = 0; f < 100; f++) {
      Counter c = Counter.builder("rxprom_load_counter_" + f + "_total").help("Load counter " + f + ".")
          .labelNames("path").register(r);
      for (int i = 0; i < 5 * scale; i++) {
        c.labels("/path/" + i).inc(i + f);
      }
    }
    for (int f = 0; f < 50; f++) {
      Histogram h = Histogram.builder("rxprom_load_latency_" + f + "_seconds").help("Load histogram " + f + ".")
          .labelNames("path").register(r);
      for (int i = 0; i < 10 * scale; i++) {
        h.labels("/path/" + i).observe(i * 0.01);
      }
    }
    return r;
  }

  /** Median of single-threaded renders of the text format into a discarding stream. */
  static double renderMillis(MetricRegistry registry, int runs) throws IOException {
    double[] t = new double[runs];
    for (int i = 0; i < runs * 2; i++) { // the first half warms up
      long start = System.nanoTime();
      ExpositionFormat.PROMETHEUS_TEXT_0_0_4.writer().write(OutputStream.nullOutputStream(), registry.scrape());
      if (i >= runs) {
        t[i - runs] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  /** Runs {@code work} while probing the loop; returns every probe task's wait, sorted, in ns. */
  static long[] probe(Context loop, Runnable work) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    long[] waits = new long[1 << 22];
    int[] n = new int[1];
    Thread prober = new Thread(() -> {
      while (!stop.get() && n[0] < waits.length) {
        CountDownLatch ran = new CountDownLatch(1);
        long posted = System.nanoTime();
        long[] waited = new long[1];
        loop.runOnContext(x -> {
          waited[0] = System.nanoTime() - posted;
          ran.countDown();
        });
        try {
          if (!ran.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("probe task never ran");
          }
        } catch (InterruptedException e) {
          return;
        }
        waits[n[0]++] = waited[0];
        LockSupport.parkNanos(50_000);
      }
    }, "loop-probe");
    prober.start();
    try {
      work.run();
    } finally {
      stop.set(true);
      prober.join();
    }
    long[] out = Arrays.copyOf(waits, n[0]);
    Arrays.sort(out);
    return out;
  }

  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpClient client(Path trustedCert) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    if (trustedCert != null) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      try (var in = Files.newInputStream(trustedCert)) {
        ks.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      b.sslContext(ssl);
    }
    return b.build();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
