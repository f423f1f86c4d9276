package io.influxrelay.query;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StatementReplyTest {
    private static StatementReply reply(int status, String body) {
        return new StatementReply("a", status, null, body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void anErrorInTheResultsIsTheStatementsFaultLikeA4xx() {
        StatementReply ok = reply(200, "{\"results\":[{\"statement_id\":0}]}");
        StatementReply refused = reply(200, "{\"results\":[{\"statement_id\":0,\"error\":\"user not found\"}]}");
        StatementReply syntax = reply(400, "{\"error\":\"error parsing query: found DATABSE\"}");
        assertThat(ok.success()).isTrue();
        assertThat(refused.success()).isFalse();
        assertThat(refused.statementError()).isTrue();
        assertThat(syntax.statementError()).isTrue();
        assertThat(ok.missed() || refused.missed() || syntax.missed()).isFalse();
    }

    @Test
    void a5xxOrNoAnswerIsMissedAndCanBeQueued() {
        assertThat(reply(500, "{\"error\":\"engine broke\"}").missed()).isTrue();
        assertThat(StatementReply.failed("a", "ConnectException").missed()).isTrue();
        assertThat(StatementReply.deferred("a").missed()).isTrue();
    }
}
