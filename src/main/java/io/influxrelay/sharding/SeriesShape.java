package io.influxrelay.sharding;

import io.influxrelay.sharding.AnswerJson.Raw;
import io.influxrelay.sharding.AnswerJson.Series;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The columns and tag keys one InfluxDB gives every series of a SELECT: those of all its sources ({@code SELECT *},
 * {@code GROUP BY *}), chunked or not. Each shard gives those of its own sources; merged, the union: the columns
 * alike when every series has the same, else time first then the rest sorted as a wildcard's expansion; the tag
 * keys sorted, a missing tag empty, a missing column null.
 */
final class SeriesShape {
    private static final Raw NULL = new Raw("null", "null");

    private final List<Raw> columns;
    /** Key text to the key as written; null when no series has tags. */
    private final TreeMap<String, Raw> tagKeys;

    private SeriesShape(List<Raw> columns, TreeMap<String, Raw> tagKeys) {
        this.columns = columns;
        this.tagKeys = tagKeys;
    }

    /** The shape of series, given some of them (a shard's give the shard's shape: they all have it). */
    static SeriesShape of(List<Series> series) {
        TreeMap<String, Raw> tagKeys = null;
        for (Series s : series) {
            if (s.tags() != null) {
                tagKeys = tagKeys == null ? new TreeMap<>(Bytewise.ORDER) : tagKeys;
                for (Map.Entry<String, Raw[]> tag : s.tags().entrySet()) {
                    tagKeys.putIfAbsent(tag.getKey(), tag.getValue()[0]);
                }
            }
        }
        return new SeriesShape(columns(series), tagKeys);
    }

    private static List<Raw> columns(List<Series> series) {
        if (series.stream().map(s -> texts(s.columns())).distinct().count() <= 1) {
            return series.isEmpty() ? List.of() : series.get(0).columns();
        }
        Map<String, Raw> rest = new TreeMap<>(Bytewise.ORDER);
        for (Series s : series) {
            s.columns().stream().skip(1).forEach(c -> rest.putIfAbsent(c.text(), c));
        }
        List<Raw> columns = new ArrayList<>();
        columns.add(series.get(0).columns().get(0));
        columns.addAll(rest.values());
        return columns;
    }

    /**
     * This shape, or a wider one when s brings a column or tag key it lacks (a shard whose series differ in shape,
     * which influxd does not give: the series sent before keep the narrower shape).
     */
    SeriesShape including(Series s) {
        boolean tagsIn = s.tags() == null || tagKeys != null && tagKeys.keySet().containsAll(s.tags().keySet());
        if (tagsIn && texts(columns).containsAll(texts(s.columns()))) {
            return this;
        }
        TreeMap<String, Raw[]> tags = null;
        if (tagKeys != null) {
            tags = new TreeMap<>(Bytewise.ORDER);
            for (Map.Entry<String, Raw> key : tagKeys.entrySet()) {
                tags.put(key.getKey(), new Raw[] {key.getValue(), Raw.EMPTY_STRING});
            }
        }
        return of(List.of(new Series(null, tags, columns, List.of(), false), s));
    }

    /** s in this shape: its tags completed, its rows' cells in this shape's columns. */
    Series align(Series s) {
        return new Series(s.name(), tags(s), columns, values(s), s.partial());
    }

    /** s's tags completed to this shape's keys (missing values empty); null when untagged. */
    TreeMap<String, Raw[]> tags(Series s) {
        if (tagKeys == null) {
            return null;
        }
        TreeMap<String, Raw[]> tags = new TreeMap<>(Bytewise.ORDER);
        for (Map.Entry<String, Raw> key : tagKeys.entrySet()) {
            Raw[] tag = s.tags() == null ? null : s.tags().get(key.getKey());
            tags.put(key.getKey(), tag != null ? tag : new Raw[] {key.getValue(), Raw.EMPTY_STRING});
        }
        return tags;
    }

    private List<List<Raw>> values(Series s) {
        if (s.columns().equals(columns)) {
            return s.values();
        }
        List<String> own = texts(s.columns());
        int[] at = texts(columns).stream().mapToInt(own::indexOf).toArray();
        List<List<Raw>> values = new ArrayList<>(s.values().size());
        for (List<Raw> row : s.values()) {
            List<Raw> aligned = new ArrayList<>(at.length);
            for (int i : at) {
                aligned.add(i < 0 ? NULL : row.get(i));
            }
            values.add(aligned);
        }
        return values;
    }

    private static List<String> texts(List<Raw> raws) {
        return raws.stream().map(Raw::text).toList();
    }
}
