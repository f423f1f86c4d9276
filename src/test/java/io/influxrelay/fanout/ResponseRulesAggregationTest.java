package io.influxrelay.fanout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseRulesAggregationTest {
    @Test
    void namesTheBackendOfARecipientEndpointAsWrittenOrAsCamelNormalizesIt() {
        assertThat(ResponseRulesAggregation.backendOf("direct:backend-b1?block=false")).isEqualTo("b1");
        assertThat(ResponseRulesAggregation.backendOf("direct://backend-east_2-a?block=false")).isEqualTo("east_2-a");
        assertThat(ResponseRulesAggregation.backendOf("direct://backend-b3")).isEqualTo("b3");
    }

    @Test
    void anyOtherEndpointIsUnknown() {
        assertThat(ResponseRulesAggregation.backendOf(null)).isEqualTo("unknown");
        assertThat(ResponseRulesAggregation.backendOf("direct://send-b1")).isEqualTo("unknown");
        assertThat(ResponseRulesAggregation.backendOf("seda:backend-b1")).isEqualTo("unknown");
    }
}
