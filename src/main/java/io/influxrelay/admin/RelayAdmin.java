package io.influxrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * bin/relay-admin: starts a check or resync on the relay's management port and follows it to the
 * end, or prints the missing-data ledger or the job list. Exit status 0 done (or the backends agree),
 * 1 a check found differences, 2 any failure. The job runs on the relay: interrupting this command
 * only stops watching it.
 */
public final class RelayAdmin {
    static final int OK = 0, DIFFERENCES = 1, FAILURE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Duration poll;
    private final Map<String, String> env;
    private final Path home;
    private final String arrow;
    /** The job being watched, for the one line Ctrl-C prints; null once it finished. */
    private final AtomicReference<String> watching = new AtomicReference<>();

    RelayAdmin(PrintStream out, PrintStream err, boolean terminal, Duration poll, Map<String, String> env, Path home) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.poll = poll;
        this.env = env;
        this.home = home;
        // a terminal in a non-UTF-8 locale would print the arrow as '?'
        this.arrow = Charset.defaultCharset().newEncoder().canEncode('→') ? "→" : "->";
    }

    public static void main(String[] args) {
        RelayAdmin admin = new RelayAdmin(System.out, System.err, System.console() != null,
                Duration.ofMillis(250), System.getenv(), RelayAddress.home());
        int status = admin.run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String[] argv) {
        AdminArgs args;
        try {
            args = AdminArgs.parse(argv, Instant.now());
        } catch (UsageException e) {
            err.println("relay-admin: " + e.getMessage());
            err.println(AdminArgs.USAGE);
            return FAILURE;
        }
        try {
            if (args.command().equals("help")) {
                out.print(AdminArgs.HELP);
                return OK;
            }
            RelayClient relay = new RelayClient(RelayAddress.resolve(args.relay(), env, home), env.get("RELAY_ADMIN_CA"));
            return switch (args.command()) {
                case "check", "resync" -> follow(relay, relay.post("/relay/" + args.command(), request(args)), args.json());
                case "recover" -> recover(relay, args);
                case "rebalance" -> follow(relay, "finish".equals(args.backend())
                        ? relay.post("/relay/rebalance/finish", RelayClient.JSON.createObjectNode())
                        : relay.post("/relay/rebalance", RelayClient.JSON.createObjectNode().put("dryRun", "dry-run".equals(args.backend()))),
                        args.json());
                case "missing" -> print(relay.get("/relay/missing-data"), args.json(), new Reports(arrow)::missing);
                default -> print(relay.get("/relay/jobs"), args.json(), new Reports(arrow)::jobs);
            };
        } catch (AdminException e) {
            err.println("relay-admin: " + e.getMessage());
            return FAILURE;
        }
    }

    /** The body of POST /relay/check and /relay/resync; times in nanoseconds, rp null for the default. */
    static ObjectNode request(AdminArgs args) {
        ObjectNode body = RelayClient.JSON.createObjectNode();
        body.put("from", args.from()).put("to", args.to()).put("db", args.db()).put("rp", args.rp())
                .put("start", args.start()).put("end", args.end());
        ArrayNode measurements = body.putArray("measurements");
        args.measurements().forEach(measurements::add);
        if (args.command().equals("check") && args.window() != null) {
            body.put("window", args.window());
        }
        return body;
    }

    private int recover(RelayClient relay, AdminArgs args) {
        JsonNode answer = relay.post("/relay/missing-data/" + segment(args.backend()) + "/recover",
                RelayClient.JSON.createObjectNode());
        if (answer.has("id") && answer.has("state")) {
            return follow(relay, answer, args.json());
        }
        out.println(pretty(answer));
        return OK;
    }

    private int follow(RelayClient relay, JsonNode started, boolean json) {
        Job job = new Job(started);
        ProgressDisplay display = new ProgressDisplay(err, terminal && !json, arrow, System::currentTimeMillis);
        Thread hook = new Thread(() -> {
            String id = watching.get();
            if (id != null) {
                err.println((terminal ? "\n" : "") + "relay-admin: stopped watching; " + id
                        + " keeps running on the relay (relay-admin jobs --relay " + relay.base() + ")");
            }
        });
        watching.set(job.id());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!job.finished()) {
                if (!json) {
                    display.show(job);
                }
                sleep();
                job = new Job(relay.get("/relay/jobs/" + segment(job.id())));
            }
        } catch (AdminException e) {
            display.clear();
            throw new AdminException(e.getMessage() + "; " + job.id() + " may still be running on the relay");
        } finally {
            watching.set(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook has run
            }
        }
        display.clear();
        return finish(job, json);
    }

    private int finish(Job job, boolean json) {
        if (json) {
            out.println(pretty(job.json()));
        }
        if (job.failed()) {
            err.println("relay-admin: " + job.kind() + " " + job.id() + " failed: " + (job.error() == null ? "no reason given" : job.error()));
            return FAILURE;
        }
        boolean check = job.kind().equals("check");
        if (!json) {
            out.print(check ? new Reports(arrow).check(job) : job.kind().startsWith("rebalance") ? new Reports(arrow).rebalance(job)
                    : new Reports(arrow).resync(job));
        }
        return check && !job.result().path("agrees").asBoolean(false) ? DIFFERENCES : OK;
    }

    private int print(JsonNode answer, boolean json, java.util.function.Function<JsonNode, String> report) {
        out.print(json ? pretty(answer) + "\n" : report.apply(answer));
        return OK;
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String pretty(JsonNode json) {
        try {
            return RelayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
