package io.influxrelay.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static io.influxrelay.query.StatementSecrets.masked;
import static org.assertj.core.api.Assertions.assertThat;

class StatementSecretsTest {

    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of("CREATE USER \"jdoe\" WITH PASSWORD '1337password'",
                        "CREATE USER \"jdoe\" WITH PASSWORD '[REDACTED]'"),
                Arguments.of("CREATE USER jdoe WITH PASSWORD '1337password' WITH ALL PRIVILEGES",
                        "CREATE USER jdoe WITH PASSWORD '[REDACTED]' WITH ALL PRIVILEGES"),
                Arguments.of("create user jdoe with password 'pa\\'ss;word'",
                        "create user jdoe with password '[REDACTED]'"),
                Arguments.of("SET PASSWORD FOR \"jdoe\" = 'n3w'",
                        "SET PASSWORD FOR \"jdoe\" = '[REDACTED]'"),
                Arguments.of("set Password for jdoe='n3w\\\\'",
                        "set Password for jdoe='[REDACTED]'"),
                Arguments.of("CREATE USER jdoe WITH PASSWORD /* the secret: */ 's3cret'",
                        "CREATE USER jdoe WITH PASSWORD /* the secret: */ '[REDACTED]'"),
                Arguments.of("CREATE USER\n  jdoe\n  WITH PASSWORD\n  's3cret'\n",
                        "CREATE USER\n  jdoe\n  WITH PASSWORD\n  '[REDACTED]'\n"),
                // InfluxDB refuses these, but they reach the log first
                Arguments.of("CREATE USER jdoe WITH PASSWORD \"s3cret\"", "CREATE USER jdoe WITH PASSWORD '[REDACTED]'"),
                Arguments.of("SET PASSWORD FOR jdoe = \"s3cret\"", "SET PASSWORD FOR jdoe = '[REDACTED]'"),
                Arguments.of("CREATE USER jdoe WITH PASSWORD s3cret", "CREATE USER jdoe WITH PASSWORD '[REDACTED]'"),
                Arguments.of("CREATE USER jdoe WITH PASSWORD 's3cret", "CREATE USER jdoe WITH PASSWORD '[REDACTED]'"),
                Arguments.of("CREATE USER jdoe WITH PASSWORD = 's3cret'",
                        "CREATE USER jdoe WITH PASSWORD = '[REDACTED]'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void passwordsAreHidden(String q, String expected) {
        assertThat(masked(q)).isEqualTo(expected);
    }

    @Test
    void everyStatementOfAQueryIsMasked() {
        String q = "SHOW USERS; CREATE USER a WITH PASSWORD 'one';SELECT * FROM m WHERE t = 'two';\n"
                + "set password for \"b\" = 'three'; Create User c With Password 'four' With All Privileges";
        assertThat(masked(q)).isEqualTo("SHOW USERS; CREATE USER a WITH PASSWORD '[REDACTED]';"
                + "SELECT * FROM m WHERE t = 'two';\n"
                + "set password for \"b\" = '[REDACTED]'; Create User c With Password '[REDACTED]' With All Privileges");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "SELECT * FROM m WHERE password = 'hunter2'",
            "SELECT * FROM m WHERE t = 'CREATE USER a WITH PASSWORD ''x'''",
            "SELECT * FROM m -- CREATE USER a WITH PASSWORD 'x'\n",
            "SELECT * FROM \"SET PASSWORD FOR a = 'x'\"",
            "DROP USER \"jdoe\"",
            "CREATE DATABASE \"password\"",
            "SHOW GRANTS FOR jdoe",
            "",
            "  ;; -- nothing\n"})
    void everythingElseIsUnchanged(String q) {
        assertThat(masked(q)).isEqualTo(q);
    }

    @Test
    void theUserNameIsKept() {
        assertThat(masked("CREATE USER \"pass'word\" WITH PASSWORD 'x'"))
                .isEqualTo("CREATE USER \"pass'word\" WITH PASSWORD '[REDACTED]'");
    }

    @Test
    void nullStaysNull() {
        assertThat(masked(null)).isNull();
    }
}
