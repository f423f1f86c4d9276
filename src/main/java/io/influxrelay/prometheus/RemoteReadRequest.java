package io.influxrelay.prometheus;

import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus remote-read {@code ReadRequest}, uncompressed, read only for what routes it among shards: for
 * each of its queries (field 1), the metric it names by an equality matcher on {@code __name__} (a
 * {@code LabelMatcher}, field 3, of type EQ), or null when it names none (a regex, or no name at all).
 */
final class RemoteReadRequest {
    private static final int READ_REQUEST_QUERIES = 1;
    private static final int QUERY_MATCHERS = 3;
    private static final int MATCHER_TYPE = 1;
    private static final int MATCHER_NAME = 2;
    private static final int MATCHER_VALUE = 3;
    private static final int TYPE_EQ = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int VARINT = 0;

    private RemoteReadRequest() {
    }

    /** The metric each query names, in order; null for a query that names none. */
    static List<String> metricNames(byte[] bytes) throws BadRemoteBody {
        List<String> names = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == RemoteWriteRequest.tag(READ_REQUEST_QUERIES, LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    names.add(metricOfQuery(in));
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BadRemoteBody(400, "not a Prometheus remote-read request: " + e.getMessage());
        }
        return names;
    }

    private static String metricOfQuery(CodedInputStream in) throws IOException {
        String metric = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag != RemoteWriteRequest.tag(QUERY_MATCHERS, LENGTH_DELIMITED)) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            int type = TYPE_EQ; // proto3: a field at its default value is not sent
            String name = "";
            String value = "";
            while (!in.isAtEnd()) {
                int t = in.readTag();
                if (t == RemoteWriteRequest.tag(MATCHER_TYPE, VARINT)) {
                    type = in.readEnum();
                } else if (t == RemoteWriteRequest.tag(MATCHER_NAME, LENGTH_DELIMITED)) {
                    name = in.readString();
                } else if (t == RemoteWriteRequest.tag(MATCHER_VALUE, LENGTH_DELIMITED)) {
                    value = in.readString();
                } else {
                    in.skipField(t);
                }
            }
            in.popLimit(limit);
            if (type == TYPE_EQ && RemoteWriteRequest.METRIC_NAME.equals(name)) {
                metric = value;
            }
        }
        return metric;
    }
}
