package io.influxrelay.it;

import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no container engine), so its parts are checked: the compose
 * file parses and names the shared configuration files, and HAProxy and nginx accept those files
 * with the addresses compose gives them (haproxy -c, nginx -t). docker-compose.shards.yml, used on top of
 * it, is checked as Compose merges the two: its servers exist and every relay names them all, in shards.
 */
class DeployFilesIT {
    private static final Path PROJECT = RelayProcess.projectDir();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose(String file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(PROJECT.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(String file) throws Exception {
        return (Map<String, Object>) compose(file).get("services");
    }

    private static Map<String, Object> services() throws Exception {
        return services("docker-compose.yml");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String file, String name) throws Exception {
        return (Map<String, Object>) services(file).get(name);
    }

    /** A service's environment in one file, with YAML merge keys (relay-b's `<<: *relay-environment`) applied. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String file, String service) throws Exception {
        Map<String, Object> raw = (Map<String, Object>) service(file, service).get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (raw != null) {
            if (raw.get("<<") instanceof Map<?, ?> merged) {
                merged.forEach((k, v) -> env.put((String) k, (String) v));
            }
            raw.forEach((k, v) -> {
                if (!k.equals("<<")) {
                    env.put(k, (String) v);
                }
            });
        }
        return env;
    }

    private static Map<String, String> environment(String service) throws Exception {
        return environment("docker-compose.yml", service);
    }

    /** A service's environment as `docker compose -f docker-compose.yml -f FILE` gives it: merged key by key. */
    private static Map<String, String> mergedEnvironment(String file, String service) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(environment(service));
        env.putAll(environment(file, service));
        return env;
    }

    /** The environment variable of a relay.* key, as the README and ConfigSource name it. */
    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static List<String> names(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void theComposeFileHasTheWholeTopologyAndMountsTheSharedFiles() throws Exception {
        assertThat(services()).containsKeys("influxdb-a", "influxdb-b", "relay-a", "relay-b", "loadbalancer",
                "udp-balancer", "hawtio");
        String compose = Files.readString(PROJECT.resolve("docker-compose.yml"));
        for (String shared : List.of("deploy/haproxy/haproxy.cfg", "deploy/nginx/udp-stream.conf.template")) {
            assertThat(compose).contains("./" + shared);
            assertThat(PROJECT.resolve(shared)).exists();
        }
        assertThat(PROJECT.resolve("Dockerfile")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theShardedComposeFileAddsTwoServersAndGivesEveryRelayTheSameShards() throws Exception {
        String file = "docker-compose.shards.yml";
        assertThat(services(file)).containsKeys("influxdb-c", "influxdb-d", "relay-a", "relay-b");
        for (String server : List.of("influxdb-c", "influxdb-d")) {
            assertThat(service(file, server).get("image")).isEqualTo(service("docker-compose.yml", "influxdb-a").get("image"));
            assertThat((Map<String, Object>) compose(file).get("volumes")).containsKey(server);
        }
        Map<String, Object> all = new LinkedHashMap<>(services());
        all.putAll(services(file));

        Map<String, String> first = null;
        for (String relay : List.of("relay-a", "relay-b")) {
            // the plain topology stays unsharded
            assertThat(environment(relay)).doesNotContainKey("RELAY_SHARDS");
            Map<String, String> env = mergedEnvironment(file, relay);
            List<String> backends = names(env.get("RELAY_BACKENDS"));
            assertThat(backends).as(relay).containsExactly("a", "b", "c", "d");
            for (String backend : backends) {
                String url = env.get(envName("relay.backend." + backend + ".url"));
                assertThat(url).as(relay + " " + backend).isEqualTo("http://influxdb-" + backend + ":8086");
                assertThat(all).containsKey("influxdb-" + backend);
            }
            List<String> shards = names(env.get(envName("relay.shards")));
            assertThat(shards).as(relay).containsExactly("s1", "s2");
            List<String> placed = new ArrayList<>();
            for (String shard : shards) {
                List<String> members = names(env.get(envName("relay.shard." + shard + ".backends")));
                assertThat(members).as(relay + " shard " + shard).isNotEmpty();
                placed.addAll(members);
            }
            // every backend in exactly one shard
            assertThat(placed).as(relay).containsExactlyInAnyOrderElementsOf(backends);
            assertThat(env.get(envName("relay.shard-key"))).isEqualTo("db,measurement");
            // the peers of docker-compose.yml are kept
            assertThat(env.get("RELAY_PEERS")).isEqualTo(relay.equals("relay-a") ? "http://relay-b:9096" : "http://relay-a:9096");
            List<String> dependsOn = (List<String>) service(file, relay).get("depends_on");
            assertThat(dependsOn).contains("influxdb-a", "influxdb-b", "influxdb-c", "influxdb-d");
            // both relays hash a key to the same shard only if they are configured alike
            Map<String, String> shardKeys = new LinkedHashMap<>(env);
            shardKeys.keySet().removeIf(k -> !k.startsWith("RELAY_SHARD") && !k.startsWith("RELAY_BACKEND"));
            if (first == null) {
                first = shardKeys;
            } else {
                assertThat(shardKeys).isEqualTo(first);
            }
        }
    }

    @Test
    void haproxyAcceptsTheSharedConfigurationWithComposesAddresses() throws Exception {
        String out = run(environment("loadbalancer"), "haproxy", "-c", "-f",
                PROJECT.resolve("deploy/haproxy/haproxy.cfg").toString());
        assertThat(out).contains("Configuration file is valid");
    }

    @Test
    void nginxAcceptsTheSharedUdpConfigurationWithComposesAddresses() throws Exception {
        Path dir = Files.createTempDirectory("nginx-check-");
        Path stream = dir.resolve("udp-stream.conf");
        Map<String, String> env = environment("udp-balancer");
        String rendered = run(env, "sh", "-c", "envsubst < " + PROJECT.resolve("deploy/nginx/udp-stream.conf.template"));
        // compose's relay names do not resolve here: check with loopback addresses in their place
        Files.writeString(stream, rendered.replace("relay-a:", "127.0.0.1:").replace("relay-b:", "127.0.0.1:"));
        Files.writeString(dir.resolve("nginx.conf"), "load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log") + ";\n"
                + "events {}\ninclude " + stream + ";\n");
        String out = run(Map.of(), "nginx", "-t", "-c", dir.resolve("nginx.conf").toString());
        assertThat(out).contains("test is successful");
    }
}
