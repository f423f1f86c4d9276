package io.influxrelay.backend;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A backend's answer is read up to {@link #LIMIT}, the most an InfluxDB error needs; the rest is not
 * read at all. A backend answering a 2 GiB body took the relay from 189 MB to 4.2 GB resident. Draining
 * the rest to keep the connection would still read gigabytes, so a connection whose body went past the
 * limit is dropped instead.
 */
final class BoundedResponse implements ExecChainHandler {
    static final String NAME = "bounded-response";
    static final int LIMIT = 64 * 1024;

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        ClassicHttpResponse response = chain.proceed(request, scope);
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            response.setEntity(new BoundedEntity(entity, scope.execRuntime));
        }
        return response;
    }

    private static final class BoundedEntity extends HttpEntityWrapper {
        private final ExecRuntime runtime;
        private InputStream content;

        BoundedEntity(HttpEntity entity, ExecRuntime runtime) {
            super(entity);
            this.runtime = runtime;
        }

        @Override
        public long getContentLength() {
            long length = super.getContentLength();
            return length > LIMIT ? -1 : length;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (content == null) {
                content = new BoundedStream(super.getContent(), runtime);
            }
            return content;
        }
    }

    /** Ends after LIMIT bytes; when more was sent, the connection is dropped rather than drained. */
    private static final class BoundedStream extends FilterInputStream {
        private final ExecRuntime runtime;
        private int remaining = LIMIT;
        private boolean cut;

        BoundedStream(InputStream in, ExecRuntime runtime) {
            super(in);
            this.runtime = runtime;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (cut) {
                return -1;
            }
            if (remaining == 0) {
                if (super.read() < 0) {
                    return -1; // exactly LIMIT bytes: the body is whole and the connection reusable
                }
                cut();
                return -1;
            }
            int n = super.read(b, off, Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            int len = (int) Math.min(n, 8192);
            return Math.max(0, read(new byte[len], 0, len));
        }

        @Override
        public int available() throws IOException {
            return cut ? 0 : Math.min(super.available(), remaining);
        }

        /** Closing the delegate drains the body to keep the connection: only when at most LIMIT bytes are left. */
        @Override
        public void close() throws IOException {
            byte[] scratch = new byte[8192];
            while (!cut && read(scratch, 0, scratch.length) >= 0) {
                // reads at most what is left of LIMIT, then cuts
            }
            if (!cut) {
                super.close();
            }
        }

        private void cut() {
            cut = true;
            runtime.discardEndpoint();
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
