package io.influxrelay.recovery;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers as influxd 1.6 writes them with chunked=true: several JSON objects, a series spread over them. */
class QueryRowsTest {

    private static QueryRows rows(String answer) throws IOException {
        return new QueryRows(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), "a");
    }

    @Test
    void readsRowsAcrossChunksWithTheirSeriesAndValuesAsWritten() throws IOException {
        QueryRows rows = rows("""
                {"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","f","i","s","b"],\
                "values":[[1,1,9223372036854775807,"x\\"y",true],[2,-0,1,null,false]],"partial":true}],"partial":true}]}
                {"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","f","i","s","b"],\
                "values":[[3,1e-300,-1,"",null]]},{"name":"cpu","tags":{"host":"b"},"columns":["time","f"],"values":[[4,0.5]]}]}]}
                """);
        List<String> seen = new ArrayList<>();
        List<Integer> series = new ArrayList<>();
        while (rows.next()) {
            StringBuilder row = new StringBuilder(rows.tags() + " " + rows.time());
            for (int c = 1; c < rows.columns().size(); c++) {
                Object v = rows.value(c);
                row.append(' ').append(v instanceof NumberText n ? n.text() : v);
            }
            seen.add(row.toString());
            series.add(rows.seriesObjects());
        }
        assertThat(seen).containsExactly(
                "{host=a} 1 1 9223372036854775807 x\"y true",
                "{host=a} 2 -0 1 null false",
                "{host=a} 3 1e-300 -1  null",
                "{host=b} 4 0.5");
        assertThat(series).containsExactly(1, 1, 2, 3);
        assertThat(rows.ended()).isTrue();
        assertThat(rows.tags()).isEqualTo(Map.of("host", "b"));
    }

    @Test
    void anEmptyResultHasNoRows() throws IOException {
        QueryRows rows = rows("{\"results\":[{\"statement_id\":0}]}\n");
        assertThat(rows.next()).isFalse();
        assertThat(rows.ended()).isTrue();
    }

    @Test
    void anErrorInTheAnswerIsThrownWithInfluxDbsText() throws IOException {
        QueryRows statementError = rows("{\"results\":[{\"statement_id\":0,\"error\":\"retention policy not found: x\"}]}");
        assertThatThrownBy(statementError::next).isInstanceOf(RecoveryException.class)
                .hasMessage("a answered: retention policy not found: x");
        QueryRows late = rows("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"time\",\"v\"],"
                + "\"values\":[[1,2]]}]}]}\n{\"error\":\"max-select-point limit exceeded\"}");
        assertThat(late.next()).isTrue();
        assertThatThrownBy(late::next).hasMessage("a answered: max-select-point limit exceeded");
    }
}
