package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrometheusServerTest {

    private static int deadPort;
    private static PrometheusServer prom;

    @BeforeAll
    static void startScrapingItselfAndADeadTarget() {
        deadPort = Ports.freePort(); // nothing listens there
        prom = PrometheusServer.start(PrometheusServer.SELF, "127.0.0.1:" + deadPort);
    }

    @AfterAll
    static void stop() {
        if (prom != null) {
            prom.close();
        }
    }

    @Test
    void scrapesItselfAndReportsUp() {
        prom.awaitTargetsUp(1, Duration.ofSeconds(20));
        String self = "127.0.0.1:" + prom.port();
        List<PrometheusServer.VectorSample> up = prom.awaitQuery("up{instance=\"" + self + "\"}",
                r -> r.size() == 1 && r.get(0).value() == 1.0, Duration.ofSeconds(20));
        assertThat(up.get(0).labels()).containsEntry("job", "rxprom").containsEntry("__name__", "up");
        assertThat(prom.query("up")).contains("\"status\":\"success\"");
        assertThat(prom.queryVector("scalar(vector(1)) / 0")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(Double.POSITIVE_INFINITY));
    }

    @Test
    void timeoutNamesTheTargetThatIsDown() {
        assertThatThrownBy(() -> prom.awaitTargetsUp(2, Duration.ofSeconds(4)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("127.0.0.1:" + deadPort)
                .hasMessageContaining("connection refused");
    }

    @Test
    void badQueryIsAnError() {
        assertThat(prom.query("sum(")).contains("\"status\":\"error\"");
        assertThatThrownBy(() -> prom.queryVector("sum(")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void configAcceptsTargetsUrlsAndYaml() {
        String y = PrometheusServer.config(9999, "127.0.0.1:1", "http://127.0.0.1:2/custom/path",
                "job_name: extra\nstatic_configs:\n  - targets: ['${self}']");
        assertThat(y).contains("scrape_interval: 1s")
                .contains("targets: ['127.0.0.1:1']")
                .contains("metrics_path: '/custom/path'")
                .contains("  - job_name: extra\n    static_configs:\n      - targets: ['127.0.0.1:9999']");
    }
}
