package io.rxprom.vertx;

import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * Configuration of a {@link PushgatewayClient}: the gateway's address, credentials, timeout and
 * body compression.
 *
 * <pre>{@code
 * PushgatewayOptions options = PushgatewayOptions.builder("http://pushgateway:9091")
 *     .basicAuth("user", "secret").timeout(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <p>Thread-safe: immutable. The builder is not thread-safe.
 */
public final class PushgatewayOptions {

  /** The Pushgateway's usual port, used when an address has neither scheme nor port. */
  public static final int DEFAULT_PORT = 9091;

  private final URI url;
  private final String authorization;
  private final Duration timeout;
  private final boolean gzip;
  private final HttpClientOptions httpClientOptions;

  private PushgatewayOptions(Builder b) {
    this.url = b.url;
    this.authorization = b.authorization;
    this.timeout = b.timeout;
    this.gzip = b.gzip;
    this.httpClientOptions = b.httpClientOptions == null ? null : new HttpClientOptions(b.httpClientOptions);
  }

  /**
   * A builder for the gateway at {@code address}: {@code http://host:port}, {@code
   * https://host:port/some/prefix}, or {@code host:port} / {@code host} (http; port {@value
   * #DEFAULT_PORT} when absent). A URL without a port uses its scheme's (80 or 443).
   *
   * @throws IllegalArgumentException if the address is not such a URL
   */
  public static Builder builder(String address) {
    return new Builder(parse(address));
  }

  /** The gateway's base URL: scheme, host, port and path prefix (no trailing slash). */
  public URI url() {
    return url;
  }

  /** The {@code Authorization} header value, or null. */
  String authorization() {
    return authorization;
  }

  /** Whether basic auth or a bearer token is configured. */
  public boolean hasCredentials() {
    return authorization != null;
  }

  /** The most time a request may take, connecting included. */
  public Duration timeout() {
    return timeout;
  }

  /** Whether request bodies are gzip-compressed ({@code Content-Encoding: gzip}). */
  public boolean gzip() {
    return gzip;
  }

  /** A copy of the HTTP client options to start from (TLS trust, proxy), or null. */
  public HttpClientOptions httpClientOptions() {
    return httpClientOptions == null ? null : new HttpClientOptions(httpClientOptions);
  }

  @Override
  public String toString() {
    return "PushgatewayOptions{" + url + (authorization != null ? ", with credentials" : "")
        + ", timeout " + timeout + (gzip ? ", gzip" : "") + "}";
  }

  private static URI parse(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("pushgateway address must not be empty, got '" + address + "'");
    }
    boolean schemeLess = !address.contains("://");
    URI u;
    try {
      u = new URI(schemeLess ? "http://" + address : address);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "pushgateway address '" + address + "' is not a URL such as http://host:9091: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "pushgateway address '" + address + "' must be http or https, got scheme '" + scheme + "'");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("pushgateway address '" + address + "' has no host");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("pushgateway address '" + address
          + "' must not have a query, fragment or user info (use basicAuth for credentials)");
    }
    int port = u.getPort() != -1 ? u.getPort() : schemeLess ? DEFAULT_PORT : scheme.equals("https") ? 443 : 80;
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(scheme + "://" + (u.getHost().contains(":") && !u.getHost().startsWith("[")
          ? "[" + u.getHost() + "]" : u.getHost()) + ":" + port + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("pushgateway address '" + address + "': " + e.getMessage());
    }
  }

  /** Builds {@link PushgatewayOptions}; every setter checks its argument. */
  public static final class Builder {
    private final URI url;
    private String authorization;
    private Duration timeout = Duration.ofSeconds(10);
    private boolean gzip;
    private HttpClientOptions httpClientOptions;

    private Builder(URI url) {
      this.url = url;
    }

    /** HTTP basic authentication. Replaces a bearer token set before. */
    public Builder basicAuth(String user, String password) {
      if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "pushgateway basic auth user must be non-empty and without ':', got '" + user + "'");
      }
      Objects.requireNonNull(password, "password");
      this.authorization = "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** {@code Authorization: Bearer <token>}. Replaces basic auth set before. */
    public Builder bearerToken(String token) {
      if (token == null || token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(
            "pushgateway bearer token must be non-empty visible ASCII without spaces");
      }
      this.authorization = "Bearer " + token;
      return this;
    }

    /** The most time one push or delete may take, connecting included. Default 10 s. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.toMillis() < 1) {
        throw new IllegalArgumentException("pushgateway timeout must be at least 1 ms, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Compress request bodies with gzip. Default false; the Pushgateway accepts both. */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /**
     * Vert.x HTTP client options to start from, for TLS trust, proxies or pool sizes (copied).
     * Host, port and TLS on/off come from the address.
     */
    public Builder httpClientOptions(HttpClientOptions options) {
      this.httpClientOptions = options == null ? null : new HttpClientOptions(options);
      return this;
    }

    public PushgatewayOptions build() {
      return new PushgatewayOptions(this);
    }
  }
}
