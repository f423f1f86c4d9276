package io.influxrelay.recovery;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.Json;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The management port's operations, bean methods for routes/management.yaml: start a check or a resync,
 * follow a job, read the missing-data ledger. Jobs run in the background; a client polls
 * /relay/jobs/ID (bin/relay-admin does, with a progress bar).
 */
public final class RecoveryOperations {
    private final Map<String, BackendConfig> backends = new LinkedHashMap<>();
    private final RecoveryJobs jobs;
    private final MissingData ledger;
    private final Duration checkWindow;
    private AutoRecovery recovery;

    public RecoveryOperations(List<BackendConfig> backends, RecoveryJobs jobs, MissingData ledger, Duration checkWindow) {
        backends.forEach(b -> this.backends.put(b.name(), b));
        this.jobs = jobs;
        this.ledger = ledger;
        this.checkWindow = checkWindow;
    }

    public void check(Exchange exchange) {
        start(exchange, r -> new CheckJob(jobs.nextId("check"), r.from(), r.to(), r.spec(), r.window()));
    }

    public void resync(Exchange exchange) {
        start(exchange, r -> new ResyncJob(jobs.nextId("resync"), r.from(), r.to(), r.spec()));
    }

    private void start(Exchange exchange, java.util.function.Function<OperationRequest, RecoveryJob> job) {
        try {
            OperationRequest request = OperationRequest.parse(exchange.getIn().getBody(String.class), backends, checkWindow);
            InfluxResponses.json(exchange, 202, jobs.start(job.apply(request)).toJson());
        } catch (OperationRequest.Refused e) {
            InfluxResponses.json(exchange, e.status, error(e.getMessage()));
        }
    }

    /** POST /rebalance: {"dryRun":true} only plans (the keys that move, with their points). */
    public void rebalance(Exchange exchange) {
        boolean dryRun;
        try {
            String body = exchange.getIn().getBody(String.class);
            dryRun = body != null && !body.isBlank() && LedgerJson.MAPPER.readTree(body).path("dryRun").asBoolean(false);
        } catch (java.io.IOException e) {
            InfluxResponses.json(exchange, 400, error("the request is not JSON"));
            return;
        }
        InfluxResponses.json(exchange, 202, jobs.start(new RebalanceJob(jobs.nextId("rebalance"), false, dryRun)).toJson());
    }

    /** POST /rebalance/finish: delete the moved keys from their old shards. */
    public void rebalanceFinish(Exchange exchange) {
        InfluxResponses.json(exchange, 202, jobs.start(new RebalanceJob(jobs.nextId("rebalance"), true, false)).toJson());
    }

    /** GET /jobs/ID. */
    public void job(Exchange exchange) {
        String id = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class).substring("/jobs/".length());
        jobs.get(id).ifPresentOrElse(j -> InfluxResponses.json(exchange, 200, j.toJson()),
                () -> InfluxResponses.json(exchange, 404, error("no such job: " + id)));
    }

    /** GET /jobs: the recent ones, oldest first. */
    public void jobs(Exchange exchange) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        List<RecoveryJob> all = jobs.all();
        for (int i = 0; i < all.size(); i++) {
            b.append(i > 0 ? "," : "").append(all.get(i).toJson());
        }
        InfluxResponses.json(exchange, 200, b.append("]}").toString());
    }

    /** GET /missing-data: the ledger. */
    public void missingData(Exchange exchange) {
        InfluxResponses.json(exchange, 200, LedgerJson.document(ledger.snapshot()));
    }

    /** The repairs an operator starts now ({@link #recover}) are automatic recovery's. */
    public void connect(AutoRecovery recovery) {
        this.recovery = recovery;
    }

    /** POST /missing-data/NAME/recover: repair the backend's ranges now, whether automatic recovery is on or not. */
    public void recover(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        String name = path.substring("/missing-data/".length(), path.length() - "/recover".length());
        if (!backends.containsKey(name)) {
            InfluxResponses.json(exchange, 404, error("unknown backend: " + name));
            return;
        }
        AutoRecovery.Readiness ready = recovery.now(name);
        if (ready.why() != null) {
            InfluxResponses.json(exchange, 409, error("nothing to repair now: " + ready.why()));
            return;
        }
        if (ready.repairs().isEmpty()) {
            InfluxResponses.json(exchange, 409, error("nothing to repair now: the ranges of backend " + name + " are being repaired"));
            return;
        }
        jobs.repair(ready.repairs());
        InfluxResponses.json(exchange, 202, "{\"backend\":" + Json.quote(name) + ",\"ranges\":" + ready.repairs().size()
                + ",\"message\":" + Json.quote("repairing " + ready.repairs().size() + " ranges from "
                + ready.repairs().get(0).source().name() + " (GET /relay/jobs follows them)") + "}");
    }

    public void notFound(Exchange exchange) {
        InfluxResponses.json(exchange, 404, error("no such operation: "
                + exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class) + " /relay"
                + exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class)
                + " (POST /relay/check, POST /relay/resync, GET /relay/jobs, GET /relay/jobs/ID, GET /relay/missing-data, POST /relay/missing-data/NAME/recover, POST /relay/rebalance, POST /relay/rebalance/finish)"));
    }

    private static String error(String message) {
        return "{\"error\":" + Json.quote(message) + "}";
    }
}
