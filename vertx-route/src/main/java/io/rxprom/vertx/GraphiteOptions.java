package io.rxprom.vertx;

import io.rxprom.core.MetricRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link GraphiteBridge}: where carbon listens, how paths are built, how
 * often to send, and how much to buffer while carbon is away.
 *
 * <pre>{@code
 * GraphiteOptions options = GraphiteOptions.builder("carbon.example.org", 2003)
 *     .prefix("rxprom.demo").interval(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * <p>Thread-safe: immutable. The builder is not thread-safe.
 */
public final class GraphiteOptions {

  /** The plaintext protocol's usual port. */
  public static final int DEFAULT_PORT = 2003;

  /** The name of the counter of samples the bridge had to drop. */
  public static final String DROPPED_SAMPLES_METRIC = "rxprom_graphite_dropped_samples_total";

  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*");

  private final String host;
  private final int port;
  private final String prefix;
  private final boolean tags;
  private final Duration interval;
  private final Predicate<String> familyFilter;
  private final long maxBufferedBytes;
  private final Duration connectTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final MetricRegistry statsRegistry;

  private GraphiteOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.prefix = b.prefix;
    this.tags = b.tags;
    this.interval = b.interval;
    this.familyFilter = b.familyFilter;
    this.maxBufferedBytes = b.maxBufferedBytes;
    this.connectTimeout = b.connectTimeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.statsRegistry = b.statsRegistry;
  }

  /** A builder for a bridge to carbon's plaintext receiver at {@code host:port}. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /**
   * A builder from {@code HOST:PORT} (or {@code HOST}, port {@value #DEFAULT_PORT}; an IPv6
   * literal in brackets: {@code [::1]:2003}), as a command line gives it.
   *
   * @throws IllegalArgumentException if the port is not a number between 1 and 65535
   */
  public static Builder builder(String hostAndPort) {
    Objects.requireNonNull(hostAndPort, "hostAndPort");
    String host = hostAndPort;
    int port = DEFAULT_PORT;
    int colon = hostAndPort.lastIndexOf(':');
    int bracket = hostAndPort.lastIndexOf(']');
    if (colon > bracket && (bracket >= 0 || hostAndPort.indexOf(':') == colon)) {
      host = hostAndPort.substring(0, colon);
      try {
        port = Integer.parseInt(hostAndPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "graphite address '" + hostAndPort + "': port must be a number, as in HOST:2003");
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Builder(host, port);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The path prefix, without a trailing dot; empty for none. */
  public String prefix() {
    return prefix;
  }

  /** Whether series are written as Graphite 1.1 tagged series rather than dotted paths. */
  public boolean tags() {
    return tags;
  }

  public Duration interval() {
    return interval;
  }

  /** Which families are sent, by family name; null for all. */
  public Predicate<String> familyFilter() {
    return familyFilter;
  }

  public long maxBufferedBytes() {
    return maxBufferedBytes;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Where the bridge registers its counter of dropped samples; null for the bridged registry. */
  public MetricRegistry statsRegistry() {
    return statsRegistry;
  }

  @Override
  public String toString() {
    return "GraphiteOptions{" + host + ":" + port + ", prefix '" + prefix + "', tags " + tags
        + ", interval " + interval + ", maxBufferedBytes " + maxBufferedBytes + "}";
  }

  /** Builds {@link GraphiteOptions}; every setter checks its argument. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String prefix = "";
    private boolean tags;
    private Duration interval = Duration.ofSeconds(60);
    private Predicate<String> familyFilter;
    private long maxBufferedBytes = 16L * 1024 * 1024;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private MetricRegistry statsRegistry;

    private Builder(String host, int port) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("graphite host must not be empty, got '" + host + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("graphite port must be in 1..65535, got " + port);
      }
      this.host = host;
      this.port = port;
    }

    /**
     * The prefix of every path, such as {@code rxprom.demo}: dot-separated parts of {@code
     * [a-zA-Z0-9_-]}, or empty for none (the default). It is not sanitised: a bad prefix is an
     * error.
     */
    public Builder prefix(String prefix) {
      if (prefix == null || (!prefix.isEmpty() && !PREFIX.matcher(prefix).matches())) {
        throw new IllegalArgumentException(
            "graphite prefix '" + prefix + "' must be dot-separated parts of [a-zA-Z0-9_-], "
                + "such as 'rxprom.demo', or empty");
      }
      this.prefix = prefix;
      return this;
    }

    /** Tagged series ({@code name;label=value}, Graphite 1.1+) instead of dotted paths. Default false. */
    public Builder tags(boolean tags) {
      this.tags = tags;
      return this;
    }

    /** How often the registry is sent. Default 60 s, at least 1 ms. */
    public Builder interval(Duration interval) {
      this.interval = positive("interval", interval);
      return this;
    }

    /** Send only the families whose name (OpenMetrics name: counters without {@code _total}) it accepts. */
    public Builder familyFilter(Predicate<String> familyFilter) {
      this.familyFilter = familyFilter;
      return this;
    }

    /**
     * The most bytes of lines held while carbon is down or slow, at least 64 KiB; default 16
     * MiB. When full, the oldest lines are dropped and counted in {@value
     * #DROPPED_SAMPLES_METRIC}.
     */
    public Builder maxBufferedBytes(long maxBufferedBytes) {
      if (maxBufferedBytes < 2L * GraphiteLineWriter.CHUNK_BYTES) {
        throw new IllegalArgumentException(
            "graphite maxBufferedBytes must be at least " + 2 * GraphiteLineWriter.CHUNK_BYTES
                + ", got " + maxBufferedBytes);
      }
      this.maxBufferedBytes = maxBufferedBytes;
      return this;
    }

    /** How long a connection attempt may take. Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Reconnection delays: the first retry after {@code initial}, each next one twice as long
     * (give or take 20% jitter), never longer than {@code max}. Default 500 ms to 30 s.
     */
    public Builder backoff(Duration initial, Duration max) {
      positive("backoff initial", initial);
      positive("backoff max", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "graphite backoff max " + max + " must not be below initial " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The registry that gets the bridge's counter {@value #DROPPED_SAMPLES_METRIC}; by default
     * the bridged registry, so the count reaches Graphite too. Two bridges need two registries
     * for it.
     */
    public Builder statsRegistry(MetricRegistry statsRegistry) {
      this.statsRegistry = statsRegistry;
      return this;
    }

    public GraphiteOptions build() {
      return new GraphiteOptions(this);
    }

    private static Duration positive(String what, Duration d) {
      if (d == null || d.isNegative() || d.toMillis() < 1) {
        throw new IllegalArgumentException("graphite " + what + " must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
