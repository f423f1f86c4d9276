package io.influxrelay.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line, checked before anything is sent: a subcommand, its options (--name value or
 * --name=value, in any order, --measurement repeatable) and the global --relay and --json.
 */
record AdminArgs(String command, String relay, boolean json,
                 String from, String to, String db, String rp, Long start, Long end,
                 List<String> measurements, String window, String backend) {

    static final String USAGE = "usage: relay-admin [--relay URL] check|resync|missing|jobs|recover|rebalance|help [options] (relay-admin help)";

    /** The options each subcommand takes (--json alone takes no value). */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "check", Set.of("from", "to", "db", "rp", "start", "end", "measurement", "window", "json", "relay"),
            "resync", Set.of("from", "to", "db", "rp", "start", "end", "measurement", "json", "relay"),
            "missing", Set.of("json", "relay"),
            "jobs", Set.of("json", "relay"),
            "recover", Set.of("json", "relay"),
            "rebalance", Set.of("json", "relay", "dry-run", "finish"),
            "help", Set.of("relay"));

    static AdminArgs parse(String[] args, Instant now) {
        String command = null;
        String relay = null;
        boolean json = false;
        String from = null, to = null, db = null, rp = null, start = null, end = null, window = null, backend = null;
        List<String> measurements = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return help(relay);
            }
            if (!arg.startsWith("--")) {
                if (command == null) {
                    command = arg;
                    if (!OPTIONS.containsKey(command)) {
                        throw new UsageException("unknown command '" + command + "'");
                    }
                } else if (command.equals("recover") && backend == null) {
                    backend = arg;
                } else {
                    throw new UsageException("unexpected argument '" + arg + "'");
                }
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("json") || name.equals("dry-run") || name.equals("finish")) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                json |= name.equals("json");
                if (!name.equals("json")) {
                    backend = name; // rebalance's mode
                }
                options.add(name);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            options.add(name);
            switch (name) {
                case "relay" -> relay = value;
                case "from" -> from = value;
                case "to" -> to = value;
                case "db" -> db = value;
                case "rp" -> rp = value;
                case "start" -> start = value;
                case "end" -> end = value;
                case "window" -> window = value;
                case "measurement" -> measurements.add(value);
                default -> throw new UsageException("unknown option --" + name);
            }
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        for (String option : options) {
            if (!OPTIONS.get(command).contains(option)) {
                throw new UsageException(command + " takes no --" + option);
            }
        }
        if (command.equals("help")) {
            return help(relay);
        }
        if (command.equals("recover") && backend == null) {
            throw new UsageException("recover needs a backend name");
        }
        if (command.equals("rebalance") && options.contains("dry-run") && options.contains("finish")) {
            throw new UsageException("rebalance takes --dry-run or --finish, not both");
        }
        if (!command.equals("check") && !command.equals("resync")) {
            return new AdminArgs(command, relay, json, null, null, null, null, null, null, List.of(), null, backend);
        }
        require("--from", from);
        require("--to", to);
        require("--db", db);
        require("--start", start);
        require("--end", end);
        if (from.equals(to)) {
            throw new UsageException("--from and --to name the same backend");
        }
        long startNs = TimeArg.parse("--start", start, now);
        long endNs = TimeArg.parse("--end", end, now);
        if (startNs >= endNs) {
            throw new UsageException("--start (" + TimeArg.format(startNs) + ") must come before --end (" + TimeArg.format(endNs) + ")");
        }
        if (window != null && !TimeArg.isDuration(window)) {
            throw new UsageException("--window '" + window + "' is not a duration (examples: 1h, 30m, 1d)");
        }
        return new AdminArgs(command, relay, json, from, to, db, rp == null || rp.isEmpty() ? null : rp,
                startNs, endNs, List.copyOf(measurements), window, null);
    }

    private static AdminArgs help(String relay) {
        return new AdminArgs("help", relay, false, null, null, null, null, null, null, List.of(), null, null);
    }

    private static void require(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new UsageException(option + " is required");
        }
    }

    static final String HELP = """
            relay-admin: the relay's repair jobs and missing-data ledger, from its management port

              relay-admin check  --from A --to B --db DB [--rp RP] --start T --end T [--measurement M]... [--window 1h] [--json]
                  compares counts and sums per window between two backends; exit 1 if they differ
              relay-admin resync --from A --to B --db DB [--rp RP] --start T --end T [--measurement M]... [--json]
                  copies the points of that range from backend A to backend B
              relay-admin missing [--json]
                  the time ranges each backend missed (the relay's ledger)
              relay-admin jobs [--json]
                  the relay's check and resync jobs
              relay-admin recover BACKEND [--json]
                  copies to BACKEND what the ledger says it missed
              relay-admin rebalance [--dry-run | --finish] [--json]
                  moves the keys whose shard changed (relay.shards.previous set); --dry-run lists them with
                  their points; --finish deletes them from their old shards once reads moved
              relay-admin help

            Times: 2026-11-30T10:00:00Z (RFC3339, any offset, fractions), 2026-11-30 (midnight UTC), now,
            now-2h or -2h (units ns us ms s m h d w), or nanoseconds since the epoch.
            --relay URL: the relay's management server; default $RELAY_ADMIN_URL, else
            relay.management.host/port of the relay's config/application.properties, else http://127.0.0.1:9097.
            An https:// management port (relay.management.tls.*) is checked against $RELAY_ADMIN_CA (a PEM file
            of the CA that signed its certificate), else the JVM's trust store.
            A job keeps running on the relay when relay-admin is interrupted.
            Exit status: 0 done (check: the backends agree), 1 check found differences, 2 failure.
            """;
}
