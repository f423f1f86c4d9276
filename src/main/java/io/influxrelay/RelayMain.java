package io.influxrelay;

import io.influxrelay.backend.BackendRoutes;
import io.influxrelay.config.ConfigException;
import io.influxrelay.config.ConfigSource;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.query.QueryRoutes;
import io.influxrelay.udp.UdpRoutes;
import org.apache.camel.ManagementMBeansLevel;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the relay: reads and checks config/application.properties under the relay's home, then runs
 * Camel with the YAML routes of routes/ (reloaded when edited) and the Java routes per backend.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = home();
        RelayConfig config;
        try {
            config = RelayConfig.from(ConfigSource.load(home.resolve("config/application.properties")));
            checkPortFree("relay.http.port", config.httpHost(), config.httpPort());
            if (config.managementPort() > 0) {
                checkPortFree("relay.management.port", config.managementHost(), config.managementPort());
            }
            if (config.udp().enabled()) {
                checkUdpPortFree(config.udp().host(), config.udp().port());
            }
            checkDeadLetterDir(home.resolve(config.deadLetterDir()).toAbsolutePath().normalize());
        } catch (ConfigException e) {
            System.err.println("influxdb-relay: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(camel(home, config).run(args));
        } catch (Exception e) {
            // Camel logged the details; never leave a half-started process behind
            System.err.println("influxdb-relay: failed to start: " + e.getMessage());
            System.exit(1);
        }
    }

    static Main camel(Path home, RelayConfig config) {
        Path routes = home.resolve("routes").toAbsolutePath().normalize();
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + home.resolve("config/application.properties").toAbsolutePath());
        config.placeholders().forEach(main::addOverrideProperty);
        main.addOverrideProperty("relay.fanout.recipients", BackendRoutes.recipients(config.backends()));
        main.addOverrideProperty("relay.query.statement-recipients", QueryRoutes.statementRecipients(config.backends()));
        main.addOverrideProperty("relay.udp.recipients", BackendRoutes.recipients(UdpRoutes.httpBackends(config)));
        main.configure()
                .withName("influxdb-relay")
                .withRoutesIncludePattern("file:" + routes + "/*.yaml")
                .withRoutesReloadEnabled(true)
                .withRoutesReloadDirectory(routes.toString())
                .withRoutesReloadPattern("*.yaml")
                // the default also drops the Java routes (the backends) on every YAML reload
                .withRoutesReloadRemoveAllRoutes(false)
                // MBeans for the context and each route, not each step: per-step MBeans hold about 10 MB of
                // heap and time every step of every write (bench/RESULTS.md); camel.main.jmxManagementMBeansLevel
                // =Default brings them back (Hawtio's route diagrams show their figures)
                .withJmxManagementMBeansLevel(ManagementMBeansLevel.RoutesOnly)
                .addConfiguration(new RelayBeans(config, home));
        return main;
    }

    static Path home() {
        String home = System.getProperty("relay.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("RELAY_HOME");
        }
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /** A taken port would otherwise surface as a stack trace deep in Camel's start-up. */
    private static void checkUdpPortFree(String host, int port) {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigException("relay.udp.port", "cannot listen on udp " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The retry buffers are saved there at SIGTERM: a directory that cannot be written would lose them
     * all, long after a start that looked healthy. Created now, as the dead letters would create it.
     */
    private static void checkDeadLetterDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            String why = e instanceof FileAlreadyExistsException ? "a file is in the way"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new ConfigException("relay.dead-letter.dir", "cannot create directory " + dir + " (" + why + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("relay.dead-letter.dir", "directory " + dir + " is not writable");
        }
    }

    private static void checkPortFree(String key, String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigException(key, "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }
}
