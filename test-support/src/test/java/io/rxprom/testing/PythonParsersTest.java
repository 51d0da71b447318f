package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PythonParsersTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void laxParserReadsFamiliesLabelsSpecialFloatsAndTimestamps() {
        List<PythonParsers.Family> fams = PythonParsers.parse004(utf8(
                "# HELP temp_celsius Temperature \\\\ with \"quotes\" and é.\n"
                        + "# TYPE temp_celsius gauge\n"
                        + "temp_celsius{zone=\"b\",area=\"a\\nline\"} NaN\n"
                        + "temp_celsius{zone=\"c\"} +Inf 1700000000123\n"
                        + "temp_celsius{zone=\"d\"} -Inf\n"
                        + "# TYPE jobs_total counter\n"
                        + "jobs_total 1.5e3\n"));
        assertThat(fams).extracting(PythonParsers.Family::name).containsExactly("temp_celsius", "jobs");
        PythonParsers.Family temp = fams.get(0);
        assertThat(temp.type()).isEqualTo("gauge");
        assertThat(temp.help()).isEqualTo("Temperature \\ with \"quotes\" and é.");
        assertThat(temp.unit()).isEmpty();
        assertThat(temp.samples()).hasSize(3);
        PythonParsers.Sample nan = temp.samples().get(0);
        assertThat(nan.labels()).containsExactly(
                org.assertj.core.api.Assertions.entry("zone", "b"),
                org.assertj.core.api.Assertions.entry("area", "a\nline"));
        assertThat(nan.value()).isNaN();
        assertThat(nan.timestamp()).isEmpty();
        assertThat(temp.samples().get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(temp.samples().get(1).timestamp()).hasValue(1700000000.123);
        assertThat(temp.samples().get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(fams.get(1).type()).isEqualTo("counter");
        assertThat(fams.get(1).samples().get(0).name()).isEqualTo("jobs_total");
        assertThat(fams.get(1).samples().get(0).value()).isEqualTo(1500.0);
    }

    @Test
    void laxParserRejectsGarbage() {
        assertThatThrownBy(() -> PythonParsers.parse004(utf8("metric{a=\"1\" 1\n")))
                .isInstanceOf(PythonParsers.ParseException.class)
                .satisfies(e -> assertThat(((PythonParsers.ParseException) e).pythonError()).isNotBlank());
    }

    @Test
    void strictParserReadsOpenMetricsWithUnitAndExemplar() {
        List<PythonParsers.Family> fams = PythonParsers.parseOpenMetrics(utf8(
                "# TYPE latency_seconds histogram\n"
                        + "# UNIT latency_seconds seconds\n"
                        + "# HELP latency_seconds Latency.\n"
                        + "latency_seconds_bucket{le=\"0.1\"} 1 # {trace_id=\"abc\"} 0.05 1700000000.5\n"
                        + "latency_seconds_bucket{le=\"+Inf\"} 2\n"
                        + "latency_seconds_count 2\n"
                        + "latency_seconds_sum 0.3\n"
                        + "# EOF\n"));
        assertThat(fams).hasSize(1);
        PythonParsers.Family f = fams.get(0);
        assertThat(f.type()).isEqualTo("histogram");
        assertThat(f.unit()).hasValue("seconds");
        assertThat(f.samples()).extracting(PythonParsers.Sample::name).containsExactly(
                "latency_seconds_bucket", "latency_seconds_bucket", "latency_seconds_count", "latency_seconds_sum");
        PythonParsers.Sample first = f.samples().get(0);
        assertThat(first.exemplar()).isPresent();
        assertThat(first.exemplar().get().labels()).containsEntry("trace_id", "abc");
        assertThat(first.exemplar().get().value()).isEqualTo(0.05);
        assertThat(first.exemplar().get().timestamp()).hasValue(1700000000.5);
        assertThat(f.samples().get(1).labels()).containsEntry("le", "+Inf");
        assertThat(f.samples().get(1).exemplar()).isEmpty();
    }

    @Test
    void strictParserRejectsMissingEof() {
        assertThatThrownBy(() -> PythonParsers.parseOpenMetrics(utf8("# TYPE a gauge\na 1\n")))
                .isInstanceOf(PythonParsers.ParseException.class)
                .hasMessageContaining("EOF");
    }

    @Test
    void laxParserAcceptsWhatStrictRejects() {
        byte[] body = utf8("# TYPE a gauge\na 1\n");
        assertThat(PythonParsers.parse004(body)).hasSize(1);
    }
}
