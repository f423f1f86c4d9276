package io.influxrelay.sharding;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.query.StatementClassifier;
import io.influxrelay.testing.ChunkedAnswer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The streamed merge of the shards' chunked answers: the order and shape of the whole merge (ShardAnswers, checked
 * byte for byte against influxd by ShardAnswersIT), InfluxDB's chunk flags, errors, and that a shard is read no
 * further than the merge needs. ShardingIT checks it against a real unsharded influxd.
 */
class ChunkedMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seriesOfTheShardsInterleaveByNameAndOnlyTheLastChunkOfTheStatementEndsIt() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1],[2,2]]", true), true)
                + chunk(0, series("cpu", null, "[[3,3]]", false), true)
                + chunk(0, series("mem", null, "[[1,1]]", false), false);
        String b = chunk(0, series("disk", null, "[[1,1]]", false), true)
                + chunk(0, series("net", null, "[[1,1]]", false), false);
        String q = "SELECT v FROM /.*/";

        assertThat(merged(q, a, b)).containsExactly(
                chunk(0, series("cpu", null, "[[1,1],[2,2]]", true), true),
                chunk(0, series("cpu", null, "[[3,3]]", false), true),
                chunk(0, series("disk", null, "[[1,1]]", false), true),
                chunk(0, series("mem", null, "[[1,1]]", false), true),
                chunk(0, series("net", null, "[[1,1]]", false), false));
        assertSameAsTheWholeMerge(q, a, b);
    }

    @Test
    void orderByTimeDescReversesTheSeries() throws IOException {
        String a = chunk(0, series("mem", null, "[[2,2],[1,1]]", false), true) + chunk(0, series("cpu", null, "[[2,2]]", false), false);
        String b = chunk(0, series("net", null, "[[2,2]]", false), true) + chunk(0, series("disk", null, "[[2,2]]", false), false);
        String q = "SELECT v FROM /.*/ ORDER BY time DESC";

        assertThat(merged(q, a, b)).extracting(ChunkedMergeTest::name).containsExactly("net", "mem", "disk", "cpu");
        assertSameAsTheWholeMerge(q, a, b);
    }

    @Test
    void everySeriesGetsTheUnionOfTheShardsColumnsAndTagKeys() throws IOException {
        String a = chunk(0, "{\"name\":\"cpu\",\"tags\":{\"host\":\"h1\"},\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}", true)
                + chunk(0, "{\"name\":\"swap\",\"tags\":{\"host\":\"h1\"},\"columns\":[\"time\",\"v\"],\"values\":[[1,2]]}", false);
        String b = chunk(0, "{\"name\":\"mem\",\"tags\":{\"dc\":\"eu\",\"host\":\"h2\"},\"columns\":[\"time\",\"v\",\"x\"],\"values\":[[1,1,7]]}", false);
        String q = "SELECT * FROM cpu, mem, swap GROUP BY *";

        assertThat(merged(q, a, b)).containsExactly(
                chunk(0, "{\"name\":\"cpu\",\"tags\":{\"dc\":\"\",\"host\":\"h1\"},\"columns\":[\"time\",\"v\",\"x\"],\"values\":[[1,1,null]]}", true),
                chunk(0, "{\"name\":\"mem\",\"tags\":{\"dc\":\"eu\",\"host\":\"h2\"},\"columns\":[\"time\",\"v\",\"x\"],\"values\":[[1,1,7]]}", true),
                chunk(0, "{\"name\":\"swap\",\"tags\":{\"dc\":\"\",\"host\":\"h1\"},\"columns\":[\"time\",\"v\",\"x\"],\"values\":[[1,2,null]]}", false));
        assertSameAsTheWholeMerge(q, a, b);
    }

    @Test
    void seriesOfOneNameOrderByTheirTagsAcrossShards() throws IOException {
        String a = chunk(0, "{\"name\":\"m\",\"tags\":{\"host\":\"a\"},\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}", true)
                + chunk(0, "{\"name\":\"m\",\"tags\":{\"host\":\"c\"},\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}", false);
        String b = chunk(0, "{\"name\":\"m\",\"tags\":{\"host\":\"b\"},\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}", false);
        String q = "SELECT v FROM m GROUP BY host";

        assertThat(merged(q, a, b)).extracting(line -> JSON.readTree(line).findPath("host").asText()).containsExactly("a", "b", "c");
        assertSameAsTheWholeMerge(q, a, b);
    }

    @Test
    void statementsFollowInOrderAShowIsMergedWholeIntoOneChunkAndAnEmptyOneKeepsItsShape() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1]]", false), false)
                + chunk(1, "{\"name\":\"measurements\",\"columns\":[\"name\"],\"values\":[[\"cpu\"]],\"partial\":true}", true)
                + chunk(1, "{\"name\":\"measurements\",\"columns\":[\"name\"],\"values\":[[\"zz\"]]}", false)
                + "{\"results\":[{\"statement_id\":2}]}\n";
        String b = chunk(0, series("mem", null, "[[1,1]]", false), false)
                + chunk(1, "{\"name\":\"measurements\",\"columns\":[\"name\"],\"values\":[[\"mem\"]]}", false)
                + "{\"results\":[{\"statement_id\":2}]}\n";
        String q = "SELECT v FROM cpu, mem; SHOW MEASUREMENTS; SELECT v FROM nothing";

        assertThat(merged(q, a, b)).containsExactly(
                chunk(0, series("cpu", null, "[[1,1]]", false), true),
                chunk(0, series("mem", null, "[[1,1]]", false), false),
                chunk(1, "{\"name\":\"measurements\",\"columns\":[\"name\"],\"values\":[[\"cpu\"],[\"mem\"],[\"zz\"]]}", false),
                "{\"results\":[{\"statement_id\":2}]}\n");
        assertSameAsTheWholeMerge(q, a, b);
    }

    @Test
    void aStatementErrorEndsTheAnswerWithWhatItsShardStillSends() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1]]", false), false)
                + chunk(1, series("cpu", null, "[[1,1]]", false), false)
                + chunk(2, series("cpu", null, "[[1,1]]", false), false);
        String b = chunk(0, series("mem", null, "[[1,1]]", false), false)
                + "{\"results\":[{\"statement_id\":1,\"error\":\"boom\"}]}\n"
                + "{\"results\":[{\"statement_id\":1,\"error\":\"not executed\"}]}\n";
        AtomicBoolean aClosed = new AtomicBoolean();
        InputStream aBody = new ByteArrayInputStream(bytes(a)) {
            @Override
            public void close() {
                aClosed.set(true);
            }
        };

        List<String> out = read(new ChunkedMerge(List.of(new ShardChunks(aBody), new ShardChunks(stream(b))),
                statements("SELECT v FROM /.*/; SELECT v FROM /.*/; SELECT v FROM /.*/")));
        assertThat(out).containsExactly(
                chunk(0, series("cpu", null, "[[1,1]]", false), true),
                chunk(0, series("mem", null, "[[1,1]]", false), false),
                "{\"results\":[{\"statement_id\":1,\"error\":\"boom\"}]}\n",
                "{\"results\":[{\"statement_id\":1,\"error\":\"not executed\"}]}\n");
        assertThat(aClosed).as("the other shard's answer is dropped").isTrue();
    }

    @Test
    void anErrorInTheMiddleOfASelectFollowsTheChunksSentBeforeIt() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1]]", true), true) + "{\"results\":[{\"statement_id\":0,\"error\":\"max-select-point limit exceeded\"}]}\n";
        String b = chunk(0, series("mem", null, "[[1,1]]", false), false);

        assertThat(merged("SELECT v FROM cpu, mem", a, b)).containsExactly(
                chunk(0, series("cpu", null, "[[1,1]]", true), true),
                "{\"results\":[{\"statement_id\":0,\"error\":\"max-select-point limit exceeded\"}]}\n");
    }

    @Test
    void aRequestLevelErrorIsTheAnswer() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1]]", false), false);
        String b = "{\"error\":\"error parsing query: bad\"}\n";

        assertThat(merged("SELECT v FROM cpu, mem", a, b)).containsExactly("{\"error\":\"error parsing query: bad\"}\n");
    }

    @Test
    void aPanickedStatementsResultKeepsItsStatementIdMinusOne() throws IOException {
        String a = chunk(0, series("cpu", null, "[[1,1]]", false), false) + "{\"results\":[{\"statement_id\":-1,\"error\":\"panic\"}]}\n";
        String b = chunk(0, series("mem", null, "[[1,1]]", false), false) + chunk(1, series("mem", null, "[[1,1]]", false), false);

        assertThat(merged("SELECT v FROM /.*/; SELECT v FROM /.*/", a, b)).containsExactly(
                chunk(0, series("cpu", null, "[[1,1]]", false), true),
                chunk(0, series("mem", null, "[[1,1]]", false), false),
                "{\"results\":[{\"statement_id\":-1,\"error\":\"panic\"}]}\n");
    }

    @Test
    void aShardIsReadNoFurtherThanTheMergeNeeds() throws IOException {
        // shard a streams series "a" without end; b's one series comes after it: the merge sends a's chunks as they come
        Endless endless = new Endless(bytes(chunk(0, series("a", null, "[" + "[1,1],".repeat(200) + "[1,1]]", true), true)));
        CountingStream b = new CountingStream(bytes(chunk(0, series("b", null, "[[1,1]]", false), false).repeat(1)
                + chunk(0, series("c", null, "[[1,1]]", false), false).repeat(20_000)));
        ChunkedMerge merge = new ChunkedMerge(List.of(new ShardChunks(endless), new ShardChunks(b)), statements("SELECT v FROM /.*/"));

        long sent = 0;
        for (int i = 0; i < 5_000; i++) {
            sent += merge.next().length;
        }
        assertThat(sent).isGreaterThan(4L << 20);
        assertThat(endless.served).as("read of shard a").isLessThan(sent + (256 << 10));
        assertThat(b.served).as("read of shard b, whose series waits").isLessThanOrEqualTo(64 << 10);
        merge.close();
    }

    @Test
    void aChunkTooLargeToHoldEndsTheAnswerWithAStatementError() throws IOException {
        InputStream huge = new Endless(new byte[] {'x'}); // one line that never ends
        List<String> out = read(new ChunkedMerge(List.of(new ShardChunks(stream(chunk(0, series("a", null, "[[1,1]]", false), false))),
                new ShardChunks(huge)), statements("SELECT v FROM /.*/")));
        assertThat(out).singleElement().asString().startsWith("{\"results\":[{\"statement_id\":0,\"error\":\"a chunk of one shard's answer exceeds 64 MB");
    }

    @Test
    void aShardThatBreaksOffMidAnswerFailsTheStream() throws IOException {
        InputStream broken = new java.io.SequenceInputStream(stream(chunk(0, series("a", null, "[[1,1]]", true), true)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        ChunkedMerge merge = new ChunkedMerge(List.of(new ShardChunks(broken), new ShardChunks(stream(chunk(0, series("b", null, "[[1,1]]", false), false)))),
                statements("SELECT v FROM /.*/"));
        assertThatThrownBy(() -> {
            while (merge.next() != null) {
                // the chunks before the break
            }
        }).isInstanceOf(IOException.class).hasMessage("connection reset");
    }

    /** The streamed merge says what the whole merge of the same answers (each shard's chunks joined) says. */
    private static void assertSameAsTheWholeMerge(String q, String... shards) throws IOException {
        List<byte[]> whole = new ArrayList<>();
        for (String shard : shards) {
            whole.add(JSON.writeValueAsBytes(ChunkedAnswer.decode(shard)));
        }
        String expected = new String(ShardAnswers.merge(whole, StatementClassifier.classify(q).statements()), StandardCharsets.UTF_8);
        assertThat(ChunkedAnswer.decode(String.join("", merged(q, shards)))).isEqualTo(JSON.readTree(expected));
    }

    private static List<String> merged(String q, String... shards) throws IOException {
        List<ShardChunks> chunks = Arrays.stream(shards).map(s -> new ShardChunks(stream(s))).toList();
        return read(new ChunkedMerge(chunks, statements(q)));
    }

    /** Read through the body the listener streams, then cut at the newlines. */
    private static List<String> read(ChunkedMerge merge) throws IOException {
        try (InputStream body = new MergedChunks(merge)) {
            String all = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(all.split("(?<=\n)")).filter(s -> !s.isEmpty()).toList();
        }
    }

    private static List<io.influxrelay.query.Statement> statements(String q) {
        return StatementClassifier.classify(q).statements();
    }

    private static String series(String name, String tags, String values, boolean partial) {
        return "{\"name\":\"" + name + "\"" + (tags == null ? "" : ",\"tags\":" + tags) + ",\"columns\":[\"time\",\"v\"],\"values\":"
                + values + (partial ? ",\"partial\":true" : "") + "}";
    }

    /** One chunk as influxd writes it: one series of statement id; more: the statement goes on. */
    private static String chunk(int id, String series, boolean more) {
        return "{\"results\":[{\"statement_id\":" + id + ",\"series\":[" + series + "]" + (more ? ",\"partial\":true" : "") + "}]}\n";
    }

    private static String name(String chunk) throws IOException {
        return JSON.readTree(chunk).findPath("name").asText();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(bytes(s));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The same bytes again and again, counting what was read. */
    private static final class Endless extends InputStream {
        private final byte[] unit;
        private int at;
        long served;

        Endless(byte[] unit) {
            this.unit = unit;
        }

        @Override
        public int read() {
            served++;
            int b = unit[at] & 0xff;
            at = (at + 1) % unit.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = unit[at];
                at = (at + 1) % unit.length;
            }
            served += len;
            return len;
        }
    }

    private static final class CountingStream extends ByteArrayInputStream {
        long served;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            served += Math.max(0, n);
            return n;
        }
    }
}
