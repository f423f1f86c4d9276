package io.influxrelay.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a key's value comes from, highest first: JVM system property, environment variable
 * (RELAY_HTTP_PORT for relay.http.port), then config/application.properties. Camel's property
 * placeholders use the same order, so YAML routes and Java see the same values.
 */
public final class ConfigSource {
    private final Properties file;
    private final Map<String, String> env;
    private final Properties system;

    ConfigSource(Properties file, Map<String, String> env, Properties system) {
        this.file = file;
        this.env = env;
        this.system = system;
    }

    public static ConfigSource load(Path propertiesFile) {
        if (!Files.isRegularFile(propertiesFile)) {
            throw new ConfigException("relay.home", "no configuration file at " + propertiesFile.toAbsolutePath());
        }
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            file.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("relay.home", "cannot read " + propertiesFile + ": " + e.getMessage());
        }
        return new ConfigSource(file, System.getenv(), System.getProperties());
    }

    /** Test seam: only the given properties. */
    public static ConfigSource of(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return new ConfigSource(p, Map.of(), new Properties());
    }

    public Optional<String> get(String key) {
        String value = system.getProperty(key);
        if (value == null) {
            value = env.get(envName(key));
        }
        if (value == null) {
            value = file.getProperty(key);
        }
        return Optional.ofNullable(value).map(String::trim);
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
