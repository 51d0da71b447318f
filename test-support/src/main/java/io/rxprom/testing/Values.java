package io.rxprom.testing;

import java.util.Locale;

/** Parses the float spellings used by Prometheus, OpenMetrics and Python. */
final class Values {

    private Values() {
    }

    static double parse(String s) {
        String t = s.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "+inf":
            case "inf":
            case "+infinity":
            case "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(t);
        }
    }
}
