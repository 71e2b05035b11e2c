package org.lstm4j.cli.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read chunk by chunk on the caller's thread, with a limit on how long to wait for the
 * next chunk. {@code HttpClient} has no read timeout once the headers are in (its request timeout stops
 * there), and a stalled server would otherwise hang a download for ever.
 *
 * <p>Subscribe it to the body publisher of {@code BodyHandlers.ofPublisher()}. It asks for one batch at
 * a time, so at most one batch of buffers waits in memory.
 */
final class BodyChunks implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    /** No chunk came within the idle timeout. */
    static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(Duration idleTimeout) {
            super("no data for " + Durations.describe(idleTimeout));
        }
    }

    /** Marks the end of the body in {@link #events}. */
    private static final Object COMPLETE = new Object();

    /** Batches of buffers, then {@link #COMPLETE} or the Throwable that ended the body. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> batch = Collections.emptyIterator();
    private boolean ended;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        // close() may have run before the subscription existed: it could not cancel then.
        if (closed) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        events.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        events.add(error);
    }

    @Override
    public void onComplete() {
        events.add(COMPLETE);
    }

    /**
     * The next non-empty chunk, or {@code null} once the body has ended normally.
     *
     * @throws StalledException     nothing arrived within {@code idleTimeout}
     * @throws IOException          the transfer failed, e.g. the connection was dropped
     * @throws InterruptedException the thread was interrupted while waiting
     */
    ByteBuffer next(Duration idleTimeout) throws IOException, InterruptedException {
        while (true) {
            while (batch.hasNext()) {
                ByteBuffer chunk = batch.next();
                if (chunk.hasRemaining()) {
                    return chunk;
                }
            }
            if (ended) {
                return null;
            }
            Object event = events.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new StalledException(idleTimeout);
            } else if (event == COMPLETE) {
                ended = true;
            } else if (event instanceof Throwable error) {
                ended = true;
                throw error instanceof IOException io ? io : new IOException(error.toString(), error);
            } else {
                @SuppressWarnings("unchecked") // Only onNext adds anything else.
                List<ByteBuffer> buffers = (List<ByteBuffer>) event;
                batch = buffers.iterator();
                // A batch arrived, so onSubscribe has run and the subscription is set.
                subscription.request(1);
            }
        }
    }

    /** Stops the transfer (the connection is closed); harmless once the body has ended. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
