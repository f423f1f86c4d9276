package io.influxrelay.sharding;

import io.influxrelay.fanout.Answer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardedAnswerTest {
    @Test
    void successOnlyWhenEveryShardSucceeded() {
        assertThat(ShardedAnswer.combine(List.of(Answer.ACCEPTED, Answer.ACCEPTED))).isEqualTo(Answer.ACCEPTED);
        Answer down = Answer.error(503, "unable to write points");
        assertThat(ShardedAnswer.combine(List.of(Answer.ACCEPTED, down))).isEqualTo(down);
    }

    @Test
    void aClientErrorIsMoreTellingThanAServerError() {
        Answer missing = Answer.error(404, "database not found: \"x\"");
        assertThat(ShardedAnswer.combine(List.of(Answer.error(503, "unable to write points"), missing))).isEqualTo(missing);
    }

    @Test
    void partialWritesOfSeveralShardsAreMergedIntoOne() {
        Answer merged = ShardedAnswer.combine(List.of(
                Answer.error(400, "partial write: field type conflict: input field \"v\" on measurement \"a\" is type integer, already exists as type float dropped=2"),
                Answer.ACCEPTED,
                Answer.error(400, "partial write: field type conflict: input field \"w\" on measurement \"b\" is type string, already exists as type float dropped=1")));
        assertThat(merged.status()).isEqualTo(400);
        assertThat(merged.influxError()).startsWith("partial write: field type conflict: input field \"v\"")
                .contains("; field type conflict: input field \"w\"").endsWith(" dropped=3");
    }
}
