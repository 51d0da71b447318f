package io.rxprom.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads samples out of a Prometheus text-format body, for assertions in tests. */
final class ExpositionText {

  /**
   * One sample line.
   *
   * @param name the sample name ({@code foo_total}, {@code foo_count}, ...)
   * @param labels the labels in their order
   * @param value the value
   */
  record Sample(String name, Map<String, String> labels, double value) {}

  // HTTP/1.1 as Prometheus scrapes; the JDK's default would try an h2c upgrade.
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ExpositionText() {}

  /** GETs {@code url} with the JDK client and returns the body; fails on any status but 200. */
  static String get(String url) {
    return get(url, "*/*");
  }

  /** GETs {@code url} with an {@code Accept} header; fails on any status but 200. */
  static String get(String url, String accept) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Accept", accept)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs {@code url} and returns {@code "STATUS BODY"}, whatever the status. */
  static String getAny(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses every sample line; comments and blank lines are skipped. */
  static List<Sample> parse(String body) {
    List<Sample> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int i = 0;
      while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
        i++;
      }
      String name = line.substring(0, i);
      Map<String, String> labels = new LinkedHashMap<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          if (line.charAt(i) == ',') {
            i++;
            continue;
          }
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2;
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char e = line.charAt(j + 1);
              value.append(e == 'n' ? '\n' : e);
              j += 2;
            } else {
              value.append(c);
              j++;
            }
          }
          labels.put(key, value.toString());
          i = j + 1;
        }
        i++;
      }
      String[] rest = line.substring(i).strip().split("\\s+");
      out.add(new Sample(name, labels, parseValue(rest[0])));
    }
    return out;
  }

  /** The sum of all samples named {@code name}. */
  static double sum(String body, String name) {
    return parse(body).stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
  }

  /** The value of sample {@code name} with label {@code label=value}, or NaN if there is none. */
  static double value(String body, String name, String label, String value) {
    return parse(body).stream()
        .filter(s -> s.name().equals(name) && value.equals(s.labels().get(label)))
        .mapToDouble(Sample::value)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
