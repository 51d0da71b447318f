package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChromiumTest {

    private static final String PAGE = "<!doctype html><html><head><title>t</title></head>"
            + "<body style='background:#fff'><h1 id='h'>static</h1>"
            + "<script>setTimeout(function(){document.getElementById('h').textContent='rendered-by-js';}, 500);"
            + "</script></body></html>";

    private static HttpServer server;

    @BeforeAll
    static void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = PAGE.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void dumpsTheDomAfterScriptsRan() {
        assertThat(Chromium.dumpDom(url())).contains("rendered-by-js").doesNotContain(">static<");
    }

    @Test
    void dumpsADataUrl() {
        assertThat(Chromium.dumpDom("data:text/html,<p id=x>data-url-ok</p>")).contains("data-url-ok");
    }

    @Test
    void takesAScreenshotOfTheRequestedSize() throws Exception {
        Path png = Chromium.screenshot(url(), Artifacts.dir().resolve("chromium-test.png"), 320, 200);
        try (InputStream in = Files.newInputStream(png); DataInputStream d = new DataInputStream(in)) {
            byte[] sig = new byte[8];
            d.readFully(sig);
            assertThat(sig).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            d.readInt(); // IHDR length
            d.readInt(); // "IHDR"
            assertThat(d.readInt()).isEqualTo(320);
            assertThat(d.readInt()).isEqualTo(200);
        }
    }
}
