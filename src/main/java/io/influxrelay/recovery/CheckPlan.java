package io.influxrelay.recovery;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.log.LogText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The start of a check: the (rp, measurement) pairs to compare, from both servers, so that a policy or
 * a measurement only one of them has is compared too (with nothing on the other side). rp "" is the
 * source's default policy (the target's when the source lacks the database).
 */
final class CheckPlan implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(CheckPlan.class);

    private final InfluxSchema schema;

    CheckPlan(InfluxSchema schema) {
        this.schema = schema;
    }

    @Override
    public void process(Exchange exchange) {
        CheckJob job = exchange.getProperty(RecoveryJob.PROPERTY, CheckJob.class);
        RangeSpec spec = job.spec();
        job.started();
        LOG.info("check {} started: {} against {}, db {}, rp {}, {} to {}, window {}", job.id(), job.from().name(),
                job.to().name(), LogText.escape(spec.db()), RecoveryJob.describeRp(spec.rp()),
                RecoveryJob.time(spec.startNs()), RecoveryJob.time(spec.endNs()), job.window());

        List<RetentionPolicy> fromRps = schema.retentionPolicies(job.from(), spec.db());
        List<RetentionPolicy> toRps = schema.retentionPolicies(job.to(), spec.db());
        Set<String> rps = new LinkedHashSet<>();
        if (spec.rp() == null) {
            fromRps.forEach(rp -> rps.add(rp.name()));
            toRps.forEach(rp -> rps.add(rp.name()));
        } else if (spec.rp().isEmpty()) {
            (fromRps.isEmpty() ? toRps : fromRps).stream().filter(RetentionPolicy::isDefault).findFirst()
                    .ifPresent(rp -> rps.add(rp.name()));
        } else {
            rps.add(spec.rp());
        }
        Set<String> measurements = new LinkedHashSet<>(spec.measurements());
        if (measurements.isEmpty()) {
            measurements.addAll(measurements(job.from(), spec.db(), fromRps));
            measurements.addAll(measurements(job.to(), spec.db(), toRps));
        }
        List<CheckStep> steps = new ArrayList<>();
        for (String rp : rps) {
            for (String m : measurements) {
                steps.add(new CheckStep(rp, m, has(fromRps, rp), has(toRps, rp)));
            }
        }
        job.planned(steps.size());
        exchange.getMessage().setBody(steps);
    }

    private List<String> measurements(BackendConfig backend, String db, List<RetentionPolicy> rps) {
        return rps.isEmpty() ? List.of() : schema.measurements(backend, db); // no policies: no database
    }

    private static boolean has(List<RetentionPolicy> rps, String name) {
        return rps.stream().anyMatch(rp -> rp.name().equals(name));
    }
}
