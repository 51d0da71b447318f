package io.rxprom.vertx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks the {@code Authorization} header of a scrape against a configured basic-auth user and
 * password and/or bearer token. Immutable, thread-safe.
 *
 * <p>Comparisons are constant-time in the secret's content ({@link MessageDigest#isEqual}); the
 * length of a wrong candidate may show in timing, as it does for every such check.
 */
final class ScrapeAuth {

  private final byte[] basicCredentials; // "user:password" in UTF-8, or null
  private final byte[] bearerToken; // or null
  private final List<String> challenges;

  private ScrapeAuth(byte[] basicCredentials, byte[] bearerToken, String realm) {
    this.basicCredentials = basicCredentials;
    this.bearerToken = bearerToken;
    List<String> c = new ArrayList<>(2);
    if (basicCredentials != null) {
      c.add("Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
    }
    if (bearerToken != null) {
      c.add("Bearer realm=\"" + realm + "\"");
    }
    this.challenges = List.copyOf(c);
  }

  /** The check for these settings, or null when neither basic auth nor a token is set. */
  static ScrapeAuth of(String user, String password, String token, String realm) {
    if (user == null && token == null) {
      return null;
    }
    return new ScrapeAuth(
        user == null ? null : (user + ":" + password).getBytes(StandardCharsets.UTF_8),
        token == null ? null : token.getBytes(StandardCharsets.US_ASCII),
        realm);
  }

  /** The {@code WWW-Authenticate} values of a 401. */
  List<String> challenges() {
    return challenges;
  }

  /** Whether the {@code Authorization} header (null when absent) carries the credentials. */
  boolean admits(String authorization) {
    if (authorization == null) {
      return false;
    }
    String h = authorization.trim();
    int sp = h.indexOf(' ');
    if (sp <= 0) {
      return false;
    }
    String scheme = h.substring(0, sp);
    String credentials = h.substring(sp + 1).trim();
    if (basicCredentials != null && scheme.equalsIgnoreCase("Basic")) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(credentials);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return MessageDigest.isEqual(decoded, basicCredentials);
    }
    if (bearerToken != null && scheme.equalsIgnoreCase("Bearer")) {
      return MessageDigest.isEqual(credentials.getBytes(StandardCharsets.US_ASCII), bearerToken);
    }
    return false;
  }
}
