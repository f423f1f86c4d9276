package io.influxrelay.query;

import java.util.List;

/** A {@code q} read statement by statement: its statements in order, and what they do together. */
public record ClassifiedQuery(QueryKind kind, List<Statement> statements) {

    public ClassifiedQuery {
        statements = List.copyOf(statements);
    }

    static ClassifiedQuery of(List<Statement> statements) {
        boolean reads = statements.stream().anyMatch(s -> s.kind() == StatementKind.READ);
        boolean changes = statements.stream().anyMatch(s -> s.kind() == StatementKind.CHANGE);
        QueryKind kind = reads && changes ? QueryKind.MIXED
                : changes ? QueryKind.CHANGE
                : reads ? QueryKind.READ
                : QueryKind.EMPTY;
        return new ClassifiedQuery(kind, statements);
    }
}
