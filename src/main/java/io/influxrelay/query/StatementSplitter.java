package io.influxrelay.query;

import java.util.ArrayList;
import java.util.List;

/** Splits a query's tokens at its semicolons into statements, skipping empty ones ({@code ;;}, a trailing {@code ;}). */
final class StatementSplitter {

    private StatementSplitter() {
    }

    /** The tokens of each statement of {@code q}, semicolons left out; none is empty. */
    static List<List<Token>> statements(String q) {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : InfluxQlTokenizer.tokenize(q)) {
            if (token.type() != Token.Type.SEMICOLON) {
                current.add(token);
            } else if (!current.isEmpty()) {
                statements.add(List.copyOf(current));
                current.clear();
            }
        }
        if (!current.isEmpty()) {
            statements.add(List.copyOf(current));
        }
        return statements;
    }
}
