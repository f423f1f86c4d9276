package io.influxrelay.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream that notes whether its end was reached: what tells a whole answer from one cut short. */
public class EndWatch extends FilterInputStream {
    private boolean ended;

    public EndWatch(InputStream in) {
        super(in);
    }

    /** True once a read found the end of the stream. */
    public boolean ended() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
    }
}
