package io.influxrelay.query;

import java.util.ArrayList;
import java.util.List;

/** Tells what a {@code /query} request's {@code q} does, statement by statement, without running it. */
public final class StatementClassifier {

    private StatementClassifier() {
    }

    /**
     * {@code q}'s statements and their kinds. Never throws: a {@code q} InfluxDB would refuse (a syntax error
     * anywhere fails it whole, running nothing) is classified as best it reads, since every backend refuses it
     * alike. A null or blank {@code q} is {@link QueryKind#EMPTY}.
     */
    public static ClassifiedQuery classify(String q) {
        if (q == null) {
            return ClassifiedQuery.of(List.of());
        }
        List<Statement> statements = new ArrayList<>();
        for (List<Token> tokens : StatementSplitter.statements(q)) {
            String text = q.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
            statements.add(new Statement(StatementType.of(tokens), text));
        }
        return ClassifiedQuery.of(statements);
    }
}
