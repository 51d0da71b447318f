package io.rxprom.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's command line, parsed and checked. {@link #parse(String...)} accepts {@code --flag
 * value} and {@code --flag=value}; every flag at most once. Immutable.
 *
 * @param host where both servers listen
 * @param appPort the port of {@code /foo} and {@code /bar}; 0 picks a free one
 * @param metricsPort the port of {@code /metrics} and the live view; 0 picks a free one
 * @param loadRate requests per second the demo sends itself; 0 is off
 * @param pushgateway the Pushgateway to push to, if any
 * @param pushInterval time between two pushes
 * @param graphite the Graphite plaintext receiver to bridge to, if any
 * @param graphiteInterval time between two Graphite pushes
 * @param graphiteTags tagged series ({@code name;label=value}) instead of plain paths
 * @param help {@code --help} was given: print the usage and exit
 */
record DemoOptions(
    String host,
    int appPort,
    int metricsPort,
    double loadRate,
    Optional<URI> pushgateway,
    Duration pushInterval,
    Optional<HostAndPort> graphite,
    Duration graphiteInterval,
    boolean graphiteTags,
    boolean help) {

  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_APP_PORT = 8080;
  static final int DEFAULT_METRICS_PORT = 8000;
  static final int DEFAULT_INTERVAL_SECONDS = 10;
  static final double MAX_LOAD_RATE = 10_000;
  static final int MAX_INTERVAL_SECONDS = 86_400;

  private static final Set<String> FLAGS =
      Set.of(
          "--help", "--host", "--app-port", "--metrics-port", "--load", "--pushgateway",
          "--push-interval", "--graphite", "--graphite-interval", "--graphite-tags");

  static final String USAGE =
      """
      Usage: java -jar rxprom-demo.jar [options]

      The seed's request router (/foo and /bar) as a Vert.x + Reactor service, instrumented with
      rxprom; its metrics and a live view are served on a port of their own.

      Options:
        --host HOST                  address both servers listen on (default 127.0.0.1)
        --app-port PORT              port of /foo and /bar (default 8080; 0 = any free port)
        --metrics-port PORT          port of /metrics and the live view (default 8000; 0 = any free port)
        --load RATE                  send RATE requests/s to /foo and /bar from inside the demo
                                     (default 0 = off; at most 10000)
        --pushgateway URL            push (PUT) the metrics to this Pushgateway, e.g. http://127.0.0.1:9091,
                                     job rxprom-demo, grouping key instance=HOST:APP-PORT
        --push-interval SECONDS      seconds between two pushes (default 10)
        --graphite HOST:PORT         send the metrics to this Graphite plaintext receiver, prefix rxprom.demo
        --graphite-interval SECONDS  seconds between two Graphite sends (default 10)
        --graphite-tags              tagged Graphite series (name;label=value) instead of plain paths
        -h, --help                   print this help and exit

      Ctrl-C (SIGINT) or SIGTERM stops the demo cleanly. It exits with 1 if a server cannot start
      (for example when a port is in use) and with 2 for a bad command line.
      """;

  /** The options when no flag is given. */
  static DemoOptions defaults() {
    return new DemoOptions(
        DEFAULT_HOST,
        DEFAULT_APP_PORT,
        DEFAULT_METRICS_PORT,
        0,
        Optional.empty(),
        Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS),
        Optional.empty(),
        Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS),
        false,
        false);
  }

  /**
   * Parses a command line.
   *
   * @param args the arguments as {@code main} receives them
   * @return the options; {@link #help()} is true if {@code -h} or {@code --help} was given
   * @throws UsageException naming the flag, the offending value and the rule
   */
  static DemoOptions parse(String... args) {
    String host = DEFAULT_HOST;
    int appPort = DEFAULT_APP_PORT;
    int metricsPort = DEFAULT_METRICS_PORT;
    double load = 0;
    Optional<URI> pushgateway = Optional.empty();
    Integer pushInterval = null;
    Optional<HostAndPort> graphite = Optional.empty();
    Integer graphiteInterval = null;
    boolean graphiteTags = false;
    boolean help = false;

    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        flag = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (!flag.startsWith("-")) {
        throw new UsageException("unexpected argument '" + arg + "': the demo takes only flags");
      }
      if (flag.equals("-h")) {
        flag = "--help";
      }
      if (!FLAGS.contains(flag)) {
        throw new UsageException("unknown flag " + flag);
      }
      if (!seen.add(flag)) {
        throw new UsageException(flag + " given more than once");
      }
      switch (flag) {
        case "--help" -> {
          noValue(flag, inline);
          help = true;
        }
        case "--graphite-tags" -> {
          noValue(flag, inline);
          graphiteTags = true;
        }
        default -> {
          String value;
          if (inline != null) {
            value = inline;
          } else if (i + 1 < args.length && !isFlag(args[i + 1])) {
            value = args[++i];
          } else {
            throw new UsageException(flag + " needs a value" + valueHint(flag));
          }
          switch (flag) {
            case "--host" -> host = host(value);
            case "--app-port" -> appPort = port(flag, value);
            case "--metrics-port" -> metricsPort = port(flag, value);
            case "--load" -> load = rate(value);
            case "--pushgateway" -> pushgateway = Optional.of(httpUrl(flag, value));
            case "--push-interval" -> pushInterval = seconds(flag, value);
            case "--graphite" -> graphite = Optional.of(hostAndPort(flag, value));
            case "--graphite-interval" -> graphiteInterval = seconds(flag, value);
            default -> throw new IllegalStateException("flag without a case: " + flag);
          }
        }
      }
    }
    if (appPort != 0 && appPort == metricsPort) {
      throw new UsageException(
          "--app-port and --metrics-port are both " + appPort + ": they must differ");
    }
    if (pushInterval != null && pushgateway.isEmpty()) {
      throw new UsageException("--push-interval needs --pushgateway URL");
    }
    if ((graphiteInterval != null || graphiteTags) && graphite.isEmpty()) {
      throw new UsageException(
          (graphiteTags ? "--graphite-tags" : "--graphite-interval") + " needs --graphite HOST:PORT");
    }
    return new DemoOptions(
        host,
        appPort,
        metricsPort,
        load,
        pushgateway,
        Duration.ofSeconds(pushInterval == null ? DEFAULT_INTERVAL_SECONDS : pushInterval),
        graphite,
        Duration.ofSeconds(graphiteInterval == null ? DEFAULT_INTERVAL_SECONDS : graphiteInterval),
        graphiteTags,
        help);
  }

  /**
   * The host name that clients on this machine use to reach a server listening on {@link #host}:
   * loopback for a wildcard address, the host itself otherwise.
   */
  String reachableHost() {
    return switch (host) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]", "0:0:0:0:0:0:0:0" -> "[::1]";
      default -> host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    };
  }

  private static boolean isFlag(String s) {
    // "-1" is a (bad) value, not a flag, so that the message names the rule it breaks.
    return s.startsWith("-") && !(s.length() > 1 && Character.isDigit(s.charAt(1)));
  }

  private static void noValue(String flag, String inline) {
    if (inline != null) {
      throw new UsageException(flag + " takes no value, got '" + inline + "'");
    }
  }

  private static String valueHint(String flag) {
    return switch (flag) {
      case "--host" -> " (HOST)";
      case "--app-port", "--metrics-port" -> " (PORT)";
      case "--load" -> " (RATE, requests per second)";
      case "--pushgateway" -> " (URL)";
      case "--graphite" -> " (HOST:PORT)";
      case "--push-interval", "--graphite-interval" -> " (SECONDS)";
      default -> "";
    };
  }

  private static String host(String value) {
    if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new UsageException("--host: '" + value + "' is not a host name or address");
    }
    return value;
  }

  private static int port(String flag, String value) {
    int port = integer(flag, value, "a port number (0 to 65535)");
    if (port < 0 || port > 65535) {
      throw new UsageException(flag + ": " + value + " is not a port number (0 to 65535)");
    }
    return port;
  }

  private static double rate(String value) {
    double rate;
    try {
      rate = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      rate = Double.NaN;
    }
    if (!(rate >= 0 && rate <= MAX_LOAD_RATE) || value.strip().isEmpty()) {
      throw new UsageException(
          "--load: '" + value + "' is not a rate (requests per second, 0 to 10000)");
    }
    return rate;
  }

  private static int seconds(String flag, String value) {
    int s = integer(flag, value, "a whole number of seconds (1 to 86400)");
    if (s < 1 || s > MAX_INTERVAL_SECONDS) {
      throw new UsageException(flag + ": " + value + " is not a whole number of seconds (1 to 86400)");
    }
    return s;
  }

  private static int integer(String flag, String value, String rule) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": '" + value + "' is not " + rule);
    }
  }

  private static URI httpUrl(String flag, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new UsageException(flag + ": '" + value + "' is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new UsageException(
          flag + ": '" + value + "' is not an http:// or https:// URL with a host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new UsageException(flag + ": '" + value + "' must not have a query or fragment");
    }
    return uri;
  }

  private static HostAndPort hostAndPort(String flag, String value) {
    int colon = value.lastIndexOf(':');
    String host = colon > 0 ? value.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isBlank() || colon == value.length() - 1) {
      throw new UsageException(flag + ": '" + value + "' is not HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": '" + value + "' is not HOST:PORT");
    }
    if (port < 1 || port > 65535) {
      throw new UsageException(flag + ": port " + port + " in '" + value + "' is not 1 to 65535");
    }
    return new HostAndPort(host, port);
  }

  /**
   * A TCP endpoint given as {@code HOST:PORT}.
   *
   * @param host the host name or address, without brackets
   * @param port 1 to 65535
   */
  record HostAndPort(String host, int port) {}

  /** A bad command line: the message says which flag, which value and which rule. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
