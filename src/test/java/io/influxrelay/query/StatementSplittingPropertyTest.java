package io.influxrelay.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class StatementSplittingPropertyTest {

    private static final String LAST_TOKENS = " AND x / 2 > 1";

    /** Text that may hold the characters that end or open something elsewhere: ; ' " / -- /* INTO. */
    private static Arbitrary<String> nasty() {
        return Arbitraries.strings().withChars("ab ;'\"/\\-*\nINTOinto").ofMaxLength(12);
    }

    /** A string literal's content, escaped as InfluxQL escapes it (a backslash before \ and the quote). */
    private static String escaped(String raw, char quote) {
        return raw.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote).replace("\n", "\\n");
    }

    /**
     * A regex InfluxQL accepts: no newline, slashes escaped, and not starting with '*' (Go's regexp refuses a
     * leading repetition, so InfluxDB refuses such a query and "/*" is always a comment to the tokenizer).
     */
    private static String regex(String raw) {
        String body = raw.replace("\n", " ").replace("\\", "").replace("/", "\\/");
        return "/" + (body.startsWith("*") ? "a" : "") + body + "/";
    }

    @Provide
    Arbitrary<List<String>> statements() {
        return statement().list().ofMinSize(1).ofMaxSize(6);
    }

    /** One statement whose quoted parts and comments hold nasty text; it reads, or changes when into is set. */
    private static Arbitrary<String> statement() {
        return Combinators.combine(nasty(), nasty(), nasty(), nasty(), nasty(), Arbitraries.of(true, false))
                .as((ident, string, re, comment, line, into) -> "SELECT \"" + escaped(ident, '"') + "\""
                        + " /* " + comment.replace("*/", "") + " */"
                        + (into ? " INTO m2" : "")
                        + " FROM " + regex(re)
                        + " WHERE t = '" + escaped(string, '\'') + "' AND h =~ " + regex(string)
                        + LAST_TOKENS + " -- " + line.replace("\n", " ").replace("\r", " ") + "\n");
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(";", " ;", ";\n", "; ;", ";;\n\t", " /* ; */ ;", "; -- ;\n");
    }

    @Property(tries = 500)
    void splittingNeverBreaksInsideAStringIdentifierRegexOrComment(
            @ForAll("statements") List<String> statements,
            @ForAll("separators") String separator, @ForAll boolean trailingSemicolon) {
        String q = String.join(separator, statements) + (trailingSemicolon ? ";" : "");
        ClassifiedQuery query = StatementClassifier.classify(q);
        assertThat(query.statements()).extracting(Statement::text)
                .containsExactlyElementsOf(statements.stream().map(StatementSplittingPropertyTest::withoutLineComment).toList());
        boolean anyInto = statements.stream().anyMatch(s -> s.contains(" INTO m2 "));
        boolean anyRead = statements.stream().anyMatch(s -> !s.contains(" INTO m2 "));
        assertThat(query.kind()).isEqualTo(anyInto && anyRead ? QueryKind.MIXED : anyInto ? QueryKind.CHANGE : QueryKind.READ);
    }

    /** A statement's text ends at its last token: its closing line comment is not part of it. */
    private static String withoutLineComment(String statement) {
        return statement.substring(0, statement.indexOf(LAST_TOKENS) + LAST_TOKENS.length());
    }

    @Property(tries = 1000)
    void anyTextIsReadWithoutFailing(@ForAll("anything") String q) {
        assertThatCode(() -> StatementClassifier.classify(q)).doesNotThrowAnyException();
        assertThatCode(() -> StatementSecrets.masked(q)).doesNotThrowAnyException();
        for (Statement statement : StatementClassifier.classify(q).statements()) {
            assertThat(statement.text()).isNotBlank();
            assertThat(q).contains(statement.text());
        }
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("SELECTINTOFROMsetpasswordCREATEUSERWITH =;'\"/\\-*\n").ofMaxLength(60));
    }

    @Property(tries = 300)
    void aPasswordNeverSurvivesMasking(@ForAll("passwords") String password, @ForAll boolean setPassword) {
        String literal = "'" + escaped(password, '\'') + "'";
        String q = setPassword ? "SET PASSWORD FOR bob = " + literal : "CREATE USER bob WITH PASSWORD " + literal;
        String masked = StatementSecrets.masked(q);
        assertThat(masked).doesNotContain(literal).endsWith(StatementSecrets.REDACTED);
        assertThat(masked.substring(0, masked.length() - StatementSecrets.REDACTED.length()))
                .isEqualTo(q.substring(0, q.length() - literal.length()));
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().withChars("pw12;'\"/\\-* ").ofMinLength(1).ofMaxLength(16);
    }
}
