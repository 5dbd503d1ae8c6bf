package dev.powerprop.nn.checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict subset of JSON (RFC 8259) a safetensors header uses: objects, arrays,
 * strings with every escape, and integers. Anything else (fractions, exponents, true, false,
 * null, trailing commas, duplicate keys, text after the value) is an error that says at which
 * character. Written here rather than taken from a library to keep {@code nn} free of
 * dependencies.
 *
 * <p>Values map to Java as: object to {@link JsonObject} (in file order),
 * array to {@code List<Object>}, string to {@code String}, integer to {@code Long}.
 */
final class Json {
    /** A syntax error at character {@link #position()} of the text. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int position;

        SyntaxException(int position, String message) {
            super(message);
            this.position = position;
        }

        int position() {
            return position;
        }
    }

    /** A JSON object: its members in file order, and where each key starts in the text. */
    static final class JsonObject extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
        private final Map<String, Integer> keyPositions = new HashMap<>();

        /** The character index of {@code key}'s opening quote in the parsed text. */
        int positionOf(String key) {
            return keyPositions.getOrDefault(key, 0);
        }
    }

    /** Objects nested deeper than this are rejected instead of overflowing the stack. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must hold exactly one value, optionally surrounded by whitespace. */
    static Object parse(String text) throws SyntaxException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return value;
    }

    /** {@code s} as a JSON string literal, escaped as serde_json (the Rust library) does. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private Object value(int depth) throws SyntaxException {
        if (pos >= text.length()) {
            throw error("the text ends where a value was expected");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return object(depth + 1);
        } else if (c == '[') {
            return array(depth + 1);
        } else if (c == '"') {
            return string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        if (text.startsWith("true", pos) || text.startsWith("false", pos)
                || text.startsWith("null", pos)) {
            throw error("true, false and null do not occur in a safetensors header;"
                    + " expected an object, array, string or integer");
        }
        throw error("expected a value (object, array, string or integer), found " + describe(pos));
    }

    private JsonObject object(int depth) throws SyntaxException {
        checkDepth(depth);
        JsonObject map = new JsonObject();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key, found " + describe(pos));
            }
            int keyStart = pos;
            String key = string();
            if (map.containsKey(key)) {
                throw new SyntaxException(keyStart, "duplicate key " + quote(key));
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth));
            map.keyPositions.put(key, keyStart);
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            if (peek() == '}') {
                pos++;
                return map;
            }
            throw error("expected ',' or '}' in an object, found " + describe(pos));
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            if (peek() == ']') {
                pos++;
                return list;
            }
            throw error("expected ',' or ']' in an array, found " + describe(pos));
        }
    }

    private String string() throws SyntaxException {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new SyntaxException(start, "string starting here is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character " + describe(pos) + " inside a string must be escaped");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw new SyntaxException(start, "string starting here is not closed");
            }
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    // Surrogate pairs arrive as two \\u escapes; appending both chars rebuilds them.
                    if (pos + 6 > text.length()) {
                        throw error("\\u escape needs four hex digits");
                    }
                    int code = 0;
                    for (int k = pos + 2; k < pos + 6; k++) {
                        int digit = Character.digit(text.charAt(k), 16);
                        if (digit < 0) {
                            throw new SyntaxException(k, "\\u escape needs four hex digits, found "
                                    + describe(k));
                        }
                        code = code * 16 + digit;
                    }
                    sb.append((char) code);
                    pos += 4;
                }
                default -> throw error("unknown escape \\" + e + " in a string");
            }
            pos += 2;
        }
    }

    private Long integer() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == digitsStart) {
            throw error("expected a digit after '-', found " + describe(pos));
        }
        if (text.charAt(digitsStart) == '0' && pos - digitsStart > 1) {
            throw new SyntaxException(start, "leading zeros are not allowed in a JSON number");
        }
        if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) {
            throw error("only integers occur in a safetensors header; found a fraction or exponent");
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            throw new SyntaxException(start, "integer " + text.substring(start, pos)
                    + " does not fit in 64 bits");
        }
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("expected '" + c + "', found " + describe(pos));
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(at);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    private SyntaxException error(String message) {
        return new SyntaxException(pos, message);
    }
}
