package io.influxrelay.sharding;

import io.influxrelay.query.Statement;
import io.influxrelay.query.Token;
import io.influxrelay.sharding.AnswerJson.Answer;
import io.influxrelay.sharding.AnswerJson.Result;
import io.influxrelay.sharding.AnswerJson.Series;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Merges the answers several shards gave to the same {@code q} into the one a single, unsharded InfluxDB would
 * give, byte for byte where it can (checked against influxd 1.6 by ShardAnswersIT):
 * <ul>
 *   <li>a request-level error ({@code {"error":...}}, e.g. a syntax error): the first shard's body, unchanged;</li>
 *   <li>results are matched by statement_id; a statement an answer reports an error for gets that error (the
 *       first); InfluxDB 1.6 stops at an error and lists no later statement, so the merged answer stops there
 *       too when a shard did;</li>
 *   <li>SELECT: every shard's series, ordered as InfluxDB orders them (by name, then by the tag set's id: keys,
 *       then values, compared as bytes; reversed under ORDER BY time DESC), with the union of their columns
 *       (time first, then sorted: a wildcard's expansion) and of their tag keys (missing tags empty, as
 *       {@code GROUP BY *} gives them);</li>
 *   <li>SHOW MEASUREMENTS / SERIES / TAG KEYS / FIELD KEYS / TAG VALUES and the per-measurement cardinalities:
 *       series merged by name, rows unioned, de-duplicated and sorted as bytes; series sorted by name;</li>
 *   <li>SHOW SERIES / MEASUREMENT CARDINALITY (one number): the sum; exact for EXACT since each series and
 *       measurement lives in one shard, an estimate of estimates otherwise;</li>
 *   <li>anything else (SHOW DATABASES, RETENTION POLICIES, USERS, CONTINUOUS QUERIES...): the first shard's;</li>
 *   <li>a statement no shard has series for keeps InfluxDB's empty shape {@code {"statement_id":N}}; messages are
 *       the first shard's that has any; partial is true when any shard's is.</li>
 * </ul>
 * Not exact, since each shard applies them to its own part before the merge: LIMIT/OFFSET of SHOW MEASUREMENTS,
 * SERIES, TAG KEYS/VALUES, FIELD KEYS (up to n per shard, and OFFSET skips per shard); SLIMIT/SOFFSET (up to n
 * series per shard); {@code GROUP BY *} across measurements lacks the tag keys of a measurement with no row in the
 * queried range; columns of {@code SELECT *} over several measurements in another order than the sorted
 * expansion (e.g. {@code SELECT *, v}). Exact: LIMIT/OFFSET of a SELECT (they count rows per series, and a series
 * is whole in one shard) and every aggregate (a measurement is whole in one shard).
 */
public final class ShardAnswers {

    private ShardAnswers() {
    }

    /**
     * The answers (InfluxDB /query JSON bodies, not chunked, one per shard, to the same {@code q}) merged into one
     * body. ORDER BY time DESC is told from the answers themselves (series or rows newest first); when no answer
     * shows it (each has at most one series of one row), use {@link #merge(List, List)}.
     */
    public static byte[] merge(List<byte[]> answers) {
        return merge(answers, List.of());
    }

    /** As {@link #merge(List)}, told by the statements of {@code q} (in order) which of them order by time DESC. */
    public static byte[] merge(List<byte[]> answers, List<Statement> statements) {
        if (answers.size() == 1) {
            return answers.get(0);
        }
        List<Answer> parsed = answers.stream().map(AnswerJson::parse).toList();
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i).error() != null) {
                return answers.get(i);
            }
        }
        TreeSet<Integer> ids = new TreeSet<>();
        parsed.forEach(a -> a.results().forEach(r -> ids.add(r.statementId())));
        List<Result> merged = new ArrayList<>();
        for (int id : ids) {
            List<Result> results = parsed.stream().map(a -> result(a, id)).filter(Objects::nonNull).toList();
            Result error = results.stream().filter(r -> r.error() != null).findFirst().orElse(null);
            if (error != null) {
                merged.add(error);
                if (parsed.stream().anyMatch(a -> endsWithError(a, id))) {
                    break;
                }
                continue;
            }
            Boolean descending = id < statements.size() ? descending(statements.get(id)) : null;
            merged.add(merge(id, results, descending));
        }
        return AnswerJson.print(new Answer(null, merged));
    }

    /** One statement's results, one per shard that has any (none an error), merged; descending null: told by the series. */
    static Result merge(int id, List<Result> results, Boolean descending) {
        List<List<Series>> shards = results.stream().map(Result::series).toList();
        Series first = shards.stream().flatMap(List::stream).findFirst().orElse(null);
        List<Series> series = first == null ? List.of() : SeriesMerge.of(first).merge(shards,
                descending != null ? descending : shards.stream().anyMatch(SeriesMerge::looksDescending));
        String messages = results.stream().map(Result::messages).filter(Objects::nonNull).findFirst().orElse(null);
        return new Result(id, series, messages, results.stream().anyMatch(Result::partial), null);
    }

    private static Result result(Answer answer, int id) {
        return answer.results().stream().filter(r -> r.statementId() == id).findFirst().orElse(null);
    }

    /** Whether the answer reports an error for statement id and lists nothing after it. */
    private static boolean endsWithError(Answer answer, int id) {
        Result r = result(answer, id);
        return r != null && r.error() != null && answer.results().stream().noneMatch(o -> o.statementId() > id);
    }

    /** Whether a statement's own ORDER BY (not a subquery's) sorts by time descending. */
    static boolean descending(Statement statement) {
        List<Token> tokens = statement.tokens();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isOperator("(") ? 1 : t.isOperator(")") ? -1 : 0;
            if (depth == 0 && t.isKeyword("ORDER")) {
                return tokens.stream().skip(i).anyMatch(k -> k.isKeyword("DESC"));
            }
        }
        return false;
    }
}
