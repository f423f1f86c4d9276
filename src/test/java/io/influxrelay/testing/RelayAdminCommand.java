package io.influxrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bin/relay-admin as an operator runs it, against a test relay's management port. */
public final class RelayAdminCommand {
    /** What the command printed, and its exit status. */
    public record Result(int exit, String out, String err) {
    }

    private RelayAdminCommand() {
    }

    public static Result run(RelayProcess relay, String... args) {
        return run(java.util.Map.of("RELAY_ADMIN_URL", relay.managementUrl()), args);
    }

    /** With this environment (RELAY_ADMIN_URL, RELAY_ADMIN_CA, ...). */
    public static Result run(java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(RelayProcess.projectDir().resolve("bin/relay-admin").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            byte[][] err = new byte[1][];
            Thread errors = new Thread(() -> {
                try {
                    err[0] = p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    err[0] = new byte[0];
                }
            });
            errors.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bin/relay-admin " + String.join(" ", args) + " did not end in 300 s");
            }
            errors.join();
            return new Result(p.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
