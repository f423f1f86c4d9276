package io.influxrelay.fanout;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseRulesTest {
    private static final BackendReply OK_A = BackendReply.http("a", 204, null, null);
    private static final BackendReply OK_B = BackendReply.http("b", 204, null, null);
    private static final BackendReply NOT_FOUND_A =
            BackendReply.http("a", 404, "{\"error\":\"database not found: \\\"x\\\"\"}", "database not found: \"x\"");
    private static final BackendReply ERR_A = BackendReply.http("a", 500, "{\"error\":\"a broke\"}", "a broke");
    private static final BackendReply ERR_B = BackendReply.http("b", 503, "{\"error\":\"b busy\"}", "b busy");
    private static final BackendReply DOWN_A = BackendReply.transportFailure("a", "ConnectException");
    private static final BackendReply DOWN_B = BackendReply.transportFailure("b", "ConnectException");
    private static final BackendReply DOWN_C = BackendReply.transportFailure("c", "ConnectException");

    private static Optional<Answer> decide(Consistency c, int backends, BackendReply... replies) {
        return ResponseRules.decide(c, backends, List.of(replies));
    }

    @Test
    void oneAnswersTheFirstSuccessAtOnce() {
        assertThat(decide(Consistency.ONE, 2, OK_A)).contains(Answer.ACCEPTED);
        assertThat(decide(Consistency.ONE, 3, DOWN_A, OK_B)).contains(Answer.ACCEPTED);
    }

    @Test
    void oneAnswersTheFirstClientErrorAtOnceWithTheBackendsBody() {
        Answer a = decide(Consistency.ONE, 2, NOT_FOUND_A).orElseThrow();
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.body()).isEqualTo(NOT_FOUND_A.body());
        assertThat(a.influxError()).isEqualTo("database not found: \"x\"");
    }

    @Test
    void oneIgnoresServerErrorsWhileAnotherBackendMaySucceed() {
        assertThat(decide(Consistency.ONE, 2, ERR_A)).isEmpty();
        assertThat(decide(Consistency.ONE, 2, DOWN_A)).isEmpty();
        assertThat(decide(Consistency.ONE, 3, DOWN_A, ERR_B)).isEmpty();
    }

    @Test
    void oneAnswersTheLastServerErrorWhenEveryBackendFailed() {
        Answer a = decide(Consistency.ONE, 2, ERR_A, ERR_B).orElseThrow();
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body()).contains("b busy");
        // a transport failure has no status to pass on: the one that answered wins
        assertThat(decide(Consistency.ONE, 2, ERR_A, DOWN_B).orElseThrow().status()).isEqualTo(500);
    }

    @Test
    void noBackendAnsweredMeans503UnableToWritePoints() {
        Answer a = decide(Consistency.ONE, 2, DOWN_A, DOWN_B).orElseThrow();
        assertThat(a).isEqualTo(Answer.UNAVAILABLE);
        assertThat(a.influxError()).isEqualTo("unable to write points");
    }

    @Test
    void quorumNeedsAMajority() {
        assertThat(decide(Consistency.QUORUM, 3, OK_A)).isEmpty();
        assertThat(decide(Consistency.QUORUM, 3, OK_A, OK_B)).contains(Answer.ACCEPTED);
        assertThat(decide(Consistency.QUORUM, 3, DOWN_A)).isEmpty();
        assertThat(decide(Consistency.QUORUM, 3, DOWN_A, DOWN_B)).contains(Answer.UNAVAILABLE);
        assertThat(decide(Consistency.QUORUM, 2, OK_A)).isEmpty();
    }

    @Test
    void quorumDoesNotGiveUpOnOneClientErrorWhileAMajorityIsStillPossible() {
        assertThat(decide(Consistency.QUORUM, 3, NOT_FOUND_A)).isEmpty();
        assertThat(decide(Consistency.QUORUM, 3, NOT_FOUND_A, OK_B)).isEmpty();
        Answer a = decide(Consistency.QUORUM, 3, NOT_FOUND_A, DOWN_B).orElseThrow();
        assertThat(a.status()).isEqualTo(404);
    }

    @Test
    void allNeedsEveryBackendAndFailsOnTheFirstFailure() {
        assertThat(decide(Consistency.ALL, 2, OK_A)).isEmpty();
        assertThat(decide(Consistency.ALL, 2, OK_A, OK_B)).contains(Answer.ACCEPTED);
        assertThat(decide(Consistency.ALL, 3, DOWN_C).orElseThrow()).isEqualTo(Answer.UNAVAILABLE);
        assertThat(decide(Consistency.ALL, 2, ERR_A).orElseThrow().status()).isEqualTo(500);
    }

    @Test
    void anyActsLikeOneUntilTheBufferExists() {
        assertThat(decide(Consistency.ANY, 2, OK_A)).contains(Answer.ACCEPTED);
        assertThat(decide(Consistency.ANY, 2, DOWN_A)).isEmpty();
    }

    @Test
    void everyCombinationOfRepliesIsDecidedOnceAllAreIn() {
        BackendReply[] kinds = {OK_A, NOT_FOUND_A, ERR_A, DOWN_A};
        for (Consistency c : Consistency.values()) {
            for (BackendReply x : kinds) {
                for (BackendReply y : kinds) {
                    for (BackendReply z : kinds) {
                        assertThat(decide(c, 3, x, y, z)).as("%s %s %s %s", c, x, y, z).isPresent();
                    }
                }
            }
        }
    }
}
