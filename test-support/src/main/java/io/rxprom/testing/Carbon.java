package io.rxprom.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real Graphite {@code carbon-cache} (Debian's {@code graphite-carbon} 1.1) on 127.0.0.1 with its
 * configuration and whisper files in a temporary folder that {@link #close()} deletes.
 *
 * <p>It writes its own {@code storage-schemas.conf} that keeps <b>every</b> metric at a
 * <b>1-second</b> resolution for 1 hour ({@code [everything] pattern = .* retentions = 1s:1h}),
 * instead of Debian's 60-second slots, so tests see each value in its own second quickly. Values
 * sent twice for the same second overwrite each other; whisper silently drops points stamped in the
 * future or more than an hour back. A point shows in {@link #fetch(String, long)} about a second
 * after it was sent. Tag support (which would call a graphite-web on port 80) is disabled.
 *
 * <p>{@link #stop()} and {@link #restart()} let a test take carbon down and bring it back on the
 * same ports with the same data.
 */
public final class Carbon implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

    /** The schema written to {@code conf/storage-schemas.conf}. */
    static final String SCHEMAS = "[everything]\npattern = .*\nretentions = 1s:1h\n";

    private final Path dir;
    private final Path exe;
    private final int linePort;
    private final int picklePort;
    private final int cacheQueryPort;
    private volatile ManagedProcess process;

    private Carbon(Path dir, Path exe, int linePort, int picklePort, int cacheQueryPort) {
        this.dir = dir;
        this.exe = exe;
        this.linePort = linePort;
        this.picklePort = picklePort;
        this.cacheQueryPort = cacheQueryPort;
    }

    /**
     * Writes the configuration, starts {@code carbon-cache --config=DIR/conf/carbon.conf --debug start}
     * in the foreground and waits (at most 30 s) until it logs that it listens on its three ports and
     * the line port accepts connections. If a port turns out to be taken it retries on new ports.
     *
     * @return the running carbon
     * @throws IllegalStateException if it does not come up; the message has the log tail
     */
    public static Carbon start() {
        Path exe = Peers.require("carbon-cache");
        Path dir = ManagedProcess.createTempDir("rxprom-carbon-");
        try {
            for (int attempt = 1; ; attempt++) {
                Carbon c = new Carbon(dir, exe, Ports.freePort(), Ports.freePort(), Ports.freePort());
                c.writeConfig();
                try {
                    c.launch();
                    return c;
                } catch (ManagedProcess.PortInUseException e) {
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            ManagedProcess.deleteRecursively(dir);
            throw e;
        }
    }

    private void writeConfig() {
        try {
            for (String sub : List.of("conf", "whisper", "log", "run")) {
                Files.createDirectories(dir.resolve(sub));
            }
            String conf = "[cache]\n"
                    + "STORAGE_DIR = " + dir + "/\n"
                    + "LOCAL_DATA_DIR = " + dir.resolve("whisper") + "/\n"
                    + "CONF_DIR = " + dir.resolve("conf") + "/\n"
                    + "LOG_DIR = " + dir.resolve("log") + "/\n"
                    + "PID_DIR = " + dir.resolve("run") + "/\n"
                    + "MAX_CACHE_SIZE = inf\n"
                    + "MAX_UPDATES_PER_SECOND = 5000\n"
                    + "MAX_CREATES_PER_MINUTE = 5000\n"
                    + "LINE_RECEIVER_INTERFACE = 127.0.0.1\n"
                    + "LINE_RECEIVER_PORT = " + linePort + "\n"
                    + "PICKLE_RECEIVER_INTERFACE = 127.0.0.1\n"
                    + "PICKLE_RECEIVER_PORT = " + picklePort + "\n"
                    + "CACHE_QUERY_INTERFACE = 127.0.0.1\n"
                    + "CACHE_QUERY_PORT = " + cacheQueryPort + "\n"
                    + "WHISPER_AUTOFLUSH = True\n"
                    + "ENABLE_TAGS = False\n";
            Files.writeString(dir.resolve("conf/carbon.conf"), conf, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("conf/storage-schemas.conf"), SCHEMAS, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        try {
            Files.deleteIfExists(dir.resolve("run/carbon-cache-a.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess p = ManagedProcess.start("carbon-cache", List.of(exe.toString(),
                "--config=" + dir.resolve("conf/carbon.conf"), "--debug", "start"), dir, dir.resolve("carbon.log"));
        // twistd logs "... starting on PORT" once it listens; requiring that line (of this run) for
        // each port keeps a foreign listener on a taken port from passing for carbon.
        p.awaitReady("listening on ports " + linePort + "/" + picklePort + "/" + cacheQueryPort, READY_TIMEOUT, () -> {
            String log = p.logOfThisRun();
            return log.contains("starting on " + linePort + "\n") && log.contains("starting on " + picklePort + "\n")
                    && log.contains("starting on " + cacheQueryPort + "\n") && accepts(linePort);
        });
        process = p;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the plaintext ("line") receiver port on 127.0.0.1 */
    public int linePort() {
        return linePort;
    }

    /** @return the pickle receiver port on 127.0.0.1 */
    public int picklePort() {
        return picklePort;
    }

    /** @return the cache query port on 127.0.0.1 */
    public int cacheQueryPort() {
        return cacheQueryPort;
    }

    /** @return the folder holding the whisper files */
    public Path whisperDir() {
        return dir.resolve("whisper");
    }

    /**
     * Where carbon stores a metric: {@code a.b.c} becomes {@code whisper/a/b/c.wsp}.
     *
     * @param metricPath a dotted Graphite path
     * @return the file's path; it exists only once carbon has written the first point
     */
    public Path whisperFile(String metricPath) {
        return whisperDir().resolve(metricPath.replace('.', '/') + ".wsp");
    }

    /**
     * Sends lines in the plaintext protocol ({@code path value epochSeconds}) over one TCP
     * connection to the line port; a newline is added after each.
     *
     * @param lines the lines
     */
    public void send(String... lines) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", linePort), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to carbon on port " + linePort, e);
        }
    }

    /**
     * One whisper slot.
     *
     * @param timestamp the slot's start, seconds since the epoch
     * @param value     the value, or {@code null} where whisper says {@code None}
     */
    public record Point(long timestamp, Double value) {
    }

    /**
     * Runs {@code whisper-fetch --from=FROM FILE} (bounded to 30 s) and returns every slot from then
     * until now, empty ones included.
     *
     * @param metricPath        a dotted Graphite path
     * @param fromEpochSeconds  start; whisper clamps it to the 1-hour retention
     * @return the points, or an empty list if carbon has not created the file yet
     * @throws IllegalStateException if whisper-fetch fails
     */
    public List<Point> fetch(String metricPath, long fromEpochSeconds) {
        Path file = whisperFile(metricPath);
        Path whisperFetch = Peers.require("whisper-fetch");
        if (!Files.exists(file)) {
            return List.of();
        }
        ManagedProcess.RunResult r = ManagedProcess.run("whisper-fetch", List.of(whisperFetch.toString(),
                "--from=" + fromEpochSeconds, file.toString()), new byte[0], FETCH_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("whisper-fetch " + file + " exited " + r.exitCode() + ": " + r.stderr());
        }
        List<Point> points = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 2) {
                continue;
            }
            points.add(new Point(Long.parseLong(f[0]), "None".equals(f[1]) ? null : Values.parse(f[1])));
        }
        return Collections.unmodifiableList(points);
    }

    /**
     * Polls {@link #fetch(String, long)} every 200 ms until {@code predicate} accepts the points.
     *
     * @param metricPath       a dotted Graphite path
     * @param fromEpochSeconds start of the fetch
     * @param predicate        condition on the points
     * @param timeout          how long to poll
     * @return the accepted points
     * @throws AssertionError on timeout, with the last points and carbon's log tail
     */
    public List<Point> awaitFetch(String metricPath, long fromEpochSeconds, Predicate<List<Point>> predicate,
                                  Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Point> points = fetch(metricPath, fromEpochSeconds);
            if (predicate.test(points)) {
                return points;
            }
            if (System.nanoTime() - deadline > 0) {
                List<Point> nonEmpty = points.stream().filter(p -> p.value() != null).toList();
                throw new AssertionError("whisper data of " + metricPath + " did not satisfy the condition within "
                        + timeout + "; file exists=" + Files.exists(whisperFile(metricPath))
                        + ", non-empty points: " + nonEmpty + "; carbon log tail:\n" + logTail());
            }
            ManagedProcess.sleep(200);
        }
    }

    /** @return true while the carbon-cache process runs */
    public boolean isRunning() {
        ManagedProcess p = process;
        return p != null && p.isAlive();
    }

    /** @return the last lines of carbon's log (it logs to stdout in {@code --debug} mode) */
    public String logTail() {
        return ManagedProcess.tail(dir.resolve("carbon.log"));
    }

    /**
     * Stops carbon-cache (SIGTERM, which flushes its cache; SIGKILL after 10 s) but keeps its folder;
     * does nothing if it is already stopped.
     */
    public synchronized void stop() {
        ManagedProcess p = process;
        process = null;
        if (p != null) {
            p.stop();
        }
    }

    /**
     * Stops carbon if it runs, then starts it again on the same ports with the same data and waits
     * (at most 30 s) until it listens again.
     *
     * @throws IllegalStateException if it does not come back (e.g. a port was taken meanwhile)
     */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops carbon and deletes its folder. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            ManagedProcess.deleteRecursively(dir);
        }
    }
}
