package io.rxprom.core.exposition;

import static io.rxprom.core.exposition.TestSnapshots.EMOJI;
import static io.rxprom.core.exposition.TestSnapshots.INF;
import static io.rxprom.core.exposition.TestSnapshots.NO_CREATED;
import static io.rxprom.core.exposition.TestSnapshots.family;
import static io.rxprom.core.exposition.TestSnapshots.of;
import static io.rxprom.core.exposition.TestSnapshots.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenMetricsTextWriterTest {

  private final ExpositionWriter writer = ExpositionWriter.of(ExpositionFormat.OPENMETRICS_1_0_0);
  private final ExpositionWriter withoutCreated = ExpositionWriter.openMetrics(false);

  @Test
  void writersReportTheirFormat_andCreatedIsOnByDefault() {
    assertThat(writer.format()).isEqualTo(ExpositionFormat.OPENMETRICS_1_0_0);
    assertThat(withoutCreated.format()).isEqualTo(ExpositionFormat.OPENMETRICS_1_0_0);
    assertThat(ExpositionWriter.openMetrics(true)).isSameAs(writer);
    assertThat(ExpositionFormat.OPENMETRICS_1_0_0.writer()).isSameAs(writer);
  }

  @Test
  void everyTypeGolden() {
    assertThat(write(writer, TestSnapshots.everyType())).isEqualTo("""
        # TYPE build info
        # HELP build Build information.
        build_info{version="1.2.3",revision="abc123"} 1
        # TYPE feature stateset
        # HELP feature Feature flags.
        feature{env="prod",feature="dark_mode"} 1
        feature{env="prod",feature="beta"} 0
        # TYPE http_request_duration_seconds histogram
        # UNIT http_request_duration_seconds seconds
        # HELP http_request_duration_seconds Request latency.
        http_request_duration_seconds_bucket{path="/foo",le="0.005"} 1
        http_request_duration_seconds_bucket{path="/foo",le="0.01"} 3
        http_request_duration_seconds_bucket{path="/foo",le="0.1"} 7
        http_request_duration_seconds_bucket{path="/foo",le="1.0"} 9
        http_request_duration_seconds_bucket{path="/foo",le="10.0"} 10
        http_request_duration_seconds_bucket{path="/foo",le="+Inf"} 10
        http_request_duration_seconds_count{path="/foo"} 10
        http_request_duration_seconds_sum{path="/foo"} 4.25
        http_request_duration_seconds_created{path="/foo"} 1.700000000123e+09
        # TYPE http_requests counter
        # HELP http_requests Total HTTP requests served.
        http_requests_total{path="/foo",code="200"} 1027.0
        http_requests_created{path="/foo",code="200"} 1.700000000123e+09
        http_requests_total{path="/bar",code="500"} 3.0
        http_requests_created{path="/bar",code="500"} 1.7e+09
        # TYPE legacy_queue_length unknown
        # HELP legacy_queue_length Items in the legacy queue.
        legacy_queue_length 17.0
        # TYPE process_resident_memory_bytes gauge
        # UNIT process_resident_memory_bytes bytes
        # HELP process_resident_memory_bytes Resident memory size in bytes.
        process_resident_memory_bytes 1.2345e+08
        # TYPE rpc_duration_seconds summary
        # UNIT rpc_duration_seconds seconds
        # HELP rpc_duration_seconds RPC latency.
        rpc_duration_seconds{service="auth",quantile="0.5"} 0.012
        rpc_duration_seconds{service="auth",quantile="0.9"} 0.05
        rpc_duration_seconds{service="auth",quantile="0.99"} 0.125
        rpc_duration_seconds_count{service="auth"} 42
        rpc_duration_seconds_sum{service="auth"} 1.5
        rpc_duration_seconds_created{service="auth"} 1.699999999999e+09
        # EOF
        """);
  }

  @Test
  void everyTypeWithoutCreatedGolden() {
    String withCreated = write(writer, TestSnapshots.everyType());
    String expected = withCreated.lines()
        .filter(l -> !l.contains("_created"))
        .reduce("", (a, l) -> a + l + "\n");
    assertThat(write(withoutCreated, TestSnapshots.everyType()))
        .isEqualTo(expected)
        .doesNotContain("_created")
        .endsWith("rpc_duration_seconds_sum{service=\"auth\"} 1.5\n# EOF\n");
  }

  @Test
  void awkwardGolden_escapesNonAsciiSpecialFloatsAndEmptyFamilies() {
    // In this text block \\ is one backslash of the output.
    assertThat(write(writer, TestSnapshots.awkward())).isEqualTo("""
        # TYPE awkward gauge
        # HELP awkward Backslash \\\\ quote \\" newline\\nend
        awkward{v="a\\\\b"} NaN
        awkward{v="say \\"hi\\""} +Inf
        awkward{v="line1\\nline2"} -Inf
        awkward{v="é 日本 %s"} 0.0
        awkward{v=""} 1e-05
        awkward{v="plain"} 1e+06
        awkward{v="sum"} 0.30000000000000004
        awkward{v="tiny"} 5e-324
        awkward{v="big"} 1.7976931348623157e+308
        # TYPE empty_counter counter
        # TYPE empty_gauge gauge
        # HELP empty_gauge No series yet.
        # TYPE empty_histogram_seconds histogram
        # UNIT empty_histogram_seconds seconds
        empty_histogram_seconds_bucket{le="1e-05"} 0
        empty_histogram_seconds_bucket{le="0.0001"} 0
        empty_histogram_seconds_bucket{le="100000.0"} 0
        empty_histogram_seconds_bucket{le="1e+06"} 0
        empty_histogram_seconds_bucket{le="+Inf"} 0
        empty_histogram_seconds_count 0
        empty_histogram_seconds_sum 0.0
        empty_histogram_seconds_created 1.700000000123e+09
        # TYPE empty_summary summary
        empty_summary{quantile="0.0"} NaN
        empty_summary{quantile="0.5"} NaN
        empty_summary{quantile="1.0"} NaN
        empty_summary_count 0
        empty_summary_sum 0.0
        # TYPE target info
        target_info{name="日本",quote="\\""} 1
        # EOF
        """.formatted(EMOJI));
  }

  @Test
  void emptySnapshotsWriteOnlyEof() {
    assertThat(write(writer, new MetricSnapshots(List.of()))).isEqualTo("# EOF\n");
  }

  @Test
  void seriesWithoutCreatedTimeHaveNoCreatedSample() {
    assertThat(write(writer, of(
        family("c", MetricType.COUNTER, "", "", new CounterDataPoint(Labels.EMPTY, 0, NO_CREATED)),
        family("h", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {INF}, new long[] {0}, 0,
                NO_CREATED)))))
        .isEqualTo("""
            # TYPE c counter
            c_total 0.0
            # TYPE h histogram
            h_bucket{le="+Inf"} 0
            h_count 0
            h_sum 0.0
            # EOF
            """);
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
        g 0.0
        # TYPE h histogram
        h_bucket{le="0.0"} 0
        h_bucket{le="+Inf"} 1
        h_count 1
        h_sum 0.0
        # TYPE s summary
        s{quantile="0.0"} 0.0
        s{quantile="0.5"} 0.0
        s_count 1
        s_sum 0.0
        # EOF
        """);
  }

  @Test
  void forbiddenSumsAndNegativeQuantileValuesAreLeftOut() {
    MetricSnapshots s = of(
        family("negative_bound", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {-1, 0, INF}, new long[] {1, 1, 2},
                2.5, 1000L)),
        family("negative_sum", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {0, INF}, new long[] {0, 2},
                -0.5, NO_CREATED)),
        family("nan_sum", MetricType.HISTOGRAM, "", "",
            new HistogramDataPoint(Labels.EMPTY, new double[] {-0.0, INF}, new long[] {0, 2},
                Double.NaN, NO_CREATED)),
        family("s", MetricType.SUMMARY, "", "",
            new SummaryDataPoint(Labels.EMPTY, 2, -1, new double[] {0.25, 0.5, 0.75},
                new double[] {-0.5, -0.0, 3}, 1000L)),
        family("t", MetricType.SUMMARY, "", "",
            new SummaryDataPoint(Labels.EMPTY, 2, Double.NaN, NO_CREATED)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE negative_bound histogram
        negative_bound_bucket{le="-1.0"} 1
        negative_bound_bucket{le="0.0"} 1
        negative_bound_bucket{le="+Inf"} 2
        negative_bound_created 1.0
        # TYPE negative_sum histogram
        negative_sum_bucket{le="0.0"} 0
        negative_sum_bucket{le="+Inf"} 2
        # TYPE nan_sum histogram
        nan_sum_bucket{le="0.0"} 0
        nan_sum_bucket{le="+Inf"} 2
        # TYPE s summary
        s{quantile="0.5"} 0.0
        s{quantile="0.75"} 3.0
        s_count 2
        s_created 1.0
        # TYPE t summary
        t_count 2
        # EOF
        """);
  }

  @Test
  void infoAndStateSetFamiliesCannotCarryAUnit() {
    assertThatThrownBy(() -> family("temp_celsius", MetricType.INFO, "", "celsius",
            new InfoDataPoint(Labels.EMPTY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temp_celsius").hasMessageContaining("no unit");
    assertThatThrownBy(() -> family("mode_enum", MetricType.STATESET, "", "enum",
            new StateSetDataPoint(Labels.EMPTY, new String[] {"a"}, new boolean[] {true})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mode_enum").hasMessageContaining("no unit");
  }

  @Test
  void createdBeforeTheEpochAndLongCreatedValues() {
    MetricSnapshots s = of(family("c", MetricType.COUNTER, "", "",
        new CounterDataPoint(Labels.of("a", "1"), 1, -1500L),
        new CounterDataPoint(Labels.of("a", "2"), 1, 1L),
        new CounterDataPoint(Labels.of("a", "3"), 1, 1000L * 123456)));
    assertThat(write(writer, s)).isEqualTo("""
        # TYPE c counter
        c_total{a="1"} 1.0
        c_created{a="1"} -1.5
        c_total{a="2"} 1.0
        c_created{a="2"} 0.001
        c_total{a="3"} 1.0
        c_created{a="3"} 123456.0
        # EOF
        """);
  }
}
