package io.influxrelay.sharding;

import io.influxrelay.sharding.AnswerJson.Raw;
import io.influxrelay.sharding.AnswerJson.Series;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the series several shards gave for one statement become the series one InfluxDB would give, told from the
 * shape of the series (their name and columns), so that the statement need not be parsed again.
 */
enum SeriesMerge {
    /** SELECT rows: every shard's series, columns and tag keys made alike, ordered by name then tags. */
    ROWS,
    /**
     * SHOW MEASUREMENTS / SERIES / TAG KEYS / FIELD KEYS / TAG VALUES and the per-measurement CARDINALITY forms:
     * series by name (and tags), their rows unioned, de-duplicated and sorted; the series sorted by name.
     */
    SETS,
    /** SHOW SERIES / MEASUREMENT CARDINALITY, one nameless number: the shards' numbers added up. */
    SUM,
    /** Anything else (SHOW DATABASES, RETENTION POLICIES, USERS...): the same on every shard, the first shard's. */
    FIRST;

    /** InfluxDB's order of a statement's series. */
    private static final Comparator<Series> BY_NAME_AND_TAGS = Comparator.<Series, String>comparing(SeriesMerge::name, Bytewise.ORDER)
            .thenComparing(SeriesMerge::tagsId, Bytewise.ORDER);

    static SeriesMerge of(Series series) {
        List<String> columns = series.columns().stream().map(Raw::text).toList();
        String name = series.name() == null ? "" : series.name().text();
        if (!columns.isEmpty() && columns.get(0).equals("time")) {
            return ROWS;
        }
        if (name.isEmpty() && (columns.equals(List.of("count")) || columns.equals(List.of("cardinality estimation")))) {
            return SUM;
        }
        if (name.equals("measurements") && columns.equals(List.of("name"))
                || name.isEmpty() && columns.equals(List.of("key"))
                || columns.equals(List.of("tagKey")) || columns.equals(List.of("fieldKey", "fieldType"))
                || columns.equals(List.of("key", "value")) || columns.equals(List.of("count"))) {
            return SETS;
        }
        return FIRST;
    }

    /** The merged series, from each shard's series for the statement (shards in order; a list may be empty). */
    List<Series> merge(List<List<Series>> shards, boolean descending) {
        List<Series> all = shards.stream().flatMap(List::stream).toList();
        return switch (this) {
            case ROWS -> rows(all, descending);
            case SETS -> sets(shards);
            case SUM -> sum(all);
            case FIRST -> shards.stream().filter(s -> !s.isEmpty()).findFirst().orElse(List.of());
        };
    }

    /** Every shard's series in the statement's one shape ({@link SeriesShape}), in InfluxDB's order. */
    private static List<Series> rows(List<Series> all, boolean descending) {
        SeriesShape shape = SeriesShape.of(all);
        List<Series> merged = new ArrayList<>(all.stream().map(shape::align).toList());
        merged.sort(order(descending));
        return merged;
    }

    /** InfluxDB's order of a statement's series: by name, then tag set; reversed under ORDER BY time DESC. */
    static Comparator<Series> order(boolean descending) {
        return descending ? BY_NAME_AND_TAGS.reversed() : BY_NAME_AND_TAGS;
    }

    private static List<Series> sets(List<List<Series>> shards) {
        Map<String, List<Series>> byIdentity = new LinkedHashMap<>();
        for (List<Series> shard : shards) {
            for (Series s : shard) {
                byIdentity.computeIfAbsent(name(s) + '\0' + tagsId(s), k -> new ArrayList<>()).add(s);
            }
        }
        List<Series> merged = new ArrayList<>();
        for (List<Series> same : byIdentity.values()) {
            Series first = same.get(0);
            if (same.size() == 1) {
                merged.add(first);
                continue;
            }
            Map<List<String>, List<Raw>> rows = new TreeMap<>(SeriesMerge::compareRows);
            for (Series s : same) {
                s.values().forEach(row -> rows.putIfAbsent(row.stream().map(Raw::text).toList(), row));
            }
            merged.add(new Series(first.name(), first.tags(), first.columns(), new ArrayList<>(rows.values()),
                    same.stream().anyMatch(Series::partial)));
        }
        merged.sort(BY_NAME_AND_TAGS);
        return merged;
    }

    private static List<Series> sum(List<Series> all) {
        BigInteger total = BigInteger.ZERO;
        for (Series s : all) {
            for (List<Raw> row : s.values()) {
                try {
                    total = total.add(new BigInteger(row.get(0).json()));
                } catch (NumberFormatException e) {
                    return List.of(all.get(0)); // not a count after all
                }
            }
        }
        Series first = all.isEmpty() ? null : all.get(0);
        return first == null ? List.of() : List.of(new Series(first.name(), first.tags(), first.columns(),
                List.of(List.of(new Raw(total.toString(), total.toString()))), false));
    }

    private static int compareRows(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Bytewise.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static String name(Series s) {
        return s.name() == null ? "" : s.name().text();
    }

    /** InfluxDB's id of a tag set: the sorted keys, then their values, all joined by NUL; it orders series by it. */
    static String tagsId(Series s) {
        if (s.tags() == null || s.tags().isEmpty()) {
            return "";
        }
        return String.join("\0", s.tags().keySet()) + '\0'
                + String.join("\0", s.tags().values().stream().map(tag -> tag[1].text()).toList());
    }

    /** Whether an answer lists a statement's series, or a series' rows, newest first: ORDER BY time DESC. */
    static boolean looksDescending(List<Series> series) {
        for (int i = 0; i + 1 < series.size(); i++) {
            int byName = Bytewise.compare(name(series.get(i)), name(series.get(i + 1)));
            int c = byName != 0 ? byName : Bytewise.compare(tagsId(series.get(i)), tagsId(series.get(i + 1)));
            if (c != 0) {
                return c > 0;
            }
        }
        for (Series s : series) {
            for (int i = 0; i + 1 < s.values().size(); i++) {
                int c = compareTimes(s.values().get(i).get(0), s.values().get(i + 1).get(0));
                if (c != 0) {
                    return c > 0;
                }
            }
        }
        return false;
    }

    private static int compareTimes(Raw a, Raw b) {
        try {
            return new BigInteger(a.json()).compareTo(new BigInteger(b.json()));
        } catch (NumberFormatException e) {
            return Bytewise.compare(a.text(), b.text()); // RFC 3339 times, without epoch=
        }
    }
}
