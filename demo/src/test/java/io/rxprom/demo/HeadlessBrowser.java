package io.rxprom.demo;

import io.rxprom.testing.Peers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through the DevTools protocol, so that a test can wait in real
 * time for a page whose scripts poll a server (which a one-shot {@code --screenshot} run under a
 * virtual-time budget cannot do), then capture what a person would see.
 *
 * <p>Each instance is a fresh browser with a new profile folder, deleted by {@link #close()},
 * which also stops the process it started. Not thread-safe: one test thread drives it.
 */
final class HeadlessBrowser implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path profile;
  private final Path log;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private HeadlessBrowser(Process process, Path profile, Path log, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.log = log;
    this.socket = socket;
  }

  /**
   * Starts Chromium with a {@code width} x {@code height} viewport on {@code about:blank}.
   * Applies the missing-peer policy of {@link Peers} when Chromium is not installed.
   */
  static HeadlessBrowser launch(int width, int height) {
    Path chromium = Peers.require("chromium");
    Path profile;
    Path log;
    try {
      profile = Files.createTempDirectory("rxprom-demo-chromium-");
      log = Files.createTempFile("rxprom-demo-chromium-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd =
        List.of(
            chromium.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "--window-size=" + width + "," + height,
            "about:blank");
    Process process;
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      deleteRecursively(profile);
      throw new UncheckedIOException("cannot start " + chromium, e);
    }
    try {
      int port = awaitDevToolsPort(process, profile, log);
      String pageSocket = pageWebSocketUrl(port);
      HeadlessBrowser[] self = new HeadlessBrowser[1];
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create(pageSocket), new Listener(
                      msg -> {
                        HeadlessBrowser b = self[0];
                        if (b != null) {
                          b.onMessage(msg);
                        }
                      }))
              .get(10, TimeUnit.SECONDS);
      self[0] = new HeadlessBrowser(process, profile, log, ws);
      self[0].command("Page.enable", new JsonObject());
      self[0].command("Runtime.enable", new JsonObject());
      return self[0];
    } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
      String tail = tail(log);
      process.destroyForcibly();
      deleteRecursively(profile);
      throw new IllegalStateException("chromium did not start its DevTools endpoint: " + e + "\n" + tail, e);
    }
  }

  /** Loads {@code url} and waits for its load event. */
  void navigate(String url) {
    JsonObject r = command("Page.navigate", new JsonObject().put("url", url));
    if (r.getString("errorText") != null) {
      throw new IllegalStateException("cannot load " + url + ": " + r.getString("errorText"));
    }
    awaitTrue("document.readyState === 'complete'", Duration.ofSeconds(20));
  }

  /**
   * Evaluates a JavaScript expression in the page and returns its value as JSON types (String,
   * Number, Boolean, JsonObject, JsonArray or null).
   *
   * @throws IllegalStateException if the expression throws, with the page's message
   */
  Object evaluate(String expression) {
    JsonObject r =
        command(
            "Runtime.evaluate",
            new JsonObject().put("expression", expression).put("returnByValue", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException(
          "the page threw on " + expression + ": " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /**
   * Polls {@code expression} every 100 ms until it is {@code true}.
   *
   * @throws AssertionError on timeout, with the page's body text
   */
  void awaitTrue(String expression, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Boolean.TRUE.equals(evaluate(expression))) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "the page did not satisfy " + expression + " within " + timeout + "; it shows:\n"
                + evaluate("document.body ? document.body.innerText : ''"));
      }
      sleep(100);
    }
  }

  /** The page's DOM as HTML, as it is now. */
  String dom() {
    return (String) evaluate("document.documentElement.outerHTML");
  }

  /** Saves a PNG screenshot of the viewport to {@code png} (parent folders are created). */
  Path screenshot(Path png) {
    JsonObject r = command("Page.captureScreenshot", new JsonObject().put("format", "png"));
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, Base64.getDecoder().decode(r.getString("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png;
  }

  /**
   * Stops the browser (the process this object started, and the renderer and helper processes it
   * started in turn) and deletes its profile.
   */
  @Override
  public void close() {
    List<ProcessHandle> helpers = process.descendants().toList();
    try {
      socket.abort();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      deleteRecursively(profile);
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // a leftover log in the temp folder is harmless
      }
    }
  }

  private JsonObject command(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    JsonObject msg = new JsonObject().put("id", id).put("method", method).put("params", params);
    try {
      socket.sendText(msg.encode(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      JsonObject reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.containsKey("error")) {
        throw new IllegalStateException(method + " failed: " + reply.getJsonObject("error").encode());
      }
      return reply.getJsonObject("result", new JsonObject());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer: " + e + "\n" + tail(log), e);
    } finally {
      pending.remove(id);
    }
  }

  private void onMessage(String text) {
    JsonObject msg = new JsonObject(text);
    Integer id = msg.getInteger("id");
    if (id != null) {
      CompletableFuture<JsonObject> f = pending.get(id);
      if (f != null) {
        f.complete(msg);
      }
    }
  }

  private static int awaitDevToolsPort(Process process, Path profile, Path log) {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("chromium exited with " + process.exitValue());
      }
      try {
        if (Files.exists(file)) {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          if (!lines.isEmpty() && !lines.get(0).isBlank()) {
            return Integer.parseInt(lines.get(0).strip());
          }
        }
      } catch (IOException | NumberFormatException e) {
        // written but not complete yet: read again
      }
      sleep(50);
    }
    throw new IllegalStateException("no " + file + " after " + START_TIMEOUT + "\n" + tail(log));
  }

  private static String pageWebSocketUrl(int port) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        JsonArray targets = new JsonArray(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
        for (int i = 0; i < targets.size(); i++) {
          JsonObject t = targets.getJsonObject(i);
          if ("page".equals(t.getString("type")) && t.getString("webSocketDebuggerUrl") != null) {
            return t.getString("webSocketDebuggerUrl");
          }
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("chromium lists no page target on port " + port);
      }
      sleep(100);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "chromium log tail:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no chromium log: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Chromium may still be writing to its profile for a moment; the temp folder is cleaned later
    }
  }

  /** Joins the text frames of each message and hands whole messages on. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> sink;
    private final StringBuilder partial = new StringBuilder();

    Listener(java.util.function.Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        sink.accept(message);
      }
      ws.request(1);
      return null;
    }
  }
}
