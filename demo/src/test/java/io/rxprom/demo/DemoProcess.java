package io.rxprom.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo in a child JVM started from the test classpath, as a user starts it: {@code java -cp
 * ... io.rxprom.demo.DemoMain args}. Its stdout and stderr go to temporary files. {@link #close()}
 * stops the process this object started (SIGTERM, then SIGKILL after 15 s) and nothing else.
 */
final class DemoProcess implements AutoCloseable {

  private static final Pattern APP = Pattern.compile("(?m)^  app +http://([^/\\s]+):(\\d+)/foo$");
  private static final Pattern METRICS = Pattern.compile("(?m)^  metrics +http://([^/\\s]+):(\\d+)/metrics$");

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private int appPort = -1;
  private int metricsPort = -1;

  private DemoProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code DemoMain} with {@code args} in a new JVM. */
  static DemoProcess start(String... args) {
    try {
      Path out = Files.createTempFile("rxprom-demo-", ".out");
      Path err = Files.createTempFile("rxprom-demo-", ".err");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DemoMain.class.getName()));
      cmd.addAll(List.of(args));
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      return new DemoProcess(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the demo JVM", e);
    }
  }

  /**
   * Waits until the banner is printed and reads the ports from it.
   *
   * @throws AssertionError if the process exits or prints no banner in time, with its output
   */
  DemoProcess awaitStarted(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String out = stdout();
      Matcher app = APP.matcher(out);
      Matcher metrics = METRICS.matcher(out);
      if (out.contains("Ctrl-C stops the demo.") && app.find() && metrics.find()) {
        appPort = Integer.parseInt(app.group(2));
        metricsPort = Integer.parseInt(metrics.group(2));
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the demo exited with " + process.exitValue() + " before it started\n" + output());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the demo printed no banner within " + timeout + "\n" + output());
      }
      sleep(50);
    }
  }

  /**
   * Waits for the process to exit.
   *
   * @return its exit code
   * @throws AssertionError if it is still running after {@code timeout}
   */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the demo still runs after " + timeout + "\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** Sends SIGTERM, as {@code kill PID} does. */
  void terminate() {
    process.destroy();
  }

  long pid() {
    return process.pid();
  }

  int appPort() {
    return appPort;
  }

  int metricsPort() {
    return metricsPort;
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  String output() {
    return "--- stdout:\n" + stdout() + "--- stderr:\n" + stderr();
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      try {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      } catch (IOException e) {
        // leftovers in the temp folder are harmless
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
