package io.statuspolicy.engine;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * A response body as the caller reads it, for adapters whose client hands bodies on as an
 * {@link InputStream}: a copy of each piece to the tap (when there is one), the deadline disarmed
 * when the body ends or is closed, a read that fails because the deadline passed explained, and
 * a body that ends before its declared length reported as broken rather than whole.
 */
public final class GuardedInputStream extends FilterInputStream {
    private final BodyTap tap;
    private final BodyDeadline deadline;
    private final URI uri;
    private final long declared;
    private long count;
    private boolean ended;

    /**
     * @param declared the body's declared length ({@code Content-Length}), or -1 when unknown
     */
    public GuardedInputStream(InputStream in, BodyTap tap, BodyDeadline deadline, URI uri, long declared) {
        super(in);
        this.tap = tap;
        this.deadline = deadline;
        this.uri = uri;
        this.declared = declared;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(into, offset, length);
        } catch (IOException e) {
            deadline.disarm();
            throw deadline.explained(e, uri);
        }
        if (n == -1) {
            if (!ended) {
                ended = true;
                deadline.disarm();
                if (declared >= 0 && count < declared) {
                    throw new EOFException("the body ended after " + count + " of " + declared + " bytes");
                }
                if (tap != null) {
                    tap.onComplete();
                }
            }
        } else if (n > 0) {
            count += n;
            if (tap != null) {
                tap.onBytes(ByteBuffer.wrap(into, offset, n).asReadOnlyBuffer());
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        deadline.disarm();
        super.close();
    }
}
