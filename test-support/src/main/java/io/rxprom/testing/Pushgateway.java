package io.rxprom.testing;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Pushgateway (Debian's {@code prometheus-pushgateway} 1.5) on 127.0.0.1, persisting to a
 * file in a temporary folder that {@link #close()} deletes.
 */
public final class Pushgateway implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final ManagedProcess process;

    private Pushgateway(Path dir, int port, ManagedProcess process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts the Pushgateway and waits (at most 30 s) until {@code /-/ready} answers 200.
     *
     * @return the running Pushgateway
     * @throws IllegalStateException if it does not become ready; the message has the log tail
     */
    public static Pushgateway start() {
        Path exe = Peers.require("prometheus-pushgateway");
        Path dir = ManagedProcess.createTempDir("rxprom-pushgateway-");
        try {
            for (int attempt = 1; ; attempt++) {
                int port = Ports.freePort();
                ManagedProcess p = ManagedProcess.start("prometheus-pushgateway", List.of(exe.toString(),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--persistence.file=" + dir.resolve("persistence")), dir, dir.resolve("pushgateway.log"));
                try {
                    p.awaitReady("/-/ready", READY_TIMEOUT, () -> Http.is200("http://127.0.0.1:" + port + "/-/ready"));
                    return new Pushgateway(dir, port, p);
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

    /** @return the port it listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return {@code http://127.0.0.1:PORT}, without a trailing slash; push to {@code baseUrl() + "/metrics/job/NAME"} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Returns what the Pushgateway exposes, including every pushed group and its
     * {@code push_time_seconds}.
     *
     * @return the body of {@code GET /metrics}
     * @throws IllegalStateException if the answer is not 200
     */
    public String metricsText() {
        HttpResponse<String> r = Http.get(baseUrl() + "/metrics");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** @return the last lines of the Pushgateway's log */
    public String logTail() {
        return process.logTail();
    }

    /** Stops the Pushgateway (SIGTERM, SIGKILL after 10 s) and deletes its folder. */
    @Override
    public void close() {
        try {
            process.stop();
        } finally {
            ManagedProcess.deleteRecursively(dir);
        }
    }
}
