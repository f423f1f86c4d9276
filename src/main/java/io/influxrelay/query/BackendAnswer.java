package io.influxrelay.query;

import java.io.InputStream;
import java.util.Map;

/**
 * A backend's answer to a /query: its status and the headers a client reads, in at once; its body
 * still unread, to be read at the caller's pace and closed (closing before the end drops the backend's
 * connection instead of reading the rest).
 */
record BackendAnswer(int status, Map<String, String> headers, InputStream body) {
}
