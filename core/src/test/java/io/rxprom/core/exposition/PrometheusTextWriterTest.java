package io.rxprom.core.exposition;

import static io.rxprom.core.exposition.TestSnapshots.EMOJI;
import static io.rxprom.core.exposition.TestSnapshots.INF;
import static io.rxprom.core.exposition.TestSnapshots.family;
import static io.rxprom.core.exposition.TestSnapshots.of;
import static io.rxprom.core.exposition.TestSnapshots.write;
import static io.rxprom.core.snapshot.DataPointSnapshot.NO_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextWriterTest {

  private final ExpositionWriter writer = ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);

  @Test
  void writerReportsItsFormat() {
    assertThat(writer.format()).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
    assertThat(ExpositionFormat.PROMETHEUS_TEXT_0_0_4.writer()).isSameAs(writer);
  }

  @Test
  void everyTypeGolden() {
    assertThat(write(writer, TestSnapshots.everyType())).isEqualTo("""
        # HELP build_info Build information.
        # TYPE build_info gauge
        build_info{version="1.2.3",revision="abc123"} 1
        # HELP feature Feature flags.
        # TYPE feature gauge
        feature{env="prod",feature="dark_mode"} 1
        feature{env="prod",feature="beta"} 0
        # HELP http_request_duration_seconds Request latency.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{path="/foo",le="0.005"} 1
        http_request_duration_seconds_bucket{path="/foo",le="0.01"} 3
        http_request_duration_seconds_bucket{path="/foo",le="0.1"} 7
        http_request_duration_seconds_bucket{path="/foo",le="1"} 9
        http_request_duration_seconds_bucket{path="/foo",le="10"} 10
        http_request_duration_seconds_bucket{path="/foo",le="+Inf"} 10
        http_request_duration_seconds_sum{path="/foo"} 4.25
        http_request_duration_seconds_count{path="/foo"} 10
        # HELP http_requests_total Total HTTP requests served.
        # TYPE http_requests_total counter
        http_requests_total{path="/foo",code="200"} 1027
        http_requests_total{path="/bar",code="500"} 3
        # HELP legacy_queue_length Items in the legacy queue.
        # TYPE legacy_queue_length untyped
        legacy_queue_length 17
        # HELP process_resident_memory_bytes Resident memory size in bytes.
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 1.2345e+08
        # HELP rpc_duration_seconds RPC latency.
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{service="auth",quantile="0.5"} 0.012
        rpc_duration_seconds{service="auth",quantile="0.9"} 0.05
        rpc_duration_seconds{service="auth",quantile="0.99"} 0.125
        rpc_duration_seconds_sum{service="auth"} 1.5
        rpc_duration_seconds_count{service="auth"} 42
        """);
  }

  @Test
  void awkwardGolden_escapesNonAsciiSpecialFloatsAndEmptyFamilies() {
    // In this text block \\ is one backslash of the output.
    assertThat(write(writer, TestSnapshots.awkward())).isEqualTo("""
        # HELP awkward Backslash \\\\ quote " newline\\nend
        # TYPE awkward gauge
        awkward{v="a\\\\b"} NaN
        awkward{v="say \\"hi\\""} +Inf
        awkward{v="line1\\nline2"} -Inf
        awkward{v="é 日本 %s"} 0
        awkward{v=""} 1e-05
        awkward{v="plain"} 1e+06
        awkward{v="sum"} 0.30000000000000004
        awkward{v="tiny"} 5e-324
        awkward{v="big"} 1.7976931348623157e+308
        # TYPE empty_counter_total counter
        # HELP empty_gauge No series yet.
        # TYPE empty_gauge gauge
        # TYPE empty_histogram_seconds histogram
        empty_histogram_seconds_bucket{le="1e-05"} 0
        empty_histogram_seconds_bucket{le="0.0001"} 0
        empty_histogram_seconds_bucket{le="100000"} 0
        empty_histogram_seconds_bucket{le="1e+06"} 0
        empty_histogram_seconds_bucket{le="+Inf"} 0
        empty_histogram_seconds_sum 0
        empty_histogram_seconds_count 0
        # TYPE empty_summary summary
        empty_summary{quantile="0"} NaN
        empty_summary{quantile="0.5"} NaN
        empty_summary{quantile="1"} NaN
        empty_summary_sum 0
        empty_summary_count 0
        # TYPE target_info gauge
        target_info{name="日本",quote="\\""} 1
        """.formatted(EMOJI));
  }

  @Test
  void emojiIsOneFourByteUtf8Sequence() {
    byte[] out = TestSnapshots.writeBytes(writer, of(family("g", MetricType.GAUGE, "", "",
        TestSnapshots.gauge(EMOJI, 1))));
    // U+1F600 is F0 9F 98 80 in UTF-8.
    assertThat(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("g{v=\"\u00F0\u009F\u0098\u0080\"} 1\n");
  }

  @Test
  void loneSurrogateBecomesReplacementCharacter() {
    String lone = "a\uD83Db\uDE00";
    assertThat(write(writer, of(family("g", MetricType.GAUGE, "", "",
        TestSnapshots.gauge(lone, 1)))))
        .isEqualTo("# TYPE g gauge\ng{v=\"a\uFFFDb\uFFFD\"} 1\n");
  }

  @Test
  void onlyBackslashAndNewlineAreEscapedInHelp_andNothingElseAnywhere() {
    String help = "tab\there cr\r quote\" slash/ unicode\u00e9 control\u0001";
    assertThat(write(writer, of(family("g", MetricType.GAUGE, help, "",
        TestSnapshots.gauge(help, 1)))))
        .isEqualTo("# HELP g " + help + "\n# TYPE g gauge\ng{v=\""
            + help.replace("\"", "\\\"") + "\"} 1\n");
  }

  @Test
  void emptySnapshotsWriteNothing() {
    assertThat(write(writer, new MetricSnapshots(List.of()))).isEmpty();
  }

  /** Go's expfmt special-cases f == 0, so -0.0 is written as zero: in values, le and quantile. */
  @Test
  void negativeZeroIsWrittenAsZeroLikeGoExpfmt() {
    MetricSnapshots s = of(
        family("g", MetricType.GAUGE, "", "", new GaugeDataPoint(Labels.EMPTY, -0.0)),
        family("h", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {-0.0, INF}, new long[] {0, 1},
                -0.0, NO_CREATED)),
        family("s", MetricType.SUMMARY, "", "",
            new SummaryDataPoint(Labels.EMPTY, 1, -0.0, new double[] {-0.0, 0.5},
                new double[] {-0.0, -0.0}, NO_CREATED)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE g gauge
        g 0
        # TYPE h histogram
        h_bucket{le="0"} 0
        h_bucket{le="+Inf"} 1
        h_sum 0
        h_count 1
        # TYPE s summary
        s{quantile="0"} 0
        s{quantile="0.5"} 0
        s_sum 0
        s_count 1
        """);
  }

  @Test
  void negativeSumsAndBoundsAreWrittenAsTheyAre() {
    MetricSnapshots s = of(
        family("h", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {-1, 0, INF}, new long[] {1, 1, 2},
                -3.5, 1L)),
        family("s", MetricType.SUMMARY, "", "",
            new SummaryDataPoint(Labels.EMPTY, 2, -1, new double[] {0.5}, new double[] {-0.5}, 1L)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE h histogram
        h_bucket{le="-1"} 1
        h_bucket{le="0"} 1
        h_bucket{le="+Inf"} 2
        h_sum -3.5
        h_count 2
        # TYPE s summary
        s{quantile="0.5"} -0.5
        s_sum -1
        s_count 2
        """);
  }

  @Test
  void seriesOfOneFamilyWithDifferentBoundsEachGetTheirOwnLe() {
    MetricSnapshots s = of(family("h", MetricType.HISTOGRAM, "", "",
        new HistogramDataPoint(Labels.of("a", "1"), new double[] {1, INF}, new long[] {1, 2}, 3, 0),
        new HistogramDataPoint(Labels.of("a", "2"), new double[] {2, INF}, new long[] {0, 1}, 4, 0),
        new HistogramDataPoint(Labels.of("a", "3"), new double[] {2, 5, INF}, new long[] {0, 0, 0},
            0, 0)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE h histogram
        h_bucket{a="1",le="1"} 1
        h_bucket{a="1",le="+Inf"} 2
        h_sum{a="1"} 3
        h_count{a="1"} 2
        h_bucket{a="2",le="2"} 0
        h_bucket{a="2",le="+Inf"} 1
        h_sum{a="2"} 4
        h_count{a="2"} 1
        h_bucket{a="3",le="2"} 0
        h_bucket{a="3",le="5"} 0
        h_bucket{a="3",le="+Inf"} 0
        h_sum{a="3"} 0
        h_count{a="3"} 0
        """);
  }

  @Test
  void summaryWithoutQuantilesWritesSumAndCount() {
    assertThat(write(writer, of(family("s", MetricType.SUMMARY, "", "",
        new SummaryDataPoint(Labels.of("x", "y"), 0, 0, 0)))))
        .isEqualTo("# TYPE s summary\ns_sum{x=\"y\"} 0\ns_count{x=\"y\"} 0\n");
  }

  @Test
  void largeCountsAndValuesAreExact() {
    MetricSnapshots s = of(
        family("c", MetricType.COUNTER, "", "",
            new CounterDataPoint(Labels.EMPTY, 9007199254740991.0, 0),
            new CounterDataPoint(Labels.of("a", "b"), 1e21, 0)),
        family("h", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {INF},
                new long[] {Long.MAX_VALUE}, 123456.0, 0)),
        family("g", MetricType.GAUGE, "", "", new GaugeDataPoint(Labels.EMPTY, -1234567.0)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE c_total counter
        c_total 9.007199254740991e+15
        c_total{a="b"} 1e+21
        # TYPE h histogram
        h_bucket{le="+Inf"} 9223372036854775807
        h_sum 123456
        h_count 9223372036854775807
        # TYPE g gauge
        g -1.234567e+06
        """);
  }
}
