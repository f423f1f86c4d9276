package io.influxrelay.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryFlagsTest {

    private static RelayConfig config(String... keyValues) {
        Map<String, String> m = new java.util.HashMap<>(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", "http://127.0.0.1:8086",
                "relay.backend.b.url", "http://127.0.0.1:8087"));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return RelayConfig.from(ConfigSource.of(m));
    }

    @Test
    void theHeapHoldsEveryBufferInMemoryWithAFifthToSpare() {
        assertThat(MemoryFlags.jvmFlags(config("relay.buffer-size-mb", "32"))).contains("-Xmx205m");
        assertThat(MemoryFlags.jvmFlags(config("relay.buffer-size-mb", "32", "relay.backend.b.buffer.store", "disk")))
                .contains("-Xmx167m");
    }

    @Test
    void aJvmStartsWithTheFlags() throws Exception {
        // an -XX flag this JVM does not know would stop bin/relay's JVM at start
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(MemoryFlags.jvmFlags(config()).split(" ")));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
    }

    @Test
    void onlyFlagsThisJvmKnowsAreOffered() {
        assertThat(MemoryFlags.hasVmOption("MaxHeapFreeRatio")).isTrue();
        assertThat(MemoryFlags.hasVmOption("NoSuchFlagAnywhere")).isFalse();
    }
}
