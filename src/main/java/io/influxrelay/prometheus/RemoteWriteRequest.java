package io.influxrelay.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus remote-write {@code WriteRequest}, uncompressed, read only as far as the relay needs it: each
 * {@code TimeSeries} (field 1) as its raw bytes (tag and length included, so a request regrouped from them
 * holds byte-identical series), its metric name ({@code __name__}, InfluxDB's measurement), the value of one
 * label (a {@code tag=<key>} shard key), its sample count and time range. Every other field (metadata,
 * exemplars, histograms) is skipped here and kept in {@link #rest()}.
 */
record RemoteWriteRequest(byte[] bytes, List<Series> series, byte[] rest) {
    static final String METRIC_NAME = "__name__";

    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int TIMESERIES_LABELS = 1;
    private static final int TIMESERIES_SAMPLES = 2;
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int SAMPLE_TIMESTAMP = 2;

    /**
     * One series: {@code bytes()[from, to)} is its whole field. {@code label}: the value of the label asked
     * for, or null. Times in milliseconds, as Prometheus sends them.
     */
    record Series(int from, int to, String metric, String label, int samples, long minMillis, long maxMillis) {
    }

    /** Reads the series; {@code labelKey}: the label whose value each series reports, or null. */
    static RemoteWriteRequest parse(byte[] bytes, String labelKey) throws BadRemoteBody {
        List<Series> series = new ArrayList<>();
        java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            while (true) {
                int from = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (tag == tag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    Series s = series(in, from, labelKey);
                    in.popLimit(limit);
                    series.add(new Series(from, in.getTotalBytesRead(), s.metric(), s.label(), s.samples(),
                            s.minMillis(), s.maxMillis()));
                } else {
                    in.skipField(tag);
                    rest.write(bytes, from, in.getTotalBytesRead() - from);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BadRemoteBody(400, "not a Prometheus remote-write request: " + e.getMessage());
        }
        return new RemoteWriteRequest(bytes, series, rest.toByteArray());
    }

    private static Series series(CodedInputStream in, int from, String labelKey) throws IOException {
        String metric = null;
        String label = null;
        int samples = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == tag(TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                String name = null;
                String value = null;
                while (!in.isAtEnd()) {
                    int t = in.readTag();
                    if (t == tag(LABEL_NAME, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        name = in.readString();
                    } else if (t == tag(LABEL_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        value = in.readString();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                if (METRIC_NAME.equals(name)) {
                    metric = value;
                } else if (name != null && name.equals(labelKey)) {
                    label = value;
                }
            } else if (tag == tag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                long time = 0;
                while (!in.isAtEnd()) {
                    int t = in.readTag();
                    if (t == tag(SAMPLE_TIMESTAMP, WireFormat.WIRETYPE_VARINT)) {
                        time = in.readInt64();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                samples++;
                min = Math.min(min, time);
                max = Math.max(max, time);
            } else if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("unexpected end group");
            }
        }
        return new Series(from, from, metric, label, samples, min, max);
    }

    /** A field's tag as it stands on the wire: its number, then its wire type in the low 3 bits. */
    static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    int samples() {
        return series.stream().mapToInt(Series::samples).sum();
    }

    /** A WriteRequest of these series, byte for byte as they came, and the request's other fields. */
    byte[] of(List<Series> some) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
        for (Series s : some) {
            out.write(bytes, s.from(), s.to() - s.from());
        }
        out.write(rest, 0, rest.length);
        return out.toByteArray();
    }
}
