package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PushgatewayTest {

    @Test
    void showsWhatWasPushed() throws Exception {
        try (Pushgateway pg = Pushgateway.start()) {
            assertThat(pg.metricsText()).doesNotContain("some_metric");
            HttpRequest put = HttpRequest.newBuilder(URI.create(pg.baseUrl() + "/metrics/job/x"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain; version=0.0.4")
                    .PUT(HttpRequest.BodyPublishers.ofString("some_metric 1\n"))
                    .build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
            assertThat(pg.metricsText())
                    .contains("some_metric{instance=\"\",job=\"x\"} 1")
                    .contains("push_time_seconds{instance=\"\",job=\"x\"}");
        }
    }
}
