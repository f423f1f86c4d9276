package io.influxrelay.backend;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Only a whole response head is an answer. HttpClient's own parser takes the end of the stream while
 * reading the head as its end, so a backend that sends "HTTP/1.1 204 No Con" and closes was recorded as
 * a 204: the client told success, nothing stored, nothing buffered. This parser fails such a response
 * as the transport failure it is. The stream is read only when the buffered bytes hold no complete
 * line, so reaching its end during the head means the head's empty line never came.
 */
final class WholeHeadResponseParser extends DefaultHttpResponseParser {
    static final HttpMessageParserFactory<ClassicHttpResponse> FACTORY = WholeHeadResponseParser::new;

    private WholeHeadResponseParser(Http1Config config) {
        super(config);
    }

    @Override
    public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream in) throws IOException, HttpException {
        EndWatch watched = new EndWatch(in);
        ClassicHttpResponse response = super.parse(buffer, watched);
        if (response != null && watched.ended()) {
            throw new ConnectionClosedException("backend closed the connection before the end of its response head");
        }
        return response;
    }
}
