package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesNestedValuesInOrder() {
        Object v = Json.parse(" {\"b\": [1, -2.5e1, true, false, null], \"a\": {\"s\": \"x\\\"\\u00e9\\ud83d\\ude00\\n\"},"
                + " \"n\": [NaN, Infinity, -Infinity], \"e\": {}, \"l\": []} ");
        assertThat(List.<Object>copyOf(((Map<?, ?>) v).keySet())).containsExactly("b", "a", "n", "e", "l");
        assertThat(Json.at(v, "b")).isEqualTo(java.util.Arrays.asList(1.0, -25.0, true, false, null));
        assertThat(Json.at(v, "a", "s")).isEqualTo("x\"é\uD83D\uDE00\n");
        assertThat((Double) Json.at(v, "n", 0)).isNaN();
        assertThat(Json.at(v, "n", 1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Json.at(v, "n", 2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Json.at(v, "e")).isEqualTo(Map.of());
        assertThat(Json.at(v, "l")).isEqualTo(List.of());
        assertThat(Json.at(v, "missing", 3)).isNull();
    }

    @Test
    void rejectsInvalidJson() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1 2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("\"abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
    }
}
