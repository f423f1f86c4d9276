package io.influxrelay.sharding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An InfluxDB /query JSON body read into results and series, and printed back as InfluxDB prints it. Every
 * scalar keeps its JSON text as InfluxDB wrote it ({@link Raw}), so that numbers and escapes come out byte for
 * byte (Go prints {@code 1e+21}, escapes {@code <} as {@code \u003c}...) without reproducing Go's encoder.
 */
final class AnswerJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AnswerJson() {
    }

    /** A JSON value as written ({@code json}) and, for a string, its content ({@code text}; else the JSON text). */
    record Raw(String json, String text) {
        static final Raw EMPTY_STRING = new Raw("\"\"", "");
    }

    /** A whole body: a request-level error, or the statements' results. */
    record Answer(Raw error, List<Result> results) {
    }

    /** One statement's result; messages is the raw JSON array or null. */
    record Result(int statementId, List<Series> series, String messages, boolean partial, Raw error) {
    }

    /**
     * One series; name and tags may be absent (null). Tags are sorted by key, as Go prints a map.
     * Tag keys map to their key and value as written.
     */
    record Series(Raw name, TreeMap<String, Raw[]> tags, List<Raw> columns, List<List<Raw>> values, boolean partial) {
    }

    static Answer parse(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an InfluxDB /query answer");
            }
            Raw error = null;
            List<Result> results = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "results" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            results.add(result(p, body));
                        }
                    }
                    case "error" -> error = raw(p, body);
                    default -> p.skipChildren();
                }
            }
            return new Answer(error, results);
        } catch (IOException e) {
            throw new UncheckedIOException("not an InfluxDB /query answer", e);
        }
    }

    private static Result result(JsonParser p, byte[] body) throws IOException {
        int id = 0;
        List<Series> series = new ArrayList<>();
        String messages = null;
        boolean partial = false;
        Raw error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "statement_id" -> id = p.getIntValue();
                case "series" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        series.add(series(p, body));
                    }
                }
                case "messages" -> messages = raw(p, body).json();
                case "partial" -> partial = p.getBooleanValue();
                case "error" -> error = raw(p, body);
                default -> p.skipChildren();
            }
        }
        return new Result(id, series, messages, partial, error);
    }

    private static Series series(JsonParser p, byte[] body) throws IOException {
        Raw name = null;
        TreeMap<String, Raw[]> tags = null;
        List<Raw> columns = new ArrayList<>();
        List<List<Raw>> values = new ArrayList<>();
        boolean partial = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = raw(p, body);
                case "tags" -> {
                    tags = new TreeMap<>(Bytewise.ORDER);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        Raw written = new Raw(quoted(body, (int) p.currentTokenLocation().getByteOffset()), key);
                        p.nextToken();
                        tags.put(key, new Raw[] {written, raw(p, body)});
                    }
                }
                case "columns" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        columns.add(raw(p, body));
                    }
                }
                case "values" -> values = new WrittenRows(raw(p, body).json());
                case "partial" -> partial = p.getBooleanValue();
                default -> p.skipChildren();
            }
        }
        return new Series(name, tags, columns, values, partial);
    }

    /**
     * A series' rows as InfluxDB wrote them, read into cells only when a row is asked for: a series passed on with
     * its own columns is printed from this text, so a merge holds about the answer's bytes, not an object per cell.
     */
    static final class WrittenRows extends AbstractList<List<Raw>> {
        private final String json;
        private List<List<Raw>> rows;

        WrittenRows(String json) {
            this.json = json;
        }

        /** The rows' JSON array as written, while no row has been read (printing it is then a copy). */
        String unread() {
            return rows == null ? json : null;
        }

        @Override
        public boolean isEmpty() {
            if (rows != null) {
                return rows.isEmpty();
            }
            int i = 1;
            while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
                i++;
            }
            return i == json.length() || json.charAt(i) == ']';
        }

        @Override
        public List<Raw> get(int index) {
            return rows().get(index);
        }

        @Override
        public int size() {
            return rows().size();
        }

        private List<List<Raw>> rows() {
            if (rows == null) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                List<List<Raw>> read = new ArrayList<>();
                try (JsonParser p = JSON.createParser(body)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        List<Raw> row = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            row.add(raw(p, body));
                        }
                        read.add(row);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("not an InfluxDB /query answer", e);
                }
                rows = read;
            }
            return rows;
        }
    }

    /** The current value as written in body (an array or object whole), and its text. */
    private static Raw raw(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        JsonToken token = p.currentToken();
        String text = token.isStructStart() ? null : p.getText(); // getText reads a string to its closing quote
        if (token.isStructStart()) {
            p.skipChildren();
        }
        int end = (int) p.currentLocation().getByteOffset();
        String json = new String(body, start, end - start, StandardCharsets.UTF_8);
        return new Raw(json, token == JsonToken.VALUE_STRING ? text : json);
    }

    /** The JSON string starting at body[start] (its opening quote), as written. */
    private static String quoted(byte[] body, int start) {
        int i = start + 1;
        while (body[i] != '"') {
            i += body[i] == '\\' ? 2 : 1;
        }
        return new String(body, start, i + 1 - start, StandardCharsets.UTF_8);
    }

    /** The body as InfluxDB prints it: compact, its keys in InfluxDB's order, empty fields left out, a final newline. */
    static byte[] print(Answer answer) {
        StringBuilder out = new StringBuilder(256).append('{');
        if (answer.error() != null) {
            out.append("\"error\":").append(answer.error().json());
        } else if (!answer.results().isEmpty()) {
            out.append("\"results\":[");
            for (int i = 0; i < answer.results().size(); i++) {
                print(out.append(i == 0 ? "" : ","), answer.results().get(i));
            }
            out.append(']');
        }
        return out.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void print(StringBuilder out, Result result) {
        out.append("{\"statement_id\":").append(result.statementId());
        if (!result.series().isEmpty()) {
            out.append(",\"series\":[");
            for (int i = 0; i < result.series().size(); i++) {
                print(out.append(i == 0 ? "" : ","), result.series().get(i));
            }
            out.append(']');
        }
        if (result.messages() != null) {
            out.append(",\"messages\":").append(result.messages());
        }
        if (result.partial()) {
            out.append(",\"partial\":true");
        }
        if (result.error() != null) {
            out.append(",\"error\":").append(result.error().json());
        }
        out.append('}');
    }

    private static void print(StringBuilder out, Series series) {
        out.append('{');
        String comma = "";
        if (series.name() != null && !series.name().text().isEmpty()) {
            out.append("\"name\":").append(series.name().json());
            comma = ",";
        }
        if (series.tags() != null && !series.tags().isEmpty()) {
            out.append(comma).append("\"tags\":{");
            String tagComma = "";
            for (Map.Entry<String, Raw[]> tag : series.tags().entrySet()) {
                out.append(tagComma).append(tag.getValue()[0].json()).append(':').append(tag.getValue()[1].json());
                tagComma = ",";
            }
            out.append('}');
            comma = ",";
        }
        if (!series.columns().isEmpty()) {
            out.append(comma).append("\"columns\":");
            row(out, series.columns());
            comma = ",";
        }
        if (!series.values().isEmpty()) {
            String written = series.values() instanceof WrittenRows rows ? rows.unread() : null;
            if (written != null) {
                out.append(comma).append("\"values\":").append(written);
            } else {
                out.append(comma).append("\"values\":[");
                for (int i = 0; i < series.values().size(); i++) {
                    row(out.append(i == 0 ? "" : ","), series.values().get(i));
                }
                out.append(']');
            }
            comma = ",";
        }
        if (series.partial()) {
            out.append(comma).append("\"partial\":true");
        }
        out.append('}');
    }

    private static void row(StringBuilder out, List<Raw> cells) {
        out.append('[');
        for (int i = 0; i < cells.size(); i++) {
            out.append(i == 0 ? "" : ",").append(cells.get(i).json());
        }
        out.append(']');
    }
}
