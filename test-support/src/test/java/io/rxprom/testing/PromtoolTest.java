package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PromtoolTest {

    @Test
    void acceptsCleanBody() {
        Promtool.Result r = Promtool.checkMetrics((
                "# HELP requests_total Requests served.\n"
                        + "# TYPE requests_total counter\n"
                        + "requests_total{code=\"200\"} 3\n").getBytes(StandardCharsets.UTF_8));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.clean()).isTrue();
    }

    @Test
    void reportsLintProblems() {
        // a counter without the _total suffix and without HELP parses but is linted
        Promtool.Result r = Promtool.checkMetrics("# TYPE requests counter\nrequests 3\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.lintProblems()).isTrue();
        assertThat(r.output()).contains("_total");
    }

    @Test
    void rejectsBrokenBody() {
        Promtool.Result r = Promtool.checkMetrics("requests_total{code=\"200\" 3\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.parseError()).isTrue();
        assertThat(r.output()).isNotBlank();
    }
}
