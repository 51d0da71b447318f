package io.rxprom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian's {@code prometheus} 2.42) on 127.0.0.1, with its TSDB in a
 * temporary folder that {@link #close()} deletes.
 *
 * <p>The generated {@code prometheus.yml} has {@code scrape_interval}, {@code scrape_timeout} and
 * {@code evaluation_interval} of 1 s, so the first samples show within a few seconds.
 *
 * <pre>{@code
 * try (PrometheusServer prom = PrometheusServer.start("127.0.0.1:" + appPort)) {
 *     prom.awaitTargetsUp(1, Duration.ofSeconds(20));
 *     prom.awaitQuery("my_counter_total", r -> !r.isEmpty(), Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

    /** A target (or text inside YAML) replaced by this server's own {@code 127.0.0.1:port}. */
    public static final String SELF = "${self}";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern FULL_CONFIG = Pattern.compile("(?m)^(global|scrape_configs)\\s*:");

    private final Path dir;
    private final Path config;
    private final int port;
    private final ManagedProcess process;

    private PrometheusServer(Path dir, Path config, int port, ManagedProcess process) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts Prometheus and waits (at most 30 s) until {@code /-/ready} answers 200. Each argument is
     * one of:
     * <ul>
     *   <li>a target {@code host:port} (scraped at {@code /metrics}, all in job {@code rxprom});</li>
     *   <li>a URL {@code http://host:port/path} (its own job {@code rxprom-N} with that
     *       {@code metrics_path}; query strings are not supported);</li>
     *   <li>a YAML scrape config: any text containing a newline or {@code job_name}, with or without
     *       a leading {@code "- "}, inserted under {@code scrape_configs:};</li>
     *   <li>a whole {@code prometheus.yml} (text with a top-level {@code global:} or
     *       {@code scrape_configs:}), used as it is and then the only argument.</li>
     * </ul>
     * {@link #SELF} anywhere is replaced by the server's own address.
     *
     * @param configOrTargets targets and/or scrape configs; none gives a server that scrapes nothing
     * @return the running server
     * @throws IllegalStateException if it does not become ready; the message has the log tail
     */
    public static PrometheusServer start(String... configOrTargets) {
        return start(List.of(), configOrTargets);
    }

    /**
     * Like {@link #start(String...)} with extra command-line flags, e.g.
     * {@code --enable-feature=native-histograms}.
     *
     * @param extraFlags      flags appended to the command line
     * @param configOrTargets as for {@link #start(String...)}
     * @return the running server
     */
    public static PrometheusServer start(List<String> extraFlags, String... configOrTargets) {
        Path prometheus = Peers.require("prometheus");
        Path dir = ManagedProcess.createTempDir("rxprom-prometheus-");
        try {
            for (int attempt = 1; ; attempt++) {
                int port = Ports.freePort();
                Path data = dir.resolve("data-" + attempt);
                Path config = dir.resolve("prometheus.yml");
                Files.writeString(config, config(port, configOrTargets), StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>(List.of(prometheus.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port));
                cmd.addAll(extraFlags);
                ManagedProcess p = ManagedProcess.start("prometheus", cmd, dir, dir.resolve("prometheus.log"));
                String base = "http://127.0.0.1:" + port;
                try {
                    p.awaitReady("/-/ready", READY_TIMEOUT, () -> Http.is200(base + "/-/ready"));
                    return new PrometheusServer(dir, config, port, p);
                } catch (ManagedProcess.PortInUseException e) {
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            ManagedProcess.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ManagedProcess.deleteRecursively(dir);
            throw e;
        }
    }

    static String config(int port, String... args) {
        String self = "127.0.0.1:" + port;
        List<String> plain = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        int n = 0;
        for (String raw : args) {
            String a = raw.replace(SELF, self);
            if (FULL_CONFIG.matcher(a).find()) {
                if (args.length != 1) {
                    throw new IllegalArgumentException("a whole prometheus.yml must be the only argument");
                }
                return a;
            }
            if (a.contains("\n") || a.contains("job_name")) {
                jobs.add(indentJob(a));
            } else if (a.contains("://")) {
                URI u = URI.create(a.strip());
                if (u.getRawQuery() != null) {
                    throw new IllegalArgumentException("query strings are not supported in targets: " + a);
                }
                String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/metrics" : u.getRawPath();
                n++;
                jobs.add("  - job_name: " + quote("rxprom-" + n) + "\n"
                        + "    scheme: " + quote(u.getScheme()) + "\n"
                        + "    metrics_path: " + quote(path) + "\n"
                        + "    static_configs:\n"
                        + "      - targets: [" + quote(u.getRawAuthority()) + "]\n");
            } else {
                plain.add(quote(a.strip()));
            }
        }
        StringBuilder y = new StringBuilder();
        y.append("global:\n")
                .append("  scrape_interval: 1s\n")
                .append("  scrape_timeout: 1s\n")
                .append("  evaluation_interval: 1s\n");
        if (!plain.isEmpty() || !jobs.isEmpty()) {
            y.append("scrape_configs:\n");
        }
        if (!plain.isEmpty()) {
            y.append("  - job_name: 'rxprom'\n")
                    .append("    static_configs:\n")
                    .append("      - targets: [").append(String.join(", ", plain)).append("]\n");
        }
        jobs.forEach(y::append);
        return y.toString();
    }

    private static String indentJob(String yaml) {
        String[] lines = yaml.stripTrailing().split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        StringBuilder b = new StringBuilder();
        boolean dashed = first < lines.length && lines[first].stripLeading().startsWith("-");
        for (int i = first; i < lines.length; i++) {
            if (dashed) {
                b.append("  ").append(lines[i]);
            } else {
                b.append(i == first ? "  - " : "    ").append(lines[i]);
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** @return the port Prometheus listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return {@code http://127.0.0.1:PORT}, without a trailing slash */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the generated (or given) {@code prometheus.yml} */
    public Path configFile() {
        return config;
    }

    /** @return the last lines of Prometheus' log (stdout and stderr) */
    public String logTail() {
        return process.logTail();
    }

    /**
     * Runs an instant query ({@code GET /api/v1/query}).
     *
     * @param promql the expression
     * @return the raw JSON answer, also when Prometheus answers with an error status
     */
    public String query(String promql) {
        return Http.get(baseUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    }

    /**
     * A sample of an instant-vector (or scalar) result.
     *
     * @param labels    the series labels including {@code __name__} when present, in JSON order
     * @param value     the value; NaN and infinities are kept
     * @param timestamp the evaluation time in seconds since the epoch
     */
    public record VectorSample(Map<String, String> labels, double value, double timestamp) {
    }

    /**
     * Runs an instant query and returns its result vector; a scalar result gives one sample with no
     * labels.
     *
     * @param promql the expression
     * @return the samples, possibly empty
     * @throws IllegalStateException if Prometheus answers with an error, with the JSON
     */
    public List<VectorSample> queryVector(String promql) {
        return vector(promql, query(promql));
    }

    private static List<VectorSample> vector(String promql, String json) {
        Object root = Json.parse(json);
        if (!"success".equals(Json.at(root, "status"))) {
            throw new IllegalStateException("query " + promql + " failed: " + json);
        }
        String type = (String) Json.at(root, "data", "resultType");
        Object result = Json.at(root, "data", "result");
        List<VectorSample> out = new ArrayList<>();
        if ("scalar".equals(type)) {
            out.add(new VectorSample(Map.of(), Values.parse((String) Json.at(result, 1)),
                    (Double) Json.at(result, 0)));
        } else if ("vector".equals(type)) {
            for (Object r : (List<?>) result) {
                Map<String, String> labels = new LinkedHashMap<>();
                ((Map<?, ?>) Json.at(r, "metric")).forEach((k, v) -> labels.put((String) k, (String) v));
                out.add(new VectorSample(Collections.unmodifiableMap(labels),
                        Values.parse((String) Json.at(r, "value", 1)), (Double) Json.at(r, "value", 0)));
            }
        } else {
            throw new IllegalStateException("query " + promql + " gave a " + type + ", not a vector: " + json);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Polls the query every 250 ms until {@code predicate} accepts its vector.
     *
     * @param promql    the expression
     * @param predicate the condition on the result vector
     * @param timeout   how long to poll
     * @return the first result accepted
     * @throws AssertionError on timeout, with the last JSON answer
     */
    public List<VectorSample> awaitQuery(String promql, Predicate<List<VectorSample>> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "(no answer)";
        while (true) {
            try {
                last = query(promql);
                List<VectorSample> v = vector(promql, last);
                if (predicate.test(v)) {
                    return v;
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("query " + promql + " did not satisfy the condition within " + timeout
                        + "; last answer: " + last);
            }
            ManagedProcess.sleep(250);
        }
    }

    /** @return the raw JSON of {@code GET /api/v1/targets} */
    public String targets() {
        return Http.get(baseUrl() + "/api/v1/targets").body();
    }

    /**
     * Polls {@code /api/v1/targets} every 250 ms until at least {@code n} active targets report
     * health {@code up}.
     *
     * @param n       targets that must be up
     * @param timeout how long to poll
     * @return the targets JSON that satisfied it
     * @throws AssertionError on timeout, listing each target's URL, health and lastError, then the JSON
     */
    public String awaitTargetsUp(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "(no answer)";
        while (true) {
            StringBuilder summary = new StringBuilder();
            try {
                last = targets();
                int up = 0;
                Object active = Json.at(Json.parse(last), "data", "activeTargets");
                if (active instanceof List<?> list) {
                    for (Object t : list) {
                        if ("up".equals(Json.at(t, "health"))) {
                            up++;
                        }
                        summary.append("\n  ").append(Json.at(t, "scrapeUrl")).append(" health=")
                                .append(Json.at(t, "health")).append(" lastError=")
                                .append(Json.at(t, "lastError"));
                    }
                }
                if (up >= n) {
                    return last;
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("fewer than " + n + " targets up within " + timeout + ":" + summary
                        + "\ntargets JSON: " + last);
            }
            ManagedProcess.sleep(250);
        }
    }

    /** Stops Prometheus (SIGTERM, SIGKILL after 10 s) and deletes its folder. */
    @Override
    public void close() {
        try {
            process.stop();
        } finally {
            ManagedProcess.deleteRecursively(dir);
        }
    }
}
