package io.rxprom.core.exposition;

import static io.rxprom.core.exposition.ExpositionFormat.OPENMETRICS_1_0_0;
import static io.rxprom.core.exposition.ExpositionFormat.PROMETHEUS_TEXT_0_0_4;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpositionFormatTest {

  static final String PROMETHEUS_2_34_TO_2_48 =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
          + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String PROMETHEUS_2_49_TO_2_55 =
      "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
          + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
  static final String PROMETHEUS_3 =
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
          + "application/openmetrics-text;version=0.0.1;q=0.5,"
          + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
          + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  @Test
  void contentTypesAreExact() {
    assertThat(PROMETHEUS_TEXT_0_0_4.contentType())
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(OPENMETRICS_1_0_0.contentType())
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
  }

  @Test
  void prometheusServersGetOpenMetrics() {
    assertThat(ExpositionFormat.negotiate(PROMETHEUS_2_34_TO_2_48)).isEqualTo(OPENMETRICS_1_0_0);
    assertThat(ExpositionFormat.negotiate(PROMETHEUS_2_49_TO_2_55)).isEqualTo(OPENMETRICS_1_0_0);
    assertThat(ExpositionFormat.negotiate(PROMETHEUS_3)).isEqualTo(OPENMETRICS_1_0_0);
  }

  @Test
  void prometheus3WithNativeHistogramsAsksForProtobufFirst_whichIsNeverChosen() {
    assertThat(ExpositionFormat.negotiate(
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited," + PROMETHEUS_3))
        .isEqualTo(OPENMETRICS_1_0_0);
    assertThat(ExpositionFormat.negotiate(
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited"))
        .isEqualTo(PROMETHEUS_TEXT_0_0_4);
  }

  @Test
  void prometheus3TextOnly_getsTheTextFormat() {
    assertThat(ExpositionFormat.negotiate(
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,"
            + "*/*;q=0.2"))
        .isEqualTo(PROMETHEUS_TEXT_0_0_4);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "*/*", "*/*;q=0.5", "text/*", "text/plain",
      "text/plain;version=0.0.4", "text/plain; version=0.0.4; charset=utf-8",
      "text/plain;version=1.0.0;escaping=allow-utf-8", "text/html,*/*;q=0.8",
      "application/json", "application/openmetrics-text;version=2.0.0",
      "text/plain;version=0.0.5,application/openmetrics-text;version=9.9.9"})
  void fallsBackToText(String header) {
    assertThat(ExpositionFormat.negotiate(header)).isEqualTo(PROMETHEUS_TEXT_0_0_4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/openmetrics-text",
      "application/openmetrics-text;version=1.0.0",
      "application/openmetrics-text;version=0.0.1",
      "application/openmetrics-text; version=1.0.0; charset=utf-8",
      "application/*",
      "application/openmetrics-text;version=\"1.0.0\"",
      "APPLICATION/OpenMetrics-Text; VERSION=1.0.0; Q=0.9, text/plain;q=0.5",
      "text/plain;q=0.5, application/openmetrics-text;q=0.6",
      "application/openmetrics-text;q=0.5;version=1.0.0, text/plain;q=0.4"})
  void choosesOpenMetrics(String header) {
    assertThat(ExpositionFormat.negotiate(header)).isEqualTo(OPENMETRICS_1_0_0);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // q=0 means "not acceptable"
      "application/openmetrics-text;q=0, text/plain;q=0.1 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;version=1.0.0;q=0 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=0.000, */* | PROMETHEUS_TEXT_0_0_4",
      "text/plain;q=0, */* | OPENMETRICS_1_0_0",
      "text/plain;q=0, application/openmetrics-text;q=0 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=0.001 | OPENMETRICS_1_0_0",
      // whitespace anywhere a separator allows it, tabs included
      "  application/openmetrics-text ;\tversion = 1.0.0 ; q = 0.8 , text/plain ; q=0.9 "
          + "| PROMETHEUS_TEXT_0_0_4",
      " application/openmetrics-text ; q=0.9 , text/plain ; q=0.8 | OPENMETRICS_1_0_0",
      // equal q: the earlier entry wins
      "text/plain, application/openmetrics-text | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text, text/plain | OPENMETRICS_1_0_0",
      "application/openmetrics-text;q=0.5, text/plain;q=0.5 | OPENMETRICS_1_0_0",
      "text/plain;q=0.5, application/openmetrics-text;q=0.5 | PROMETHEUS_TEXT_0_0_4",
      // the most specific matching range decides a format's q
      "application/*;q=0.9, text/plain;q=0.8 | OPENMETRICS_1_0_0",
      "text/*;q=0.3, application/openmetrics-text;q=0.2 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;version=1.0.0;q=0.1, application/openmetrics-text;q=0.9, "
          + "text/plain;q=0.5 | PROMETHEUS_TEXT_0_0_4",
      "*/*;q=0.9, application/openmetrics-text;q=0.1 | PROMETHEUS_TEXT_0_0_4",
      // malformed entries are ignored, the rest still counts
      "garbage, application/openmetrics-text | OPENMETRICS_1_0_0",
      ";;;,,, application/openmetrics-text | OPENMETRICS_1_0_0",
      "text/, /plain, */plain, application/openmetrics-text | OPENMETRICS_1_0_0",
      "application/openmetrics-text;q=abc | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=1.5 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=1.001 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=0.5000 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=.5 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=-0.5 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q= | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;version | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;version=\"1.0.0 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text junk | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=1.000 | OPENMETRICS_1_0_0",
      "application/openmetrics-text;q=1. | OPENMETRICS_1_0_0",
      "application/openmetrics-text;;q=0.9;, text/plain;q=0.8 | OPENMETRICS_1_0_0",
      // a comma inside a quoted parameter value does not end the entry
      "foo/bar;x=\", application/openmetrics-text, \" | PROMETHEUS_TEXT_0_0_4",
      "foo/bar;x=\"a\\\"b, application/openmetrics-text\", */*;q=0.1 | PROMETHEUS_TEXT_0_0_4",
      // a repeated parameter makes the entry ambiguous: ignored
      "application/openmetrics-text;version=1.0.0;version=0.0.1 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;q=0.1;q=1, text/plain;q=0.5 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;Q=0.9;q=0.9 | PROMETHEUS_TEXT_0_0_4",
      "application/openmetrics-text;charset=utf-8;Charset=utf-8 | PROMETHEUS_TEXT_0_0_4",
  })
  void edgeCases(String header, ExpositionFormat expected) {
    assertThat(ExpositionFormat.negotiate(header)).isEqualTo(expected);
  }

  @Test
  void aLongHeaderIsScannedOnce() {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      h.append("text/html;q=0.9,");
    }
    h.append("application/openmetrics-text;q=0.95");
    assertThat(ExpositionFormat.negotiate(h.toString())).isEqualTo(OPENMETRICS_1_0_0);
  }
}
