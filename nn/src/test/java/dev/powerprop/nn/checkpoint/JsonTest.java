package dev.powerprop.nn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesObjectsArraysStringsAndIntegersInOrder() throws Exception {
        Object v = Json.parse(" {\"b\": [1, -2, 0], \"a\": {\"x\": \"y\"}, \"c\": []}  ");

        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(List.copyOf(m.keySet())).isEqualTo(List.of("b", "a", "c"));
        assertThat(m.get("b")).isEqualTo(List.of(1L, -2L, 0L));
        assertThat(m.get("a")).isEqualTo(Map.of("x", "y"));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() throws Exception {
        Object v = Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\"");

        assertThat(v).isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9 \ud83d\ude00");
    }

    @Test
    void quoteRoundTripsAndEscapesLikeSerdeJson() throws Exception {
        String s = "a\"b\\c\n\u0001\u007f/\u00e9";

        assertThat(Json.quote(s)).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\u007f/\u00e9\"");
        assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
    }

    @Test
    void errorsSayAtWhichCharacter() {
        assertError("{\"a\": [1, 2,]}", 12, "expected a value");
        assertError("{\"a\" 1}", 5, "expected ':'");
        assertError("{\"a\": 1,}", 8, "expected a string key");
        assertError("{\"a\": 1} x", 9, "after the end of the JSON value");
        assertError("{\"a\": 1.5}", 7, "only integers");
        assertError("{\"a\": 01}", 6, "leading zeros");
        assertError("{\"a\": true}", 6, "true, false and null");
        assertError("{\"a\": \"x", 6, "not closed");
        assertError("{\"a\": \"\\q\"}", 7, "unknown escape");
        assertError("{\"a\": \"\\u12G4\"}", 11, "four hex digits");
        assertError("{\"a\": \"\n\"}", 7, "must be escaped");
        assertError("{\"a\": 1, \"a\": 2}", 9, "duplicate key \"a\"");
        assertError("{\"a\": 99999999999999999999}", 6, "does not fit in 64 bits");
        assertError("", 0, "ends where a value was expected");
        assertError("[".repeat(100), 64, "nested deeper");
    }

    private static void assertError(String text, int position, String message) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.SyntaxException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((Json.SyntaxException) e).position()).as(text).isEqualTo(position));
    }
}
