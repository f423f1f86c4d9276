package io.influxrelay.sharding;

import io.influxrelay.http.Json;
import io.influxrelay.query.Statement;
import io.influxrelay.sharding.AnswerJson.Answer;
import io.influxrelay.sharding.AnswerJson.Raw;
import io.influxrelay.sharding.AnswerJson.Result;
import io.influxrelay.sharding.AnswerJson.Series;
import io.influxrelay.sharding.ShardChunks.Piece;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The chunked answers several shards give to the same {@code q}, merged into the chunked answer one InfluxDB would
 * give, a chunk at a time as the client takes them: about one chunk per shard is held. Statement by statement:
 * <ul>
 *   <li>a SELECT: each series lives whole in one shard, and each shard sends its series in InfluxDB's order
 *       ({@link SeriesMerge#order}), so the shards' series merge as they come: the chunks of the shard whose next
 *       series sorts first go out until that series ends. Each in the statement's one shape ({@link SeriesShape},
 *       from each shard's first series), as influxd gives it chunked too;</li>
 *   <li>SHOW and the rest (small answers): every shard's chunks of the statement read (bounded), merged whole
 *       ({@link ShardAnswers}) and sent as one chunk;</li>
 *   <li>an error, request-level or a statement's (the first shard's to show one): sent, then what that shard still
 *       sends (influxd follows with "not executed"), and nothing more of the others: InfluxDB runs nothing after
 *       an error.</li>
 * </ul>
 * Chunk boundaries are the shards' own (each applies chunk_size to its part), so they may differ from one InfluxDB's;
 * the series, their order and their rows do not. A shard that breaks off mid-answer fails {@link #next()}.
 */
final class ChunkedMerge implements Closeable {
    private final List<ShardChunks> shards;
    private final List<Statement> statements;
    /** The statement begun last. */
    private int statement;
    /** Its messages, until its first chunk carries them. */
    private String messages;
    /** The statement begun last is a SELECT whose series are being merged. */
    private boolean selecting;
    private SeriesShape shape;
    private Comparator<Series> order;
    /** The shard whose series is being sent, or null between series. */
    private ShardChunks sending;
    /** After an error: the shard whose rest is relayed. */
    private ShardChunks relaying;
    private boolean ended;

    /** @param statements the statements of {@code q}, in order (their ORDER BY orders the series) */
    ChunkedMerge(List<ShardChunks> shards, List<Statement> statements) {
        this.shards = List.copyOf(shards);
        this.statements = statements;
    }

    /** The client's next chunk (one JSON line and its newline), or null at the end of the answer. */
    byte[] next() throws IOException {
        try {
            while (!ended) {
                byte[] chunk = relaying != null ? relay() : selecting ? nextOfSelect() : nextStatement();
                if (chunk != null) {
                    return chunk;
                }
            }
            return null;
        } catch (ShardChunks.TooLarge e) {
            ended = true;
            close();
            return chunk(new Result(statement, List.of(), null, false, new Raw(Json.quote(e.getMessage()), e.getMessage())));
        }
    }

    /** Begins the next statement: its first chunk, or null when it is a SELECT (now being merged) or none is left. */
    private byte[] nextStatement() throws IOException {
        int n = Integer.MAX_VALUE;
        for (ShardChunks s : shards) {
            Piece p = s.head();
            n = p == null ? n : Math.min(n, p.statementId());
        }
        if (n == Integer.MAX_VALUE) {
            ended = true;
            return null;
        }
        statement = n;
        messages = null;
        List<Series> firsts = new ArrayList<>();
        for (ShardChunks s : shards) {
            Piece p = headOf(s, n);
            if (p != null && p.error() != null) {
                return relayFrom(s);
            }
            if (p != null) {
                firsts.add(p.series());
                messages = messages != null ? messages : p.messages();
            }
        }
        if (firsts.isEmpty()) {
            return chunk(new Result(n, List.of(), takeMessages(), false, null));
        }
        if (SeriesMerge.of(firsts.get(0)) != SeriesMerge.ROWS) {
            return whole(n);
        }
        selecting = true;
        shape = SeriesShape.of(firsts);
        order = SeriesMerge.order(n < statements.size() && ShardAnswers.descending(statements.get(n)));
        sending = null;
        return null;
    }

    /** The SELECT's next chunk: of the series being sent, else of the shard whose series sorts first; null when done. */
    private byte[] nextOfSelect() throws IOException {
        if (sending != null && headOf(sending, statement) == null) {
            sending = null; // its shard broke the series off (influxd does not): the next series follows
        }
        if (sending == null) {
            sending = first();
            if (sending == null) {
                selecting = false;
                return null;
            }
        }
        Piece p = headOf(sending, statement);
        if (p.error() != null) {
            return relayFrom(sending);
        }
        sending.next();
        shape = shape.including(p.series());
        Series series = shape.align(p.series());
        if (!p.series().partial()) {
            sending = null;
        }
        boolean more = false;
        for (ShardChunks s : shards) {
            more |= headOf(s, statement) != null; // reads the next chunk of the shard just sent from
        }
        return chunk(new Result(statement, List.of(series), takeMessages(), more, null));
    }

    /** The shard whose next series of the SELECT comes first (the lower shard on a tie, as the whole merge sorts). */
    private ShardChunks first() throws IOException {
        ShardChunks first = null;
        Series firstKey = null;
        for (ShardChunks s : shards) {
            Piece p = headOf(s, statement);
            if (p == null) {
                continue;
            }
            if (p.error() != null) {
                return s;
            }
            shape = shape.including(p.series());
            Series key = new Series(p.series().name(), shape.tags(p.series()), List.of(), List.of(), false);
            if (first == null || order.compare(key, firstKey) < 0) {
                first = s;
                firstKey = key;
            }
        }
        return first;
    }

    /** A statement other than a SELECT: every shard's chunks of it, each read whole (bounded), merged into one chunk. */
    private byte[] whole(int n) throws IOException {
        List<Result> results = new ArrayList<>();
        for (ShardChunks s : shards) {
            long start = s.bytesRead();
            List<Series> series = new ArrayList<>();
            for (Piece p = headOf(s, n); p != null; p = headOf(s, n)) {
                if (p.error() != null) {
                    return relayFrom(s);
                }
                if (s.bytesRead() - start > ShardAnswerBytes.MAX) {
                    throw new ShardChunks.TooLarge("the answer of one shard to statement " + n + " exceeds "
                            + (ShardAnswerBytes.MAX >> 20) + " MB: it is merged in memory; narrow it (LIMIT, WHERE)");
                }
                join(series, p.series());
                s.next();
            }
            results.add(new Result(n, series, messages, false, null));
        }
        messages = null;
        return chunk(ShardAnswers.merge(n, results, null));
    }

    /** Adds a piece of a series to the series read so far: to the last one when it continues it. */
    private static void join(List<Series> series, Series piece) {
        Series last = series.isEmpty() ? null : series.get(series.size() - 1);
        if (last != null && last.partial()) {
            last.values().addAll(piece.values());
            series.set(series.size() - 1, new Series(last.name(), last.tags(), last.columns(), last.values(), piece.partial()));
        } else {
            series.add(new Series(piece.name(), piece.tags(), piece.columns(), new ArrayList<>(piece.values()), piece.partial()));
        }
    }

    /**
     * s's next piece of statement n (its series or its error), past its results without series (their messages kept
     * for the statement's first chunk); null when s has no more of n.
     */
    private Piece headOf(ShardChunks s, int n) throws IOException {
        Piece p = s.head();
        while (p != null && p.statementId() == n && p.series() == null && p.error() == null) {
            messages = messages != null ? messages : p.messages();
            s.next();
            p = s.head();
        }
        return p != null && p.statementId() == n ? p : null;
    }

    /** An error: to the client, then what its shard still sends; the other shards are closed. */
    private byte[] relayFrom(ShardChunks erring) throws IOException {
        relaying = erring;
        for (ShardChunks s : shards) {
            if (s != erring) {
                closeQuietly(s);
            }
        }
        return relay();
    }

    private byte[] relay() throws IOException {
        Piece p = relaying.head();
        if (p == null) {
            ended = true;
            return null;
        }
        relaying.next();
        if (p.requestError()) {
            return AnswerJson.print(new Answer(p.error(), List.of()));
        }
        return chunk(new Result(p.statementId(), p.series() == null ? List.of() : List.of(p.series()), p.messages(),
                p.more(), p.error()));
    }

    private String takeMessages() {
        String m = messages;
        messages = null;
        return m;
    }

    private static byte[] chunk(Result result) {
        return AnswerJson.print(new Answer(null, List.of(result)));
    }

    @Override
    public void close() {
        shards.forEach(ChunkedMerge::closeQuietly);
    }

    private static void closeQuietly(ShardChunks s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing drops the shard's connection either way
        }
    }
}
