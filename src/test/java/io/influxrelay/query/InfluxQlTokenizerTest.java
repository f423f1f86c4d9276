package io.influxrelay.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class InfluxQlTokenizerTest {

    private static List<String> texts(String q) {
        return InfluxQlTokenizer.tokenize(q).stream().map(Token::text).toList();
    }

    private static List<Token.Type> types(String q) {
        return InfluxQlTokenizer.tokenize(q).stream().map(Token::type).toList();
    }

    @Test
    void wordsNumbersOperatorsAndSemicolons() {
        assertThat(texts("SELECT a,b FROM m WHERE x>=1.5 AND y != 10m;"))
                .containsExactly("SELECT", "a", ",", "b", "FROM", "m", "WHERE", "x", ">=", "1.5", "AND", "y", "!=",
                        "10m", ";");
        assertThat(texts("x::float <> .5 =~ !~ <= 1."))
                .containsExactly("x", "::", "float", "<>", ".5", "=~", "!~", "<=", "1.");
    }

    @Test
    void stringsEscapeWithBackslashNotWithADoubledQuote() {
        assertThat(texts("'it\\'s' x")).containsExactly("'it\\'s'", "x");
        assertThat(texts("'it''s'")).containsExactly("'it'", "'s'");
        assertThat(texts("'a\\\\' b")).containsExactly("'a\\\\'", "b");
        assertThat(texts("'a;\"b'")).containsExactly("'a;\"b'");
    }

    @Test
    void quotedIdentifiersEscapeWithBackslashToo() {
        assertThat(texts("\"my \\\"db\\\"\" x")).containsExactly("\"my \\\"db\\\"\"", "x");
        assertThat(types("\"my \"\"db\"")).containsExactly(
                Token.Type.QUOTED_IDENTIFIER, Token.Type.QUOTED_IDENTIFIER);
        assertThat(texts("\"a';b\"")).containsExactly("\"a';b\"");
    }

    @Test
    void commentsAreDropped() {
        assertThat(texts("a -- b; c\n d /* e; f */ g --")).containsExactly("a", "d", "g");
        assertThat(texts("a --x\r b")).containsExactly("a", "b");
        assertThat(texts("a /* /* not nested */ b")).containsExactly("a", "b");
        assertThat(texts("a /* open; b")).containsExactly("a");
    }

    static Stream<Arguments> regexes() {
        return Stream.of(
                Arguments.of("SELECT /a;b/ FROM m", "/a;b/"),
                Arguments.of("SELECT * FROM /cpu;into/", "/cpu;into/"),
                Arguments.of("SELECT x, /a'b/ FROM m", "/a'b/"),
                Arguments.of("SELECT * FROM db.rp./c;/", "/c;/"),
                Arguments.of("SELECT * FROM db../c\"/", "/c\"/"),
                Arguments.of("SELECT * FROM m WHERE h =~ /a\\/;b/", "/a\\/;b/"),
                Arguments.of("SELECT * FROM m WHERE h !~/x;/", "/x;/"),
                Arguments.of("SHOW MEASUREMENTS WITH MEASUREMENT = /m;/", "/m;/"),
                Arguments.of("SELECT * FROM m GROUP BY /h;/", "/h;/"),
                Arguments.of("SELECT * FROM //", "//"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regexes")
    void aSlashWhereNoOperandPrecedesItOpensARegex(String q, String regex) {
        assertThat(InfluxQlTokenizer.tokenize(q))
                .filteredOn(token -> token.type() == Token.Type.REGEX)
                .extracting(Token::text)
                .containsExactly(regex);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT 1/2 FROM m", "SELECT a / b FROM m", "SELECT \"a\"/2 FROM m", "SELECT mean(v)/2 FROM m",
            "SELECT 10m/2 FROM m", "SELECT 1./2 FROM m", "SELECT 'x'/2 FROM m", "SELECT count(*)/2 FROM m",
            "SELECT true/2 FROM m"})
    void aSlashAfterAnOperandDivides(String q) {
        assertThat(InfluxQlTokenizer.tokenize(q))
                .noneMatch(token -> token.type() == Token.Type.REGEX)
                .anyMatch(token -> token.isOperator("/"));
    }

    @Test
    void regexEscapesOnlyTheSlash() {
        // as InfluxQL's ScanRegex: "\\/" is a backslash then an escaped slash, so the regex goes on
        assertThat(texts("FROM /a\\\\/ b/ c")).containsExactly("FROM", "/a\\\\/ b/", "c");
        assertThat(texts("FROM /a\\d/ c")).containsExactly("FROM", "/a\\d/", "c");
    }

    @Test
    void aBlockCommentIsNeverARegex() {
        assertThat(texts("SELECT /* c; */ * FROM m")).containsExactly("SELECT", "*", "FROM", "m");
        assertThat(texts("SELECT * FROM /* c */ m")).containsExactly("SELECT", "*", "FROM", "m");
    }

    @Test
    void openLiteralsRunToTheEnd() {
        assertThat(texts("SELECT 'a; b")).containsExactly("SELECT", "'a; b");
        assertThat(texts("SELECT \"a; b")).containsExactly("SELECT", "\"a; b");
        assertThat(texts("FROM /a; b")).containsExactly("FROM", "/a; b");
        assertThat(texts("'a\\")).containsExactly("'a\\");
    }

    @Test
    void positionsPointIntoTheQuery() {
        String q = "  SELECT 'x' -- c\n;";
        for (Token token : InfluxQlTokenizer.tokenize(q)) {
            assertThat(q.substring(token.start(), token.end())).isEqualTo(token.text());
        }
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(InfluxQlTokenizer.isKeyword("select")).isTrue();
        assertThat(InfluxQlTokenizer.isKeyword("InTo")).isTrue();
        assertThat(InfluxQlTokenizer.isKeyword("time")).isFalse();
        assertThat(InfluxQlTokenizer.isKeyword("true")).isFalse();
    }
}
