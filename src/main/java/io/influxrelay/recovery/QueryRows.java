package io.influxrelay.recovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a /query answer, read one at a time as they arrive. A chunked answer is a sequence of
 * JSON objects ({"results":[{"series":[{"name","tags","columns","values":[[...]]}]}]}), one series
 * possibly spread over several of them; only the current row is held. InfluxDB (Go) writes a series'
 * name, tags and columns before its values, which this reader relies on. An "error" anywhere in the
 * answer ends the read with a {@link RecoveryException} carrying InfluxDB's text.
 */
final class QueryRows implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();

    private enum Level { ROOT, ANSWER, RESULTS, RESULT, SERIES_LIST, SERIES, VALUES }

    private final JsonParser parser;
    private final String source;
    private Level level = Level.ROOT;
    private boolean ended;
    private String measurement;
    private Map<String, String> tags = Map.of();
    private List<String> columns;
    private Object[] row;
    private int seriesObjects;

    /** @param source names the server in errors (never its URL or credentials) */
    QueryRows(InputStream in, String source) throws IOException {
        this.parser = JSON.createParser(in);
        this.source = source;
    }

    /** Moves to the next row; false once the answer has ended. */
    boolean next() throws IOException {
        while (true) {
            switch (level) {
                case ROOT -> {
                    JsonToken t = parser.nextToken();
                    if (t == null) {
                        ended = true;
                        return false;
                    }
                    expect(t, JsonToken.START_OBJECT);
                    level = Level.ANSWER;
                }
                case ANSWER -> {
                    if (parser.nextToken() == JsonToken.END_OBJECT) {
                        level = Level.ROOT;
                    } else if (field("results") == JsonToken.START_ARRAY) {
                        level = Level.RESULTS;
                    }
                }
                case RESULTS -> level = parser.nextToken() == JsonToken.START_OBJECT ? Level.RESULT : Level.ANSWER;
                case RESULT -> {
                    if (parser.nextToken() == JsonToken.END_OBJECT) {
                        level = Level.RESULTS;
                    } else if (field("series") == JsonToken.START_ARRAY) {
                        level = Level.SERIES_LIST;
                    }
                }
                case SERIES_LIST -> {
                    if (parser.nextToken() == JsonToken.START_OBJECT) {
                        measurement = null;
                        tags = Map.of();
                        columns = null;
                        seriesObjects++;
                        level = Level.SERIES;
                    } else {
                        level = Level.RESULT;
                    }
                }
                case SERIES -> {
                    if (parser.nextToken() == JsonToken.END_OBJECT) {
                        level = Level.SERIES_LIST;
                    } else {
                        seriesField();
                    }
                }
                case VALUES -> {
                    if (parser.nextToken() == JsonToken.START_ARRAY) {
                        readRow();
                        return true;
                    }
                    level = Level.SERIES;
                }
            }
        }
    }

    /** True once the whole answer was read (a connection can be reused). */
    boolean ended() {
        return ended;
    }

    String measurement() {
        return measurement;
    }

    Map<String, String> tags() {
        return tags;
    }

    List<String> columns() {
        return columns;
    }

    /** Counts series objects: changes when the current row starts a new one (new tags, new columns). */
    int seriesObjects() {
        return seriesObjects;
    }

    /** The current row's value in a column: null, a String, a Boolean or a {@link NumberText}. */
    Object value(int column) {
        return row[column];
    }

    long time() {
        return ((NumberText) row[0]).asLong();
    }

    /** Reads a field name and moves to its value; an error field throws, fields of no interest are skipped. */
    private JsonToken field(String wanted) throws IOException {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("error".equals(name)) {
            throw new RecoveryException(source + " answered: " + parser.getText());
        }
        if (wanted.equals(name)) {
            return value;
        }
        parser.skipChildren();
        return null;
    }

    private void seriesField() throws IOException {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
            case "name" -> measurement = parser.getText();
            case "tags" -> tags = readTags(value);
            case "columns" -> columns = readColumns(value);
            case "values" -> {
                if (value == JsonToken.START_ARRAY) {
                    if (columns == null || columns.isEmpty() || !"time".equals(columns.get(0))) {
                        throw new RecoveryException(source + " answered rows without a time column first");
                    }
                    level = Level.VALUES;
                }
            }
            default -> parser.skipChildren();
        }
    }

    private Map<String, String> readTags(JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return Map.of();
        }
        Map<String, String> read = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            read.put(key, parser.getText());
        }
        return read;
    }

    private List<String> readColumns(JsonToken value) throws IOException {
        expect(value, JsonToken.START_ARRAY);
        List<String> read = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            read.add(parser.getText());
        }
        return read;
    }

    private void readRow() throws IOException {
        Object[] values = new Object[columns.size()];
        int i = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), i++) {
            if (i >= values.length) {
                throw new RecoveryException(source + " answered a row longer than its columns");
            }
            values[i] = switch (t) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> parser.getText();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                // the number's own text, not Jackson's reading of it
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new NumberText(parser.getText());
                default -> throw new RecoveryException(source + " answered an unexpected value: " + t);
            };
        }
        row = values;
    }

    private void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new RecoveryException(source + " answered unexpected JSON: " + actual + " where " + expected + " was due");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
