package io.influxrelay.sharding;

import io.influxrelay.query.StatementClassifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules ShardAnswersIT cannot make a real influxd show: messages, partial, and what the answers alone cannot tell. */
class ShardAnswersTest {

    private static String merge(String... answers) {
        return new String(ShardAnswers.merge(List.of(answers).stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList()),
                StandardCharsets.UTF_8);
    }

    @Test
    void aRequestLevelErrorIsTheFirstShardsBody() {
        assertThat(merge("{\"results\":[{\"statement_id\":0}]}\n", "{\"error\":\"bad\"}\n")).isEqualTo("{\"error\":\"bad\"}\n");
    }

    @Test
    void messagesAreTheFirstSeenAndPartialAnyShards() {
        String a = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"a\",\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}],\"partial\":true}]}\n";
        String b = "{\"results\":[{\"statement_id\":0,\"messages\":[{\"level\":\"warning\",\"text\":\"x\"}]}]}\n";
        assertThat(merge(a, b)).isEqualTo("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"a\",\"columns\":[\"time\",\"v\"],"
                + "\"values\":[[1,1]]}],\"messages\":[{\"level\":\"warning\",\"text\":\"x\"}],\"partial\":true}]}\n");
    }

    @Test
    void noSeriesAnywhereKeepsTheEmptyShape() {
        assertThat(merge("{\"results\":[{\"statement_id\":0}]}\n", "{\"results\":[{\"statement_id\":0}]}\n"))
                .isEqualTo("{\"results\":[{\"statement_id\":0}]}\n");
    }

    @Test
    void descendingOrderUnseenInTheAnswersNeedsTheStatement() {
        String a = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"a\",\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}]}]}\n";
        String b = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"b\",\"columns\":[\"time\",\"v\"],\"values\":[[2,2]]}]}]}\n";
        String q = "SELECT last(v) FROM a, b ORDER BY time DESC";
        String merged = new String(ShardAnswers.merge(List.of(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)),
                StatementClassifier.classify(q).statements()), StandardCharsets.UTF_8);
        assertThat(merged.indexOf("\"b\"")).isLessThan(merged.indexOf("\"a\""));
        assertThat(merge(a, b).indexOf("\"a\"")).isLessThan(merge(a, b).indexOf("\"b\"")); // ascending, by default
    }

    @Test
    void aSubquerysOrderIsNotTheStatements() {
        String a = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"a\",\"columns\":[\"time\",\"v\"],\"values\":[[1,1]]}]}]}\n";
        String b = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"b\",\"columns\":[\"time\",\"v\"],\"values\":[[2,2]]}]}]}\n";
        String q = "SELECT v FROM (SELECT v FROM a, b ORDER BY time DESC)";
        String merged = new String(ShardAnswers.merge(List.of(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)),
                StatementClassifier.classify(q).statements()), StandardCharsets.UTF_8);
        assertThat(merged.indexOf("\"a\"")).isLessThan(merged.indexOf("\"b\""));
    }

    @Test
    void theSameMeasurementOnTwoShardsIsOneSet() {
        String a = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"tagKey\"],\"values\":[[\"host\"],[\"z\"]]}]}]}\n";
        String b = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"tagKey\"],\"values\":[[\"a\"],[\"host\"]]}]}]}\n";
        assertThat(merge(a, b)).isEqualTo("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"tagKey\"],"
                + "\"values\":[[\"a\"],[\"host\"],[\"z\"]]}]}]}\n");
    }
}
