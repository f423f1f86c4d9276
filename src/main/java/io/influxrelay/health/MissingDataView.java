package io.influxrelay.health;

/**
 * What the missing-data ledger says of a backend, as /status, /health/backend and the read balancing
 * need it: a backend that misses data for good is not safe to read from until it is repaired.
 */
public interface MissingDataView {
    MissingDataView NONE = new MissingDataView() {
        @Override
        public boolean missing(String backend) {
            return false;
        }

        @Override
        public String describe(String backend) {
            return "";
        }

        @Override
        public String json(String backend) {
            return "[]";
        }
    };

    boolean missing(String backend);

    /** One line for people: the databases and time ranges missed. */
    String describe(String backend);

    /** The open ranges as a JSON array. */
    String json(String backend);
}
