package io.influxrelay.recovery;

import io.influxrelay.config.BackendConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a check: a measurement's count (and, for numbers, sum) of every field per window on both
 * servers, both answers streamed and walked side by side in time order; every (field, window) whose
 * counts or sums differ is a difference. Floats may differ by a relative 1e-9 (the sum's order of
 * addition varies); integers must be equal.
 */
final class WindowComparison implements Processor {
    private static final double FLOAT_TOLERANCE = 1e-9;

    private final InfluxHttp http;
    private final InfluxSchema schema;

    WindowComparison(InfluxHttp http, InfluxSchema schema) {
        this.http = http;
        this.schema = schema;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        CheckJob job = exchange.getProperty(RecoveryJob.PROPERTY, CheckJob.class);
        job.throwIfCancelled();
        CheckStep step = exchange.getMessage().getBody(CheckStep.class);
        String db = job.spec().db();
        Map<String, FieldType> fromTypes = step.rpOnFrom() ? schema.fieldTypes(job.from(), db, step.rp(), step.measurement()) : Map.of();
        Map<String, FieldType> toTypes = step.rpOnTo() ? schema.fieldTypes(job.to(), db, step.rp(), step.measurement()) : Map.of();
        Map<String, FieldType> union = new LinkedHashMap<>(toTypes);
        union.putAll(fromTypes); // the source's type where the two disagree
        List<String> fields = new ArrayList<>(union.keySet());
        boolean[] summed = new boolean[fields.size()];
        for (int i = 0; i < summed.length; i++) {
            FieldType a = fromTypes.get(fields.get(i));
            FieldType b = toTypes.get(fields.get(i));
            // a sum of a string fails the query: only where every side that has the field has it as a number
            summed[i] = (a == null || a.numeric()) && (b == null || b.numeric()) && (a == null || b == null || a == b);
        }
        try {
            compare(job, step, fields, union, fromTypes, toTypes, summed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a float sum that overflows (near Double.MAX_VALUE) is +Inf, which influxd cannot put in JSON:
            // it answers "json: unsupported value" instead. Such a measurement is compared by counts alone.
            boolean floatsSummed = false;
            for (int i = 0; i < summed.length; i++) {
                floatsSummed |= summed[i] && union.get(fields.get(i)) == FieldType.FLOAT;
                summed[i] &= union.get(fields.get(i)) != FieldType.FLOAT;
            }
            if (!floatsSummed) {
                throw e;
            }
            compare(job, step, fields, union, fromTypes, toTypes, summed);
        }
        job.stepDone();
    }

    private void compare(CheckJob job, CheckStep step, List<String> fields, Map<String, FieldType> union,
                         Map<String, FieldType> fromTypes, Map<String, FieldType> toTypes, boolean[] summed) throws IOException {
        try (InfluxHttp.RowStream fromAnswer = select(job, job.from(), step, fields, fromTypes, summed);
             InfluxHttp.RowStream toAnswer = select(job, job.to(), step, fields, toTypes, summed)) {
            compare(job, step, fields, union, new WindowRows(fromAnswer == null ? null : fromAnswer.rows(), fields.size()),
                    new WindowRows(toAnswer == null ? null : toAnswer.rows(), fields.size()));
        }
    }

    private InfluxHttp.RowStream select(CheckJob job, BackendConfig backend, CheckStep step, List<String> fields,
                                        Map<String, FieldType> present, boolean[] summed) {
        if (present.isEmpty()) {
            return null;
        }
        StringBuilder q = new StringBuilder("SELECT ");
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (!present.containsKey(field)) {
                continue;
            }
            if (q.length() > 7) {
                q.append(", ");
            }
            q.append("count(").append(InfluxQl.ident(field)).append(") AS \"c").append(i).append('"');
            if (summed[i]) {
                q.append(", sum(").append(InfluxQl.ident(field)).append(") AS \"s").append(i).append('"');
            }
        }
        RangeSpec spec = job.spec();
        q.append(" FROM ").append(InfluxQl.source(spec.db(), step.rp(), step.measurement()))
                .append(" WHERE ").append(InfluxQl.timeRange(spec.startNs(), spec.endNs()))
                .append(" GROUP BY time(").append(InfluxQl.window(job.window())).append(") fill(none)");
        return http.select(backend, spec.db(), q.toString());
    }

    private static void compare(CheckJob job, CheckStep step, List<String> fields, Map<String, FieldType> types,
                                WindowRows from, WindowRows to) throws IOException {
        from.next();
        to.next();
        long windowNs = job.window().toNanos();
        while (from.current() != null || to.current() != null) {
            long time = Math.min(from.current() == null ? Long.MAX_VALUE : from.current().time(),
                    to.current() == null ? Long.MAX_VALUE : to.current().time());
            WindowRows.Window a = from.current() != null && from.current().time() == time ? from.current() : null;
            WindowRows.Window b = to.current() != null && to.current().time() == time ? to.current() : null;
            long start = Math.max(time, job.spec().startNs());
            long end = Math.min(time + windowNs, job.spec().endNs());
            for (int f = 0; f < fields.size(); f++) {
                long fromCount = a == null ? 0 : a.counts()[f];
                long toCount = b == null ? 0 : b.counts()[f];
                NumberText fromSum = a == null ? null : a.sums()[f];
                NumberText toSum = b == null ? null : b.sums()[f];
                if (fromCount != toCount || !sumsAgree(types.get(fields.get(f)), fromSum, toSum)) {
                    job.differs(new WindowDifference(step.rp(), step.measurement(), fields.get(f), start, end,
                            fromCount, toCount, fromSum == null ? null : fromSum.asDouble(), toSum == null ? null : toSum.asDouble()));
                }
            }
            job.windowCompared(a == null ? 0 : a.points(), b == null ? 0 : b.points());
            if (a != null) {
                from.next();
            }
            if (b != null) {
                to.next();
            }
        }
    }

    static boolean sumsAgree(FieldType type, NumberText a, NumberText b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (type == FieldType.INTEGER) {
            return new java.math.BigDecimal(a.text()).compareTo(new java.math.BigDecimal(b.text())) == 0;
        }
        double x = a.asDouble();
        double y = b.asDouble();
        return x == y || Math.abs(x - y) <= FLOAT_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }
}
