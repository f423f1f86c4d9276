package io.influxrelay.sharding;

import io.influxrelay.query.StatementClassifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The streamed merge of chunked answers, for tests outside this package (ShardAnswersIT). */
public final class ChunkedMerges {
    private ChunkedMerges() {
    }

    /** The chunked answers of the shards to {@code q} (whole, as text) merged, as the client reads them. */
    public static String merge(List<String> chunkedAnswers, String q) {
        List<ShardChunks> shards = chunkedAnswers.stream()
                .map(a -> new ShardChunks(new ByteArrayInputStream(a.getBytes(StandardCharsets.UTF_8)))).toList();
        try (MergedChunks body = new MergedChunks(new ChunkedMerge(shards, StatementClassifier.classify(q).statements()))) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
