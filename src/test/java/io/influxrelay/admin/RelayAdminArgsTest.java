package io.influxrelay.admin;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayAdminArgsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static AdminArgs parse(String line) {
        return AdminArgs.parse(line.isEmpty() ? new String[0] : line.split(" "), NOW);
    }

    private static void refused(String line, String message) {
        assertThatThrownBy(() -> parse(line)).as(line).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void aCheckWithEveryOption() {
        AdminArgs a = parse("--relay http://r:9097 check --from a --to=b --db mydb --rp autogen --start 2026-11-30 "
                + "--end now --measurement cpu --measurement mem --window 1h --json");
        assertThat(a.command()).isEqualTo("check");
        assertThat(a.relay()).isEqualTo("http://r:9097");
        assertThat(a.from()).isEqualTo("a");
        assertThat(a.to()).isEqualTo("b");
        assertThat(a.db()).isEqualTo("mydb");
        assertThat(a.rp()).isEqualTo("autogen");
        assertThat(a.start()).isEqualTo(1_795_996_800_000_000_000L);
        assertThat(a.end()).isEqualTo(1_796_040_000_000_000_000L);
        assertThat(a.measurements()).containsExactly("cpu", "mem");
        assertThat(a.window()).isEqualTo("1h");
        assertThat(a.json()).isTrue();
    }

    @Test
    void theRequestBodyTheRelayTakes() {
        AdminArgs a = parse("resync --from a --to b --db mydb --start -2h --end now");
        assertThat(a.rp()).isNull();
        assertThat(RelayAdmin.request(a).toString()).isEqualTo("{\"from\":\"a\",\"to\":\"b\",\"db\":\"mydb\",\"rp\":null,"
                + "\"start\":1796032800000000000,\"end\":1796040000000000000,\"measurements\":[]}");
        AdminArgs c = parse("check --from a --to b --db mydb --start -2h --end now --measurement cpu --window 10m --relay r");
        assertThat(RelayAdmin.request(c).toString()).isEqualTo("{\"from\":\"a\",\"to\":\"b\",\"db\":\"mydb\",\"rp\":null,"
                + "\"start\":1796032800000000000,\"end\":1796040000000000000,\"measurements\":[\"cpu\"],\"window\":\"10m\"}");
    }

    @Test
    void aNegativeRelativeTimeIsAValueNotAnOption() {
        assertThat(parse("resync --from a --to b --db d --start -2h --end -1h").start()).isEqualTo(1_796_032_800_000_000_000L);
    }

    @Test
    void listingsAndHelp() {
        assertThat(parse("missing --json").json()).isTrue();
        assertThat(parse("jobs").command()).isEqualTo("jobs");
        assertThat(parse("recover local2").backend()).isEqualTo("local2");
        assertThat(parse("help").command()).isEqualTo("help");
        assertThat(parse("check --help").command()).isEqualTo("help");
        assertThat(parse("-h").command()).isEqualTo("help");
    }

    @Test
    void badInputIsNamed() {
        refused("", "no command");
        refused("frobnicate", "unknown command 'frobnicate'");
        refused("check --from a --to b --db d --start -1h", "--end is required");
        refused("check --to b --db d --start -1h --end now", "--from is required");
        refused("resync --from a --to a --db d --start -1h --end now", "same backend");
        refused("check --from a --to b --db d --start now --end -1h", "must come before --end");
        refused("check --from a --to b --db d --start -1h --end now --window soon", "--window 'soon' is not a duration");
        refused("resync --from a --to b --db d --start -1h --end now --window 1h", "resync takes no --window");
        refused("jobs --db d", "jobs takes no --db");
        refused("check --from", "--from needs a value");
        refused("check --colour red", "unknown option --colour");
        refused("jobs extra", "unexpected argument 'extra'");
        refused("recover", "recover needs a backend");
        refused("missing --json=yes", "--json takes no value");
    }

    @Test
    void theRelayAddress(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        assertThat(RelayAddress.resolve("r:9097/", Map.of(), home)).isEqualTo("http://r:9097");
        assertThat(RelayAddress.resolve(null, Map.of("RELAY_ADMIN_URL", "https://r"), home)).isEqualTo("https://r");
        assertThat(RelayAddress.resolve(null, Map.of(), home)).isEqualTo("http://127.0.0.1:9097");
        Files.createDirectories(home.resolve("config"));
        Path properties = home.resolve("config/application.properties");
        Files.writeString(properties, "relay.management.host=0.0.0.0\nrelay.management.port=9197\n");
        assertThat(RelayAddress.resolve(null, Map.of(), home)).isEqualTo("http://127.0.0.1:9197");
        Files.writeString(properties, "relay.management.host=::1\n");
        assertThat(RelayAddress.resolve(null, Map.of(), home)).isEqualTo("http://[::1]:9097");
        // a management port with a certificate serves HTTPS only
        Files.writeString(properties, "relay.management.tls.cert=/etc/relay/mgmt.pem\nrelay.management.tls.key=/etc/relay/mgmt.key\n");
        assertThat(RelayAddress.resolve(null, Map.of(), home)).isEqualTo("https://127.0.0.1:9097");
        Files.writeString(properties, "relay.management.port=0\n");
        assertThatThrownBy(() -> RelayAddress.resolve(null, Map.of(), home)).isInstanceOf(AdminException.class)
                .hasMessageContaining("turned off");
    }
}
