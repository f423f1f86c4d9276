package io.influxrelay.query;

import java.util.List;

/** Hides the passwords a {@code q} sets, so that it can be logged. */
public final class StatementSecrets {

    static final String REDACTED = "'[REDACTED]'";

    private StatementSecrets() {
    }

    /**
     * {@code q} with the password of every {@code CREATE USER ... WITH PASSWORD 'secret'} and
     * {@code SET PASSWORD FOR name = 'secret'} replaced by {@code '[REDACTED]'}, the rest unchanged. Found with
     * the tokenizer, so an escaped quote inside the password ({@code 'pa\'ss'}) is hidden whole and a
     * {@code PASSWORD} inside a string is left alone. Beyond the valid forms it also hides every string of those
     * statements, an unterminated password (to the end of {@code q}) and a password written as an identifier or
     * bare word ({@code WITH PASSWORD "secret"}, a common mistake InfluxDB refuses after logging it).
     */
    public static String masked(String q) {
        if (q == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(q.length());
        int copied = 0;
        for (List<Token> statement : StatementSplitter.statements(q)) {
            StatementType type = StatementType.of(statement);
            if (type != StatementType.CREATE_USER && type != StatementType.SET_PASSWORD) {
                continue;
            }
            int password = passwordIndex(type, statement);
            for (int i = 0; i < statement.size(); i++) {
                Token token = statement.get(i);
                if (i == password || token.type() == Token.Type.STRING) {
                    out.append(q, copied, token.start()).append(REDACTED);
                    copied = token.end();
                }
            }
        }
        return out.append(q, copied, q.length()).toString();
    }

    /** The index of the token holding the password, or -1: the first after PASSWORD (CREATE USER) or '=' (SET PASSWORD). */
    private static int passwordIndex(StatementType type, List<Token> statement) {
        for (int i = 0; i + 1 < statement.size(); i++) {
            Token token = statement.get(i);
            boolean before = type == StatementType.CREATE_USER ? token.isKeyword("PASSWORD") : token.isOperator("=");
            if (before) {
                Token next = statement.get(i + 1);
                boolean secretLike = next.type() != Token.Type.OPERATOR
                        && !(next.type() == Token.Type.WORD && InfluxQlTokenizer.isKeyword(next.text()));
                return secretLike ? i + 1 : -1;
            }
        }
        return -1;
    }
}
