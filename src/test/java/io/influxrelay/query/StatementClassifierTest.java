package io.influxrelay.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.influxrelay.query.StatementClassifier.classify;
import static org.assertj.core.api.Assertions.assertThat;

class StatementClassifierTest {

    /** One line of influxql/statements.txt. */
    record Example(StatementKind kind, String verb, String statement) {
        @Override
        public String toString() {
            return statement;
        }
    }

    static List<Example> examples() throws IOException {
        try (InputStream in = StatementClassifierTest.class.getResourceAsStream("/influxql/statements.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split(" \\| ", 3))
                    .map(parts -> new Example(StatementKind.valueOf(parts[0]), parts[1], parts[2]))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyStatementOfTheSpec(Example example) {
        ClassifiedQuery query = classify(example.statement());
        assertThat(query.statements()).singleElement().satisfies(statement -> {
            assertThat(statement.kind()).isEqualTo(example.kind());
            assertThat(statement.verb()).isEqualTo(example.verb());
            assertThat(statement.text()).isEqualTo(example.statement());
        });
        assertThat(query.kind().name()).isEqualTo(example.kind().name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void caseSpacingCommentsAndSemicolonsChangeNothing(Example example) {
        String lower = example.statement().toLowerCase(Locale.ROOT);
        String q = "\n\t /* lead; */ -- into;\n" + lower + " ;; -- trail\n";
        assertThat(classify(q).statements()).singleElement().satisfies(statement -> {
            assertThat(statement.kind()).isEqualTo(example.kind());
            assertThat(statement.verb()).isEqualTo(example.verb());
            assertThat(statement.text()).isEqualTo(lower);
        });
    }

    @Test
    void theExamplesCoverEveryStatementType() throws IOException {
        Set<String> verbs = examples().stream().map(Example::verb).collect(Collectors.toSet());
        assertThat(verbs).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(StatementType.values()).map(StatementType::verb).toList());
    }

    @Test
    void allTheSpecInOneQueryIsMixed() throws IOException {
        String q = examples().stream().map(Example::statement).collect(Collectors.joining(";\n"));
        ClassifiedQuery query = classify(q);
        assertThat(query.kind()).isEqualTo(QueryKind.MIXED);
        assertThat(query.statements()).extracting(Statement::text)
                .containsExactlyElementsOf(examples().stream().map(Example::statement).toList());
    }

    static Stream<Arguments> trickyReads() {
        return Stream.of(
                Arguments.of("SELECT * FROM \"into\"", "a measurement named into"),
                Arguments.of("SELECT \"into\" FROM m", "a field named into"),
                Arguments.of("SELECT * FROM m WHERE t = 'into'", "into in a string"),
                Arguments.of("SELECT * FROM /into/", "into in a regex"),
                Arguments.of("SELECT * FROM m -- INTO x\n", "into in a line comment"),
                Arguments.of("SELECT * /* INTO x */ FROM m", "into in a block comment"),
                Arguments.of("SELECT intox, xinto, in_to FROM m", "words containing into"),
                Arguments.of("SELECT \"a\\\"into\" FROM m", "into in an identifier with an escaped quote"),
                Arguments.of("SELECT * FROM m WHERE t = 'it\\'s INTO'", "into in a string with an escaped quote"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("trickyReads")
    void intoOutsideTheStatementIsNoInto(String q, String why) {
        ClassifiedQuery query = classify(q);
        assertThat(query.kind()).isEqualTo(QueryKind.READ);
        assertThat(query.statements()).singleElement().extracting(Statement::verb).isEqualTo("SELECT");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT * INTO m2 FROM m",
            "select * into m2 from m",
            "SeLeCt * InTo \"db\".\"rp\".m2 FrOm m",
            "SELECT *\nINTO\nm2\nFROM m",
            "SELECT * /* c */ INTO /* c */ m2 FROM m",
            "SELECT * FROM (SELECT * INTO m2 FROM m)"})
    void selectIntoIsAChange(String q) {
        ClassifiedQuery query = classify(q);
        assertThat(query.kind()).isEqualTo(QueryKind.CHANGE);
        assertThat(query.statements()).singleElement().extracting(Statement::verb).isEqualTo("SELECT INTO");
    }

    @Test
    void semicolonsInsideLiteralsAndCommentsSplitNothing() {
        assertThat(classify("SELECT * FROM m WHERE t = 'a;b'").statements()).hasSize(1);
        assertThat(classify("SELECT * FROM \"a;b\" WHERE \"c;d\" = 1").statements()).hasSize(1);
        assertThat(classify("SELECT * FROM /cpu;into/").statements()).singleElement()
                .satisfies(s -> assertThat(s.kind()).isEqualTo(StatementKind.READ));
        assertThat(classify("SELECT * FROM m WHERE h =~ /a\\/;b/").statements()).hasSize(1);
        assertThat(classify("SELECT * FROM m -- a; DROP DATABASE x\n").kind()).isEqualTo(QueryKind.READ);
        assertThat(classify("SELECT * /* ; DROP DATABASE x; */ FROM m").kind()).isEqualTo(QueryKind.READ);
    }

    @Test
    void divisionIsNoRegex() {
        ClassifiedQuery query = classify("SELECT 1/2 FROM m; DROP DATABASE x; SELECT a/b FROM \"c\"");
        assertThat(query.statements()).extracting(Statement::verb)
                .containsExactly("SELECT", "DROP DATABASE", "SELECT");
        assertThat(query.kind()).isEqualTo(QueryKind.MIXED);
    }

    @Test
    void readsAndChangesTogetherAreMixed() {
        ClassifiedQuery query = classify("CREATE DATABASE x; SELECT * FROM y");
        assertThat(query.kind()).isEqualTo(QueryKind.MIXED);
        assertThat(query.statements()).containsExactly(
                new Statement(StatementType.CREATE_DATABASE, "CREATE DATABASE x"),
                new Statement(StatementType.SELECT, "SELECT * FROM y"));
    }

    @Test
    void onlyReadsOrOnlyChanges() {
        assertThat(classify("SHOW DATABASES; SELECT * FROM m; EXPLAIN SELECT * FROM m").kind())
                .isEqualTo(QueryKind.READ);
        assertThat(classify("CREATE DATABASE a; DROP DATABASE b; KILL QUERY 3").kind())
                .isEqualTo(QueryKind.CHANGE);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "\n\t", ";", " ; ;; ", "-- only a comment", "/* only */", "/* a */ ; -- b\n ;",
            "/* open"})
    void noStatementIsEmpty(String q) {
        ClassifiedQuery query = classify(q);
        assertThat(query.kind()).isEqualTo(QueryKind.EMPTY);
        assertThat(query.statements()).isEmpty();
    }

    @Test
    void nullIsEmpty() {
        assertThat(classify(null).kind()).isEqualTo(QueryKind.EMPTY);
    }

    @Test
    void statementTextKeepsInnerCommentsAndDropsOuterOnes() {
        ClassifiedQuery query = classify("  -- first\n SELECT a /* inner */ FROM m -- tail\n;\n\nSHOW USERS  ");
        assertThat(query.statements()).extracting(Statement::text)
                .containsExactly("SELECT a /* inner */ FROM m", "SHOW USERS");
    }

    @Test
    void leadingKeywordsMaySpanLinesAndComments() {
        assertThat(classify("SHOW\n  TAG /* which */ VALUES\nEXACT -- yes\n CARDINALITY WITH KEY = k").statements())
                .singleElement().extracting(Statement::verb).isEqualTo("SHOW TAG VALUES EXACT CARDINALITY");
    }

    @Test
    void unknownStatementsAreChanges() {
        ClassifiedQuery query = classify("SELECT 1 FROM m; FOO BAR");
        assertThat(query.statements()).extracting(Statement::type)
                .containsExactly(StatementType.SELECT, StatementType.UNKNOWN);
        assertThat(query.kind()).isEqualTo(QueryKind.MIXED);
        assertThat(classify("(SELECT 1 FROM m)").kind()).isEqualTo(QueryKind.CHANGE);
    }

    @Test
    void anUnterminatedLiteralTakesTheRestOfTheQuery() {
        // InfluxDB refuses such a q whole; what matters is that nothing throws
        assertThat(classify("SELECT 'a; DROP DATABASE x").statements()).hasSize(1);
        assertThat(classify("SELECT * FROM /a; DROP DATABASE x").kind()).isEqualTo(QueryKind.READ);
    }

    @Test
    void theResultIsImmutable() {
        ClassifiedQuery query = classify("SHOW USERS");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> query.statements().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
