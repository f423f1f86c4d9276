package io.influxrelay.write;

import io.influxrelay.config.ConfigSource;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.Consistency;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WriteParametersTest {
    private static RelayConfig config(String... more) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("relay.backends", "a", "relay.backend.a.url", "http://127.0.0.1:8086"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return RelayConfig.from(ConfigSource.of(p));
    }

    @Test
    void theClientsConsistencyIsCheckedAlwaysAndDecidesOnlyWhenHonored() {
        RelayConfig ignoring = config("relay.write.consistency", "quorum");
        assertThat(WriteParameters.consistency(ignoring, null)).contains(Consistency.QUORUM);
        assertThat(WriteParameters.consistency(ignoring, "all")).contains(Consistency.QUORUM);
        assertThat(WriteParameters.consistency(ignoring, "most")).isEmpty();
        RelayConfig honoring = config("relay.write.consistency", "quorum", "relay.write.client-consistency", "honor");
        assertThat(WriteParameters.consistency(honoring, "all")).contains(Consistency.ALL);
        assertThat(WriteParameters.consistency(honoring, "")).contains(Consistency.QUORUM);
    }

    @Test
    void theQueryStringGoesOnUntouchedWithTheDefaultRetentionPolicyWhenItNamesNone() {
        assertThat(WriteParameters.forwardedQuery(config(), new QueryString("db=x&u=me&p=pw"))).isEqualTo("db=x&u=me&p=pw");
        RelayConfig withRp = config("relay.default-retention-policy", "two weeks");
        assertThat(WriteParameters.forwardedQuery(withRp, new QueryString("db=x"))).isEqualTo("db=x&rp=two+weeks");
        assertThat(WriteParameters.forwardedQuery(withRp, new QueryString("db=x&rp=autogen"))).isEqualTo("db=x&rp=autogen");
    }
}
