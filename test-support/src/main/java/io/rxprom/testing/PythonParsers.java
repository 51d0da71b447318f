package io.rxprom.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Parses expositions with the reference parsers of the Prometheus Python client (0.16, Debian's
 * {@code python3-prometheus-client}, run by {@code /usr/bin/python3}).
 *
 * <p>{@link #parse004(byte[])} uses the lax {@code prometheus_client.parser};
 * {@link #parseOpenMetrics(byte[])} the strict {@code prometheus_client.openmetrics.parser}, which
 * rejects among others a missing {@code # EOF}, bad bucket order, name clashes and bad escapes.
 * The body is decoded as UTF-8 (invalid UTF-8 is a parse error). NaN and infinities survive.
 */
public final class PythonParsers {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Writes the parsed families as JSON; values and timestamps as strings so NaN/Inf survive. */
    private static final String SCRIPT = String.join("\n",
            "import sys, json, math",
            "mode = sys.argv[1]",
            "if mode == 'openmetrics':",
            "    from prometheus_client.openmetrics.parser import text_string_to_metric_families as p",
            "else:",
            "    from prometheus_client.parser import text_string_to_metric_families as p",
            "def f(v):",
            "    if v is None: return None",
            "    v = float(v)",
            "    if math.isnan(v): return 'NaN'",
            "    if math.isinf(v): return '+Inf' if v > 0 else '-Inf'",
            "    return repr(v)",
            "def lab(d): return [[str(k), str(v)] for k, v in d.items()]",
            "try:",
            "    text = sys.stdin.buffer.read().decode('utf-8')",
            "    fams = []",
            "    for fam in p(text):",
            "        samples = []",
            "        for s in fam.samples:",
            "            e = getattr(s, 'exemplar', None)",
            "            ex = None if e is None else {'labels': lab(e.labels), 'value': f(e.value), 'timestamp': f(e.timestamp)}",
            "            samples.append({'name': s.name, 'labels': lab(s.labels), 'value': f(s.value),",
            "                            'timestamp': f(s.timestamp), 'exemplar': ex})",
            "        fams.append({'name': fam.name, 'type': fam.type, 'help': fam.documentation,",
            "                     'unit': getattr(fam, 'unit', '') or '', 'samples': samples})",
            "    out = {'ok': True, 'families': fams}",
            "except Exception as e:",
            "    out = {'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}",
            "sys.stdout.write(json.dumps(out, ensure_ascii=True))",
            "");

    private PythonParsers() {
    }

    /**
     * One metric family as the Python client sees it.
     *
     * @param name    family name (for counters the Python client strips {@code _total})
     * @param type    {@code counter}, {@code gauge}, {@code histogram}, {@code summary},
     *                {@code untyped}, {@code unknown}, {@code info}, {@code stateset},
     *                {@code gaugehistogram}
     * @param help    the HELP text, unescaped ({@code ""} if none)
     * @param unit    the UNIT (OpenMetrics only), empty if none
     * @param samples the samples in exposition order
     */
    public record Family(String name, String type, String help, Optional<String> unit, List<Sample> samples) {
    }

    /**
     * One sample.
     *
     * @param name      sample name, e.g. {@code http_requests_total} or {@code latency_bucket}
     * @param labels    labels in exposition order
     * @param value     the value; NaN and infinities are kept
     * @param timestamp seconds since the epoch if the line had one (0.0.4 milliseconds are converted
     *                  by Python to seconds), as a double (sub-microsecond digits may be lost)
     * @param exemplar  the OpenMetrics exemplar, if any
     */
    public record Sample(String name, Map<String, String> labels, double value, OptionalDouble timestamp,
                         Optional<Exemplar> exemplar) {
    }

    /**
     * An OpenMetrics exemplar.
     *
     * @param labels    exemplar labels in order
     * @param value     exemplar value
     * @param timestamp exemplar timestamp in seconds, if any
     */
    public record Exemplar(Map<String, String> labels, double value, OptionalDouble timestamp) {
    }

    /** The Python parser rejected the body; {@link #getMessage()} is Python's exception and message. */
    public static final class ParseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Python's {@code ExceptionType: message}. */
        private final String pythonError;

        ParseException(String parser, String pythonError) {
            super(parser + " rejected the body: " + pythonError);
            this.pythonError = pythonError;
        }

        /** @return Python's {@code ExceptionType: message} */
        public String pythonError() {
            return pythonError;
        }
    }

    /**
     * Parses with the lax 0.0.4 text parser {@code prometheus_client.parser}.
     *
     * @param body the exposition bytes
     * @return the families in order
     * @throws ParseException if Python rejects the body
     */
    public static List<Family> parse004(byte[] body) {
        return run("prometheus_client.parser", "004", body);
    }

    /**
     * Parses with the strict OpenMetrics parser {@code prometheus_client.openmetrics.parser}.
     *
     * @param body the exposition bytes, ending with {@code # EOF}
     * @return the families in order
     * @throws ParseException if Python rejects the body
     */
    public static List<Family> parseOpenMetrics(byte[] body) {
        return run("prometheus_client.openmetrics.parser", "openmetrics", body);
    }

    private static List<Family> run(String module, String mode, byte[] body) {
        Path python = Peers.requirePythonModule(module);
        ManagedProcess.RunResult r = ManagedProcess.run("python3-" + mode,
                List.of(python.toString(), "-I", "-c", SCRIPT, mode), body, TIMEOUT);
        Object root;
        try {
            root = Json.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("python helper failed (exit " + r.exitCode() + "); stderr:\n"
                    + r.stderr() + "\nstdout:\n" + r.stdout(), e);
        }
        if (!Boolean.TRUE.equals(Json.at(root, "ok"))) {
            throw new ParseException(module, String.valueOf(Json.at(root, "error")));
        }
        List<Family> out = new ArrayList<>();
        for (Object f : (List<?>) Json.at(root, "families")) {
            List<Sample> samples = new ArrayList<>();
            for (Object s : (List<?>) Json.at(f, "samples")) {
                Object e = Json.at(s, "exemplar");
                Optional<Exemplar> ex = e == null ? Optional.empty() : Optional.of(new Exemplar(
                        labels(Json.at(e, "labels")), Values.parse((String) Json.at(e, "value")),
                        optDouble(Json.at(e, "timestamp"))));
                samples.add(new Sample((String) Json.at(s, "name"), labels(Json.at(s, "labels")),
                        Values.parse((String) Json.at(s, "value")), optDouble(Json.at(s, "timestamp")), ex));
            }
            String unit = (String) Json.at(f, "unit");
            out.add(new Family((String) Json.at(f, "name"), (String) Json.at(f, "type"),
                    (String) Json.at(f, "help"),
                    unit == null || unit.isEmpty() ? Optional.empty() : Optional.of(unit),
                    Collections.unmodifiableList(samples)));
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, String> labels(Object pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Object pair : (List<?>) pairs) {
            m.put((String) Json.at(pair, 0), (String) Json.at(pair, 1));
        }
        return Collections.unmodifiableMap(m);
    }

    private static OptionalDouble optDouble(Object s) {
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(Values.parse((String) s));
    }
}
