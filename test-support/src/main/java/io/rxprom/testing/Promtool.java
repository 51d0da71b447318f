package io.rxprom.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@code promtool check metrics}, Prometheus' own validator and linter for the 0.0.4 text
 * format (it does not understand OpenMetrics).
 */
public final class Promtool {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Promtool() {
    }

    /**
     * What {@code promtool check metrics} said about a body.
     *
     * @param exitCode 0 clean, 3 lint problems only, 1 parse error
     * @param output   its stdout followed by its stderr (the problems it found)
     */
    public record Result(int exitCode, String output) {

        /** @return true if promtool found neither parse errors nor lint problems */
        public boolean clean() {
            return exitCode == 0;
        }

        /** @return true if the body parsed but has lint problems (exit code 3) */
        public boolean lintProblems() {
            return exitCode == 3;
        }

        /** @return true if promtool could not parse the body (exit code 1) */
        public boolean parseError() {
            return exitCode == 1;
        }
    }

    /**
     * Feeds {@code body} to {@code promtool check metrics} on standard input (bounded to 30 s).
     *
     * @param body an exposition in the Prometheus 0.0.4 text format
     * @return exit code and output
     */
    public static Result checkMetrics(byte[] body) {
        Path promtool = Peers.require("promtool");
        ManagedProcess.RunResult r = ManagedProcess.run("promtool",
                List.of(promtool.toString(), "check", "metrics"), body, TIMEOUT);
        return new Result(r.exitCode(), r.stdout() + r.stderr());
    }
}
