package io.rxprom.demo;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Elements of a page read in one script evaluation, so that numbers compared with each other come
 * from the same render: each selector's {@code data-value} attribute and text.
 */
final class Cells {

  private final Map<String, JsonObject> bySelector;

  private Cells(Map<String, JsonObject> bySelector) {
    this.bySelector = bySelector;
  }

  static Cells read(HeadlessBrowser browser, String... selectors) {
    String script =
        "JSON.stringify("
            + Json.encode(List.of(selectors))
            + ".map(function (s) { var e = document.querySelector(s);"
            + " return e ? {value: e.getAttribute('data-value'), text: e.textContent} : null; }))";
    JsonArray cells = new JsonArray((String) browser.evaluate(script));
    Map<String, JsonObject> map = new HashMap<>();
    for (int i = 0; i < selectors.length; i++) {
      map.put(selectors[i], cells.getJsonObject(i));
    }
    return new Cells(map);
  }

  boolean has(String selector) {
    return bySelector.get(selector) != null;
  }

  /** The {@code data-value} as a number; NaN for "NaN", "undefined" or no attribute. */
  double value(String selector) {
    String v = cell(selector).getString("value");
    try {
      return v == null ? Double.NaN : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  String text(String selector) {
    return cell(selector).getString("text");
  }

  private JsonObject cell(String selector) {
    JsonObject c = bySelector.get(selector);
    if (c == null) {
      throw new AssertionError("no element matches " + selector);
    }
    return c;
  }
}
