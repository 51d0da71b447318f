package io.rxprom.vertx;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the route a failed request was for.
 *
 * <p>Vert.x Web clears {@code RoutingContext#currentRoute()} when a handler throws or calls
 * {@code fail}, before it looks for failure handlers, so at the end of such a request the route
 * is gone. This class matches the request against the router's routes again, with the rules of
 * Vert.x Web's own matching that its public {@link Route} getters expose: methods, exact paths,
 * prefix paths ({@code /static/*}), path templates ({@code /users/:id}) and regular expressions
 * (of unnamed regex routes). It returns the last match in routing order, the endpoint the request
 * was for; catch-all routes (no path) never match. Virtual hosts and consumes/produces are not
 * considered.
 *
 * <p>Runs only for failed requests. Thread-safe; compiled templates are cached by text.
 */
final class RouteMatcher {

  private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
  private static final Pattern NO_MATCH = Pattern.compile("(?!)");
  private static final int MAX_CACHED_PATTERNS = 1024;
  private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private RouteMatcher() {}

  /** The last route of the context's router that matches its method and path, or null. */
  static Route lastMatch(RoutingContext ctx) {
    if (!(ctx instanceof RoutingContextInternal internal)) {
      return null;
    }
    Router router = internal.currentRouter();
    if (router == null) {
      return null;
    }
    String path = relativePath(ctx.normalizedPath(), ctx.mountPoint());
    if (path == null) {
      return null;
    }
    HttpMethod method = ctx.request().method();
    List<Route> routes = router.getRoutes();
    for (int i = routes.size() - 1; i >= 0; i--) {
      Route r = routes.get(i);
      if (matches(r, method, path)) {
        return r;
      }
    }
    return null;
  }

  static String relativePath(String path, String mountPoint) {
    if (path == null || mountPoint == null || mountPoint.isEmpty()) {
      return path;
    }
    String mp = mountPoint.endsWith("/") ? mountPoint.substring(0, mountPoint.length() - 1) : mountPoint;
    if (!path.startsWith(mp)) {
      return null;
    }
    String rest = path.substring(mp.length());
    return rest.isEmpty() ? "/" : rest;
  }

  static boolean matches(Route r, HttpMethod method, String path) {
    Set<HttpMethod> methods = r.methods();
    if (methods != null && !methods.isEmpty() && !methods.contains(method)) {
      return false;
    }
    String template = r.getPath();
    if (template != null) {
      if (r.isRegexPath()) {
        return pattern("t" + (r.isExactPath() ? "=" : "*") + template).matcher(path).matches();
      }
      String t = stripSlash(template);
      String p = stripSlash(path);
      if (r.isExactPath()) {
        return p.equals(t);
      }
      return p.equals(t) || p.startsWith(t) && (t.isEmpty() || path.charAt(t.length()) == '/');
    }
    if (r.isRegexPath() && r.getName() != null) {
      return pattern("r" + r.getName()).matcher(path).matches();
    }
    return false; // a catch-all
  }

  private static String stripSlash(String s) {
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s.equals("/") ? "" : s;
  }

  /** Key: 't=' or 't*' (exact or prefix template) or 'r' (regex), then the text. */
  private static Pattern pattern(String key) {
    Pattern p = PATTERNS.get(key);
    if (p == null) {
      p = compile(key);
      if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
        PATTERNS.putIfAbsent(key, p);
      }
    }
    return p;
  }

  private static Pattern compile(String key) {
    if (key.charAt(0) == 'r') {
      try {
        return Pattern.compile(key.substring(1));
      } catch (PatternSyntaxException e) {
        return NO_MATCH; // a name that is not the route's regex
      }
    }
    boolean exact = key.charAt(1) == '=';
    String template = stripSlash(key.substring(2));
    StringBuilder re = new StringBuilder();
    Matcher m = PARAM.matcher(template);
    int last = 0;
    while (m.find()) {
      re.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
      last = m.end();
    }
    re.append(Pattern.quote(template.substring(last)));
    re.append(exact ? "/?" : "(?:/.*)?");
    return Pattern.compile(re.toString());
  }
}
