package io.rxprom.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real peers and applies the missing-peer policy.
 *
 * <p>When a peer is missing: with the environment variable {@code CI=true} the calling test
 * <b>fails</b> with an {@link AssertionError} naming the binary and the Debian package that provides
 * it; anywhere else the test is <b>skipped</b> through {@link Assumptions#abort(String)} with a
 * message saying that the peer is missing. Every {@code start()}/{@code run} method of this package
 * calls these checks first, so a test gets the policy without calling them itself.
 */
public final class Peers {

    /** Debian's interpreter, the one that has {@code prometheus_client}; not the {@code python3} on PATH. */
    public static final String PYTHON = "/usr/bin/python3";

    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("prometheus", "prometheus"),
            Map.entry("promtool", "prometheus"),
            Map.entry("prometheus-pushgateway", "prometheus-pushgateway"),
            Map.entry("carbon-cache", "graphite-carbon"),
            Map.entry("whisper-fetch", "python3-whisper"),
            Map.entry("chromium", "chromium"),
            Map.entry("wrk", "wrk"),
            Map.entry("python3", "python3"),
            Map.entry("prometheus_client", "python3-prometheus-client"));

    private static final Map<String, Boolean> PYTHON_MODULES = new ConcurrentHashMap<>();

    private Peers() {
    }

    /**
     * Returns the path of an executable, or applies the missing-peer policy.
     *
     * @param executable a name looked up on {@code PATH} (then /usr/bin, /usr/sbin, /usr/local/bin)
     *                   or an absolute path
     * @return the absolute path of the executable
     */
    public static Path require(String executable) {
        return require(executable, packageFor(executable));
    }

    /**
     * Like {@link #require(String)} for an executable this class does not know the package of.
     *
     * @param executable a name on {@code PATH} or an absolute path
     * @param aptPackage the Debian package that provides it, named in the failure message
     * @return the absolute path of the executable
     */
    public static Path require(String executable, String aptPackage) {
        return require(executable, aptPackage, isCi());
    }

    /**
     * Requires {@link #PYTHON} and a Python module importable by it (for example
     * {@code prometheus_client.openmetrics.parser}), or applies the missing-peer policy.
     *
     * @param module a dotted module name
     * @return the path of the interpreter
     */
    public static Path requirePythonModule(String module) {
        Path python = require(PYTHON, "python3");
        boolean ok = PYTHON_MODULES.computeIfAbsent(module, m -> {
            ManagedProcess.RunResult r = ManagedProcess.run("python3-import",
                    List.of(python.toString(), "-I", "-c", "import " + m), new byte[0], Duration.ofSeconds(30));
            return r.exitCode() == 0;
        });
        if (!ok) {
            missing("Python module " + module + " (for " + PYTHON + ")",
                    packageFor(module.split("\\.")[0]), isCi());
        }
        return python;
    }

    /**
     * Tells whether this run is CI, where missing peers fail tests instead of skipping them.
     *
     * @return true if the environment variable {@code CI} is {@code true} (any case)
     */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static Path require(String executable, String aptPackage, boolean ci) {
        Optional<Path> found = find(executable);
        if (found.isEmpty()) {
            missing("executable '" + executable + "'", aptPackage, ci);
        }
        return found.get();
    }

    static Optional<Path> find(String executable) {
        if (executable.contains("/")) {
            Path p = Path.of(executable);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = System.getenv("PATH");
        String dirs = (path == null ? "" : path) + File.pathSeparator + "/usr/bin:/usr/sbin:/usr/local/bin";
        for (String dir : dirs.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    static String packageFor(String executable) {
        String base = executable.substring(executable.lastIndexOf('/') + 1);
        return PACKAGES.getOrDefault(base, base);
    }

    static void missing(String what, String aptPackage, boolean ci) {
        if (ci) {
            throw new AssertionError("Peer missing on CI: " + what + " not found; install the Debian package '"
                    + aptPackage + "' (apt-get install -y " + aptPackage + ")");
        }
        Assumptions.abort("Skipped because the peer is missing: " + what + " not found (Debian package '"
                + aptPackage + "'); with CI=true this would fail");
    }
}
