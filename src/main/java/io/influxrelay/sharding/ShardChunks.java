package io.influxrelay.sharding;

import io.influxrelay.sharding.AnswerJson.Answer;
import io.influxrelay.sharding.AnswerJson.Raw;
import io.influxrelay.sharding.AnswerJson.Result;
import io.influxrelay.sharding.AnswerJson.Series;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One shard's chunked answer (InfluxDB's {@code chunked=true}: one JSON object a line), read a chunk at a time as
 * the merge needs it, so that no more than one chunk of it is held. Each chunk is cut into {@link Piece}s: one per
 * series, or the result itself when it has none.
 */
final class ShardChunks implements Closeable {
    /** A chunk longer than this is refused rather than held: a chunk_size of 10,000 rows stays far below. */
    static final int MAX_CHUNK_BYTES = 64 << 20;

    private final InputStream body;
    private final byte[] buffer = new byte[64 << 10];
    private int at;
    private int end;
    private boolean ended;
    private final Deque<Piece> pieces = new ArrayDeque<>();
    private long bytesRead;

    /**
     * A part of a chunk: one series (a part of it when {@code series.partial()}) of a statement's result, or a
     * result without series (empty, or an error), or a request-level error (statement id {@link #REQUEST}).
     * {@code more}: this shard sends more of the same statement after it.
     */
    record Piece(int statementId, Series series, String messages, Raw error, boolean more) {
        /** Not -1: influxd 1.6 answers a statement that panicked with statement_id -1. */
        static final int REQUEST = Integer.MIN_VALUE;

        boolean requestError() {
            return statementId == REQUEST;
        }
    }

    /** More of a shard's answer than the relay holds at once: a chunk over {@link #MAX_CHUNK_BYTES}, or more. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message, null);
        }
    }

    ShardChunks(InputStream body) {
        this.body = body;
    }

    /** The next piece, read from the shard when none is left of its last chunk; null once the answer has ended. */
    Piece head() throws IOException {
        while (pieces.isEmpty() && !ended) {
            byte[] line = nextLine();
            if (line == null) {
                ended = true;
            } else if (line.length > 0) {
                cut(line);
            }
        }
        return pieces.peekFirst();
    }

    /** Drops the head. */
    void next() {
        pieces.pollFirst();
    }

    /** Bytes of chunks read so far. */
    long bytesRead() {
        return bytesRead;
    }

    private void cut(byte[] line) throws IOException {
        Answer chunk;
        try {
            chunk = AnswerJson.parse(line);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new IOException("a shard's chunk is not an InfluxDB answer", e);
        }
        if (chunk.error() != null) {
            pieces.add(new Piece(Piece.REQUEST, null, null, chunk.error(), false));
            return;
        }
        for (Result r : chunk.results()) {
            if (r.error() != null || r.series().isEmpty()) {
                pieces.add(new Piece(r.statementId(), null, r.messages(), r.error(), r.partial()));
                continue;
            }
            for (int i = 0; i < r.series().size(); i++) {
                boolean last = i == r.series().size() - 1;
                pieces.add(new Piece(r.statementId(), r.series().get(i), i == 0 ? r.messages() : null, null,
                        !last || r.partial()));
            }
        }
    }

    /** The next line without its newline, null at the end of the answer. */
    private byte[] nextLine() throws IOException {
        byte[] line = null;
        int length = 0;
        while (true) {
            if (at == end) {
                end = body.read(buffer);
                at = 0;
                if (end <= 0) {
                    end = 0;
                    return line == null ? null : Arrays.copyOf(line, length); // the last line, unterminated
                }
            }
            int newline = at;
            while (newline < end && buffer[newline] != '\n') {
                newline++;
            }
            int n = newline - at;
            if (length + n > MAX_CHUNK_BYTES) {
                throw new TooLarge("a chunk of one shard's answer exceeds " + (MAX_CHUNK_BYTES >> 20)
                        + " MB: ask for a smaller chunk_size");
            }
            if (line == null || line.length < length + n) {
                line = Arrays.copyOf(line == null ? new byte[0] : line, Math.max(length + n, Math.min(2 * length, MAX_CHUNK_BYTES)));
            }
            System.arraycopy(buffer, at, line, length, n);
            length += n;
            bytesRead += n;
            at = newline;
            if (newline < end) {
                at++;
                bytesRead++;
                return Arrays.copyOf(line, length);
            }
        }
    }

    @Override
    public void close() throws IOException {
        pieces.clear();
        body.close();
    }
}
