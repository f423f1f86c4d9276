package io.influxrelay.query;

import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.metrics.ThrottledLog;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The schema fan-out's aggregation: every backend's answer to the statements is gathered, then the
 * client gets, as for writes, the first success; else the first statement error (InfluxDB's own
 * answer, the same on every backend); else the last 5xx, or 503 when no backend answered. A backend
 * that missed statements others ran (down, failing, or still owed older writes) gets them in its
 * retry buffer, in order with the writes; when it has none, or it is full, that is logged and counted:
 * its schema now differs. Statements no backend ran are kept nowhere, as writes.
 */
public final class StatementRules implements AggregationStrategy {
    private static final String REPLIES = "relay.statement.replies";
    private static final ThrottledLog MISSED = new ThrottledLog(LoggerFactory.getLogger(StatementRules.class), 10, TimeUnit.SECONDS);

    private final RetryBuffers buffers;
    private final QueryMetrics metrics;

    public StatementRules(RetryBuffers buffers, QueryMetrics metrics) {
        this.buffers = buffers;
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange into = oldExchange != null ? oldExchange : newExchange;
        List<StatementReply> replies = into.getProperty(REPLIES, List.class);
        if (replies == null) {
            replies = new ArrayList<>();
            into.setProperty(REPLIES, replies);
        }
        StatementReply reply = newExchange.getProperty(StatementOnBackend.REPLY, StatementReply.class);
        if (reply != null) {
            replies.add(reply);
        }
        newExchange.setException(null);
        return into;
    }

    /** The step after the fan-out: the client's answer from every backend's reply. */
    public Processor answer() {
        return exchange -> {
            @SuppressWarnings("unchecked")
            List<StatementReply> replies = exchange.getProperty(REPLIES, List.class);
            answer(exchange, replies == null ? List.of() : replies);
        };
    }

    private void answer(Exchange exchange, List<StatementReply> replies) {
        StatementReply chosen = replies.stream().filter(StatementReply::success).findFirst()
                .or(() -> replies.stream().filter(StatementReply::statementError).findFirst())
                .or(() -> replies.stream().filter(r -> r.status() != 0).reduce((first, last) -> last))
                .orElse(null);
        if (chosen == null) {
            QueryAnswer.unavailable(exchange, "unable to reach any backend");
        } else {
            QueryAnswer.pass(exchange, chosen.status(), chosen.headers(), chosen.body());
        }
        if (chosen != null && chosen.success()) {
            QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
            for (StatementReply r : replies) {
                if (r.missed() && !buffers.offer(r.backend(), request.asBuffered())) {
                    metrics.statementsMissed(r.backend());
                    MISSED.warn("backend {} missed statements the others ran ({}) and has no room to keep them: "
                            + "its schema now differs", r.backend(),
                            r.failure() != null ? io.influxrelay.log.LogText.escape(r.failure()) : r.status());
                }
            }
        }
    }
}
