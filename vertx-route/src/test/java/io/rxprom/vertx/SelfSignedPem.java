package io.rxprom.vertx;

import io.rxprom.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC key and certificate for 127.0.0.1 and localhost, made by the {@code openssl}
 * command line (a missing openssl fails under CI=true and skips elsewhere).
 */
record SelfSignedPem(Path key, Path cert) {

  static SelfSignedPem create(Path dir) {
    Path openssl = Peers.require("openssl", "openssl");
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    List<String> cmd = List.of(openssl.toString(), "req", "-x509",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + new String(out, StandardCharsets.UTF_8));
      }
      if (!Files.readString(key).contains("PRIVATE KEY") || !Files.readString(cert).contains("CERTIFICATE")) {
        throw new IllegalStateException("openssl wrote no PEM key or certificate");
      }
    } catch (IOException e) {
      throw new IllegalStateException("running openssl: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new SelfSignedPem(key, cert);
  }
}
