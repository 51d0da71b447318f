package io.rxprom.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK HTTP client, with short timeouts, shared by the peers. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Http() {
    }

    /** GET with a 10-second bound; throws IllegalStateException on I/O failure. */
    static HttpResponse<String> get(String url) {
        try {
            return tryGet(url);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        }
    }

    static HttpResponse<String> tryGet(String url) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url, e);
        }
    }

    /** True if GET answers 200 within 2 seconds. */
    static boolean is200(String url) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url, e);
        }
    }
}
