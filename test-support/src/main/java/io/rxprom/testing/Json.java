package io.rxprom.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader, enough for the answers of Prometheus, the Pushgateway and this module's
 * Python helper.
 *
 * <p>Objects become unmodifiable {@code Map<String, Object>} keeping member order, arrays become
 * unmodifiable {@code List<Object>}, strings {@code String}, numbers {@code Double}, booleans
 * {@code Boolean}, and {@code null} Java {@code null}. As an extension the bare tokens
 * {@code NaN}, {@code Infinity} and {@code -Infinity} (which Python's {@code json} writes) are read
 * as doubles.
 */
public final class Json {

    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON value; surrounding whitespace is allowed, trailing garbage is not.
     *
     * @param text the JSON text
     * @return the value as described in the class comment
     * @throws IllegalArgumentException if the text is not valid JSON, with the offset
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != text.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    /**
     * Walks into a parsed value: each step is a {@code String} (object member) or an
     * {@code Integer} (array index).
     *
     * @param root a value returned by {@link #parse(String)}
     * @param path the steps
     * @return the value found, or {@code null} if a step is missing or does not fit
     */
    public static Object at(Object root, Object... path) {
        Object cur = root;
        for (Object step : path) {
            if (cur instanceof Map<?, ?> m && step instanceof String k) {
                cur = m.get(k);
            } else if (cur instanceof List<?> l && step instanceof Integer idx) {
                cur = idx >= 0 && idx < l.size() ? l.get(idx) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            case 'N':
                return literal("NaN", Double.NaN);
            case 'I':
                return literal("Infinity", Double.POSITIVE_INFINITY);
            default:
                if (c == '-' && s.startsWith("-Infinity", i)) {
                    return literal("-Infinity", Double.NEGATIVE_INFINITY);
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object() {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("expected member name");
            }
            String k = string();
            ws();
            expect(':');
            ws();
            m.put(k, value());
            ws();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(m);
            }
            if (c != ',') {
                i--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(l);
            }
            if (c != ',') {
                i--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                    break;
                default:
                    i--;
                    throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Double number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        while (i < s.length() && "0123456789+-.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(start, i);
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            i = start;
            throw error("bad number '" + t + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("expected " + word);
        }
        i += word.length();
        return v;
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            i--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, i - 20);
        int to = Math.min(s.length(), i + 20);
        return new IllegalArgumentException("invalid JSON at offset " + i + ": " + what + " near '"
                + s.substring(from, to) + "'");
    }
}
