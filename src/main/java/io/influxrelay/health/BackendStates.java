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
    private final MissingDataView missingData;

    public BackendStates(List<BackendConfig> backends, RetryBuffers buffers) {
        this(backends, buffers, MissingDataView.NONE);
    }

    public BackendStates(List<BackendConfig> backends, RetryBuffers buffers, MissingDataView missingData) {
        this.missingData = missingData;
        for (BackendConfig b : backends) {
            byName.put(b.name(), new BackendHealth(b, buffers.of(b.name()), missingData));
        }
    }

    /** The missing-data ledger, as health sees it. */
    public MissingDataView missingData() {
        return missingData;
    }

    /** The backend's health, or null for a name that is not configured. */
    public BackendHealth of(String name) {
        return byName.get(name);
    }

    public Collection<BackendHealth> all() {
        return byName.values();
    }
}
