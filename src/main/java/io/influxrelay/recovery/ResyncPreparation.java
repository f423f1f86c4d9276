package io.influxrelay.recovery;

import io.influxrelay.backend.BackendRequest;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.log.LogText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The start of a resync: the retention policies to copy (resolved on the source), the database and
 * those policies created on the target where missing (as the source defines them), the measurements,
 * and the plan of chunks, left as the body for the split. Nothing existing on the target is altered.
 */
final class ResyncPreparation implements Processor {
    /** The exchange property holding the camel-http endpoint that posts to the target's /write. */
    static final String WRITE_ENDPOINT = "relay.resync.write";
    private static final Logger LOG = LoggerFactory.getLogger(ResyncPreparation.class);

    private final InfluxSchema schema;
    private final long chunkNs;

    ResyncPreparation(InfluxSchema schema, long chunkNs) {
        this.schema = schema;
        this.chunkNs = chunkNs;
    }

    @Override
    public void process(Exchange exchange) {
        ResyncJob job = exchange.getProperty(RecoveryJob.PROPERTY, ResyncJob.class);
        RangeSpec spec = job.spec();
        job.started();
        LOG.info("resync {} started: {} -> {}, db {}, rp {}, {} to {}, measurements {}", job.id(), job.from().name(),
                job.to().name(), LogText.escape(spec.db()), RecoveryJob.describeRp(spec.rp()),
                RecoveryJob.time(spec.startNs()), RecoveryJob.time(spec.endNs()),
                spec.measurements().isEmpty() ? "(all)" : LogText.escape(String.join(",", spec.measurements())));

        List<RetentionPolicy> policies = policiesToCopy(job.from(), spec);
        createMissing(job, policies);
        List<String> measurements = spec.measurements().isEmpty() ? schema.measurements(job.from(), spec.db()) : spec.measurements();
        ResyncPlan plan = new ResyncPlan(policies.stream().map(RetentionPolicy::name).toList(), measurements,
                spec.startNs(), spec.endNs(), chunkNs);
        job.planned(plan.size());
        exchange.setProperty(WRITE_ENDPOINT, BackendRequest.post(job.to(), "/write", false));
        exchange.getMessage().setBody(plan.iterator());
    }

    private List<RetentionPolicy> policiesToCopy(BackendConfig source, RangeSpec spec) {
        List<RetentionPolicy> all = schema.retentionPolicies(source, spec.db());
        if (all.isEmpty()) {
            throw new RecoveryException(source.name() + " has no database " + spec.db());
        }
        if (spec.rp() == null) {
            return all;
        }
        for (RetentionPolicy rp : all) {
            if (spec.rp().isEmpty() ? rp.isDefault() : rp.name().equals(spec.rp())) {
                return List.of(rp);
            }
        }
        throw new RecoveryException(source.name() + " has no retention policy "
                + (spec.rp().isEmpty() ? "marked default" : spec.rp()) + " on " + spec.db());
    }

    private void createMissing(ResyncJob job, List<RetentionPolicy> policies) {
        String db = job.spec().db();
        List<RetentionPolicy> missing = new ArrayList<>(policies);
        List<RetentionPolicy> onTarget = schema.retentionPolicies(job.to(), db);
        if (onTarget.isEmpty()) {
            // made with the source's default policy, so the target gets no "autogen" the source lacks
            RetentionPolicy defaultPolicy = policies.stream().filter(RetentionPolicy::isDefault).findFirst().orElse(null);
            schema.createDatabase(job.to(), db, defaultPolicy);
            job.databaseCreated(db);
            if (defaultPolicy != null) {
                job.retentionPolicyCreated(db, defaultPolicy.name());
                missing.remove(defaultPolicy);
            }
            onTarget = schema.retentionPolicies(job.to(), db);
        }
        for (RetentionPolicy rp : missing) {
            if (onTarget.stream().noneMatch(t -> t.name().equals(rp.name()))) {
                schema.createRetentionPolicy(job.to(), db, rp);
                job.retentionPolicyCreated(db, rp.name());
            }
        }
    }
}
