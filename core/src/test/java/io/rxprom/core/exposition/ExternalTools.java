package io.rxprom.core.exposition;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the peer tools (promtool, Debian's Python with prometheus_client) as processes with
 * bounded waits. A missing tool fails the test under {@code CI=true} and skips it otherwise.
 */
final class ExternalTools {
  private ExternalTools() {}

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** The result of one run: exit code and the captured output streams. */
  record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Fails under CI, skips otherwise: {@code what} is not available here. */
  static void missing(String what) {
    missing(what, onCi());
  }

  static void missing(String what, boolean ci) {
    String message = what + " is not available";
    if (ci) {
      fail(message + " (CI=true, so this is a failure, not a skip)");
    }
    Assumptions.assumeTrue(false, message + ": skipping (would fail under CI=true)");
  }

  /** The path of an executable found at {@code candidates} or on PATH; missing() otherwise. */
  static Path requireExecutable(String name, String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    missing("binary '" + name + "'");
    throw new AssertionError("unreachable");
  }

  /** Debian's /usr/bin/python3 (not whatever python3 is first on PATH). */
  static Path requirePython() {
    if (!Files.isExecutable(PYTHON)) {
      missing("binary '" + PYTHON + "'");
    }
    return PYTHON;
  }

  /** Debian's Python with the prometheus_client package importable. */
  static Path requirePythonPrometheusClient() {
    Path python = requirePython();
    Result r = run(List.of(python.toString(), "-c", "import prometheus_client.openmetrics.parser"),
        null, Duration.ofSeconds(60));
    if (r.exitCode() != 0) {
      missing("Python module prometheus_client for " + python + " (" + r.stderr().strip() + ")");
    }
    return python;
  }

  /**
   * Runs {@code command} with {@code stdin} (or nothing) as its standard input, waits at most
   * {@code timeout}, and returns what it printed. Output goes through temporary files, so a
   * chatty process can never block on a full pipe.
   */
  static Result run(List<String> command, byte[] stdin, Duration timeout) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rxprom-exposition-");
      Path in = dir.resolve("stdin");
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      Files.write(in, stdin == null ? new byte[0] : stdin);
      Process p = new ProcessBuilder(new ArrayList<>(command))
          .redirectInput(in.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail("timed out after " + timeout + ": " + command);
      }
      return new Result(p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
