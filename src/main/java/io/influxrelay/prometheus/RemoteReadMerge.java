package io.influxrelay.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The remote-read answers of several shards as the one answer a single InfluxDB would give: a
 * {@code ReadResponse} whose i-th {@code QueryResult} (field 1) holds the series (its field 1) every shard
 * found for the i-th query, their bytes as the shards sent them. A series lives on one shard, so none repeats.
 */
final class RemoteReadMerge {
    private static final int RESULTS = 1;
    private static final int LENGTH_DELIMITED = 2;

    private RemoteReadMerge() {
    }

    /** Merges the shards' answers (snappy, as InfluxDB sends them); the merged answer is snappy too. */
    static byte[] merge(List<byte[]> answers, long maxBytes) throws BadRemoteBody {
        List<ByteArrayOutputStream> results = new ArrayList<>();
        for (byte[] answer : answers) {
            byte[] raw = SnappyBlock.uncompress(answer, maxBytes);
            try {
                CodedInputStream in = CodedInputStream.newInstance(raw);
                int index = 0;
                int tag;
                while ((tag = in.readTag()) != 0) {
                    if (tag != RemoteWriteRequest.tag(RESULTS, LENGTH_DELIMITED)) {
                        in.skipField(tag);
                        continue;
                    }
                    int length = in.readRawVarint32();
                    int start = in.getTotalBytesRead();
                    if (results.size() <= index) {
                        results.add(new ByteArrayOutputStream());
                    }
                    // a QueryResult holds only its series: its bytes are the series' fields, appended as they are
                    results.get(index++).write(raw, start, length);
                    in.skipRawBytes(length);
                }
            } catch (IOException | RuntimeException e) {
                throw new BadRemoteBody(502, "a shard's remote-read answer is not a ReadResponse: " + e.getMessage());
            }
        }
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(merged);
            for (ByteArrayOutputStream result : results) {
                out.writeByteArray(RESULTS, result.toByteArray());
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // into memory: does not fail
        }
        return SnappyBlock.compress(merged.toByteArray());
    }
}
