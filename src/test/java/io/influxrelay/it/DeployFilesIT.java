package io.influxrelay.it;

import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no container engine), so its parts are checked: the compose
 * file parses and names the shared configuration files, and HAProxy and nginx accept those files
 * with the addresses compose gives them (haproxy -c, nginx -t).
 */
class DeployFilesIT {
    private static final Path PROJECT = RelayProcess.projectDir();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws Exception {
        Object compose = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(PROJECT.resolve("docker-compose.yml")));
        return (Map<String, Object>) ((Map<String, Object>) compose).get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) throws Exception {
        return (Map<String, String>) ((Map<String, Object>) services().get(service)).get("environment");
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
