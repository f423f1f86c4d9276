package io.influxrelay.health;

import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every backend's {@link BackendHealth}, in configured order. */
public final class BackendStates {
    private final Map<String, BackendHealth> byName = new LinkedHashMap<>();

    public BackendStates(List<BackendConfig> backends, RetryBuffers buffers) {
        for (BackendConfig b : backends) {
            byName.put(b.name(), new BackendHealth(b, buffers.of(b.name())));
        }
    }

    /** The backend's health, or null for a name that is not configured. */
    public BackendHealth of(String name) {
        return byName.get(name);
    }

    public Collection<BackendHealth> all() {
        return byName.values();
    }
}
