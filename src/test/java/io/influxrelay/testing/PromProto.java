package io.influxrelay.testing;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' remote-storage messages (prompb's remote.proto and types.proto, the fields InfluxDB 1.x reads)
 * as real protobuf descriptors, so tests build and read WriteRequest, ReadRequest and ReadResponse with the
 * protobuf library itself (DynamicMessage), not with the relay's own hand-rolled reader.
 */
public final class PromProto {
    private static final Descriptors.FileDescriptor FILE = file();
    public static final Descriptors.Descriptor WRITE_REQUEST = FILE.findMessageTypeByName("WriteRequest");
    public static final Descriptors.Descriptor TIME_SERIES = FILE.findMessageTypeByName("TimeSeries");
    public static final Descriptors.Descriptor LABEL = FILE.findMessageTypeByName("Label");
    public static final Descriptors.Descriptor SAMPLE = FILE.findMessageTypeByName("Sample");
    public static final Descriptors.Descriptor READ_REQUEST = FILE.findMessageTypeByName("ReadRequest");
    public static final Descriptors.Descriptor READ_RESPONSE = FILE.findMessageTypeByName("ReadResponse");
    public static final Descriptors.Descriptor QUERY = FILE.findMessageTypeByName("Query");
    public static final Descriptors.Descriptor LABEL_MATCHER = FILE.findMessageTypeByName("LabelMatcher");

    private PromProto() {
    }

    private static FieldDescriptorProto field(String name, int number, Type type, String typeName, boolean repeated) {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
        if (typeName != null) {
            f.setTypeName(typeName);
        }
        return f.build();
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            m.addField(f);
        }
        return m.build();
    }

    private static Descriptors.FileDescriptor file() {
        DescriptorProto matcher = message("LabelMatcher",
                field("type", 1, Type.TYPE_ENUM, ".prometheus.LabelMatcher.Type", false),
                field("name", 2, Type.TYPE_STRING, null, false),
                field("value", 3, Type.TYPE_STRING, null, false)).toBuilder()
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Type")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("EQ").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("NEQ").setNumber(1))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("RE").setNumber(2))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("NRE").setNumber(3)))
                .build();
        FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("prometheus/remote.proto")
                .setPackage("prometheus").setSyntax("proto3")
                .addMessageType(message("Sample",
                        field("value", 1, Type.TYPE_DOUBLE, null, false),
                        field("timestamp", 2, Type.TYPE_INT64, null, false)))
                .addMessageType(message("Label",
                        field("name", 1, Type.TYPE_STRING, null, false),
                        field("value", 2, Type.TYPE_STRING, null, false)))
                .addMessageType(message("TimeSeries",
                        field("labels", 1, Type.TYPE_MESSAGE, ".prometheus.Label", true),
                        field("samples", 2, Type.TYPE_MESSAGE, ".prometheus.Sample", true)))
                .addMessageType(message("WriteRequest",
                        field("timeseries", 1, Type.TYPE_MESSAGE, ".prometheus.TimeSeries", true)))
                .addMessageType(matcher)
                .addMessageType(message("Query",
                        field("start_timestamp_ms", 1, Type.TYPE_INT64, null, false),
                        field("end_timestamp_ms", 2, Type.TYPE_INT64, null, false),
                        field("matchers", 3, Type.TYPE_MESSAGE, ".prometheus.LabelMatcher", true)))
                .addMessageType(message("ReadRequest",
                        field("queries", 1, Type.TYPE_MESSAGE, ".prometheus.Query", true)))
                .addMessageType(message("QueryResult",
                        field("timeseries", 1, Type.TYPE_MESSAGE, ".prometheus.TimeSeries", true)))
                .addMessageType(message("ReadResponse",
                        field("results", 1, Type.TYPE_MESSAGE, ".prometheus.QueryResult", true)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(proto, new Descriptors.FileDescriptor[0]);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One series: its labels (__name__ included, in the order given) and samples (time in ms, value). */
    public record Series(Map<String, String> labels, List<long[]> times, List<Double> values) {
        public static Series of(String name, Map<String, String> labels) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("__name__", name);
            all.putAll(labels);
            return new Series(all, new ArrayList<>(), new ArrayList<>());
        }

        public Series sample(long millis, double value) {
            times.add(new long[]{millis});
            values.add(value);
            return this;
        }

        public String name() {
            return labels.get("__name__");
        }
    }

    public static DynamicMessage timeSeries(Series s) {
        DynamicMessage.Builder ts = DynamicMessage.newBuilder(TIME_SERIES);
        s.labels().forEach((k, v) -> ts.addRepeatedField(TIME_SERIES.findFieldByName("labels"),
                DynamicMessage.newBuilder(LABEL).setField(LABEL.findFieldByName("name"), k)
                        .setField(LABEL.findFieldByName("value"), v).build()));
        for (int i = 0; i < s.times().size(); i++) {
            ts.addRepeatedField(TIME_SERIES.findFieldByName("samples"), DynamicMessage.newBuilder(SAMPLE)
                    .setField(SAMPLE.findFieldByName("value"), s.values().get(i))
                    .setField(SAMPLE.findFieldByName("timestamp"), s.times().get(i)[0]).build());
        }
        return ts.build();
    }

    /** A WriteRequest of these series, serialized (not compressed). */
    public static byte[] writeRequest(List<Series> series) {
        DynamicMessage.Builder w = DynamicMessage.newBuilder(WRITE_REQUEST);
        for (Series s : series) {
            w.addRepeatedField(WRITE_REQUEST.findFieldByName("timeseries"), timeSeries(s));
        }
        return w.build().toByteArray();
    }

    /** A ReadRequest of one query: [start, end] ms and matchers {type, name, value} (type 0 EQ, 2 RE). */
    public static byte[] readRequest(long startMs, long endMs, Object[]... matchers) {
        DynamicMessage.Builder q = DynamicMessage.newBuilder(QUERY)
                .setField(QUERY.findFieldByName("start_timestamp_ms"), startMs)
                .setField(QUERY.findFieldByName("end_timestamp_ms"), endMs);
        for (Object[] m : matchers) {
            q.addRepeatedField(QUERY.findFieldByName("matchers"), DynamicMessage.newBuilder(LABEL_MATCHER)
                    .setField(LABEL_MATCHER.findFieldByName("type"),
                            LABEL_MATCHER.findEnumTypeByName("Type").findValueByNumber((Integer) m[0]))
                    .setField(LABEL_MATCHER.findFieldByName("name"), m[1])
                    .setField(LABEL_MATCHER.findFieldByName("value"), m[2]).build());
        }
        return DynamicMessage.newBuilder(READ_REQUEST).addRepeatedField(READ_REQUEST.findFieldByName("queries"), q.build())
                .build().toByteArray();
    }

    /** A ReadResponse of these results (per query, its series), serialized (not compressed). */
    public static byte[] readResponseOf(List<List<Series>> results) {
        Descriptors.Descriptor queryResult = FILE.findMessageTypeByName("QueryResult");
        DynamicMessage.Builder r = DynamicMessage.newBuilder(READ_RESPONSE);
        for (List<Series> result : results) {
            DynamicMessage.Builder qr = DynamicMessage.newBuilder(queryResult);
            result.forEach(s -> qr.addRepeatedField(queryResult.findFieldByName("timeseries"), timeSeries(s)));
            r.addRepeatedField(READ_RESPONSE.findFieldByName("results"), qr.build());
        }
        return r.build().toByteArray();
    }

    /** A ReadResponse read back: per result, its series as {labels, samples}. */
    public static List<List<Series>> readResponse(byte[] uncompressed) {
        try {
            DynamicMessage r = DynamicMessage.parseFrom(READ_RESPONSE, uncompressed);
            List<List<Series>> results = new ArrayList<>();
            for (Object result : (List<?>) r.getField(READ_RESPONSE.findFieldByName("results"))) {
                DynamicMessage qr = (DynamicMessage) result;
                List<Series> series = new ArrayList<>();
                for (Object o : (List<?>) qr.getField(qr.getDescriptorForType().findFieldByName("timeseries"))) {
                    series.add(series((DynamicMessage) o));
                }
                results.add(series);
            }
            return results;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Series> parseWriteRequest(byte[] uncompressed) {
        try {
            DynamicMessage w = DynamicMessage.parseFrom(WRITE_REQUEST, uncompressed);
            List<Series> series = new ArrayList<>();
            for (Object o : (List<?>) w.getField(WRITE_REQUEST.findFieldByName("timeseries"))) {
                series.add(series((DynamicMessage) o));
            }
            return series;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Series series(DynamicMessage ts) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Object l : (List<?>) ts.getField(TIME_SERIES.findFieldByName("labels"))) {
            DynamicMessage label = (DynamicMessage) l;
            labels.put((String) label.getField(LABEL.findFieldByName("name")), (String) label.getField(LABEL.findFieldByName("value")));
        }
        Series s = new Series(labels, new ArrayList<>(), new ArrayList<>());
        for (Object o : (List<?>) ts.getField(TIME_SERIES.findFieldByName("samples"))) {
            DynamicMessage sample = (DynamicMessage) o;
            s.sample((Long) sample.getField(SAMPLE.findFieldByName("timestamp")), (Double) sample.getField(SAMPLE.findFieldByName("value")));
        }
        return s;
    }

    public static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] unsnappy(byte[] compressed) {
        try {
            return Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
