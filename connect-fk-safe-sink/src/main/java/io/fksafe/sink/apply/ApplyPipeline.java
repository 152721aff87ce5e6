package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread of a task in 'apply.pipelined' mode: the task's thread hands complete upstream transactions over,
 * this thread commits them, in order, in batches of whatever has queued up meanwhile (within the batch limits), so
 * the target's round trips overlap the intake of the next records. While less than a full batch is queued the thread
 * lingers a little (from the oldest queued unit's hand-over) for more: a live stream trickles in one small transaction
 * at a time, and a commit each would cost the target far more than the rows. One batch at most is in flight; the
 * hand-over blocks while a full batch waits behind it. Whoever uses the target connection on the task's thread first
 * waits until nothing is queued or in flight ({@link #awaitIdle}): the two threads never share the connection, and the
 * wait publishes everything the apply thread wrote. A failure stops the thread taking work until {@link #reset}; the
 * task learns of it at its next hand-over or drain.
 */
final class ApplyPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApplyPipeline.class);

    /** Commits one batch: the caller's {@link BatchCommitter}, with everything it does about the target's answers. */
    interface Committer {
        void apply(List<Unit> batch) throws SQLException;
    }

    private final Committer committer;
    private final int maxRows;
    private final long maxBytes;
    private final long lingerNanos;
    private final Thread thread;
    private final Deque<Unit> queued = new ArrayDeque<>();
    private int queuedRows;
    private long queuedBytes;
    /** When the oldest unit still queued was handed over (or, after a partial take, an earlier moment). */
    private long oldestQueuedNanos;
    /** Threads in {@link #awaitIdle}: someone needs the apply thread done, so it does not linger. */
    private int idleWaiters;

    private boolean busy;
    private boolean stopped;
    private Throwable failure;
    /** A dead letter the apply thread waits for the task's thread to report; null if none. */
    private Relayed relayed;
    /** Batches committed, for the task's "any progress since the last failure" (its retry count). */
    private long batchesCommitted;

    ApplyPipeline(String name, Committer committer, int maxRows, long maxBytes, long lingerMs) {
        this.committer = committer;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.lingerNanos = lingerMs * 1_000_000L;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code units} for the apply thread; waits while a full batch is queued behind the one in flight (the
     * back-pressure that bounds memory). Throws what the apply thread failed with, if it did.
     */
    synchronized void handOver(List<Unit> units) throws SQLException {
        throwIfFailed();
        if (queued.isEmpty() && !units.isEmpty()) {
            oldestQueuedNanos = System.nanoTime();
        }
        for (Unit u : units) {
            queued.addLast(u);
            queuedRows += u.rowCount();
            queuedBytes += u.bytes();
        }
        notifyAll();
        relayDeadLetter();
        while ((queuedRows >= maxRows || queuedBytes >= maxBytes) && failure == null && !stopped) {
            waitUninterruptibly(0);
            relayDeadLetter();
        }
        throwIfFailed();
    }

    /** Waits until everything handed over is committed, and throws if the apply thread failed. */
    synchronized void drain() throws SQLException {
        awaitIdle(0);
        throwIfFailed();
    }

    /**
     * Waits until the apply thread holds no batch and none is queued, or it failed ({@code timeoutMs} 0: no limit);
     * true if so. Never throws the failure: that is left for the next {@link #drain} or hand-over.
     */
    synchronized boolean awaitIdle(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        relayDeadLetter();
        idleWaiters++;
        notifyAll(); // a lingering apply thread commits now
        try {
            while ((busy || !queued.isEmpty()) && failure == null && !stopped) {
                long left = timeoutMs == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
                if (timeoutMs > 0 && left <= 0) {
                    return false;
                }
                waitUninterruptibly(timeoutMs == 0 ? 0 : Math.max(left, 1));
                relayDeadLetter();
            }
            return !busy;
        } finally {
            idleWaiters--;
        }
    }

    synchronized boolean failed() {
        return failure != null;
    }

    /** After the task dealt with a failure (or dropped its buffers): nothing queued, no failure, ready for work. */
    synchronized void reset() {
        clearQueue();
        failure = null;
    }

    /** Drops what is queued, not what is in flight; only once the thread is idle does nothing remain. */
    synchronized void discardQueued() {
        clearQueue();
    }

    synchronized int queuedRows() {
        return queuedRows;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    synchronized long batchesCommitted() {
        return batchesCommitted;
    }

    /** Stops the thread once it finished its batch, waiting at most {@code timeoutMs} for that. */
    @Override
    public void close() {
        close(30_000);
    }

    void close(long timeoutMs) {
        synchronized (this) {
            stopped = true;
            clearQueue();
            notifyAll();
        }
        try {
            thread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: the batch in flight did not finish within {} ms; interrupting", thread.getName(), timeoutMs);
            thread.interrupt();
        }
    }

    /**
     * A reporter for the apply thread that hands each report to the task's thread (which makes it at its next
     * hand-over or drain) and waits for the outcome; on any other thread it reports directly.
     */
    ErrantRecordReporter relay(ErrantRecordReporter direct) {
        return (record, error) -> {
            if (Thread.currentThread() != thread) {
                return direct.report(record, error);
            }
            synchronized (this) {
                Relayed r = new Relayed(direct, record, error);
                relayed = r;
                notifyAll();
                while (r.outcome == null && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (r.outcome == null) {
                    relayed = null;
                    throw new ConnectException(
                            "the task stopped while record " + io.fksafe.sink.record.RecordRef.of(record)
                                    + " waited to be reported to the dead-letter queue");
                }
                return r.outcome;
            }
        };
    }

    /** On the task's thread, holding the monitor (the apply thread waits in it): makes the report it asked for. */
    private void relayDeadLetter() {
        Relayed r = relayed;
        if (r == null) {
            return;
        }
        relayed = null;
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            r.direct.report(r.record, r.error).get();
            outcome.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(e);
        } catch (Exception e) {
            outcome.completeExceptionally(e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
        }
        r.outcome = outcome;
        notifyAll();
    }

    private static final class Relayed {
        final ErrantRecordReporter direct;
        final SinkRecord record;
        final Throwable error;
        Future<Void> outcome;

        Relayed(ErrantRecordReporter direct, SinkRecord record, Throwable error) {
            this.direct = direct;
            this.record = record;
            this.error = error;
        }
    }

    private void run() {
        while (true) {
            List<Unit> batch;
            synchronized (this) {
                do {
                    while (!stopped && (queued.isEmpty() || failure != null)) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return; // stop() gave up waiting for the batch
                        }
                    }
                    if (!linger()) {
                        return;
                    }
                } while (queued.isEmpty() || failure != null); // dropped or failed while it lingered
                batch = takeBatch();
                busy = true;
                notifyAll(); // room for the next hand-over
            }
            Throwable failed = null;
            try {
                committer.apply(batch);
            } catch (Throwable t) { // every failure goes back to the task's thread, which decides
                failed = t;
            }
            synchronized (this) {
                busy = false;
                if (failed == null) {
                    batchesCommitted++;
                } else {
                    failure = failed;
                }
                notifyAll();
            }
        }
    }

    /**
     * Holding the monitor, with work queued: waits while less than a full batch is queued, its oldest unit arrived less
     * than the linger ago, and nobody waits for the apply thread. False if the pipeline stopped meanwhile.
     */
    private boolean linger() {
        while (!stopped && failure == null && idleWaiters == 0 && queuedRows < maxRows && queuedBytes < maxBytes) {
            long left = oldestQueuedNanos + lingerNanos - System.nanoTime();
            if (left <= 0 || queued.isEmpty()) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !stopped;
    }

    /** Whole units, at least one, then more while they fit the batch limits: what queued up is committed together. */
    private List<Unit> takeBatch() {
        List<Unit> batch = new ArrayList<>();
        int rows = 0;
        long bytes = 0;
        while (!queued.isEmpty()) {
            Unit next = queued.peekFirst();
            if (!batch.isEmpty() && (rows + next.rowCount() > maxRows || bytes + next.bytes() > maxBytes)) {
                break;
            }
            queued.pollFirst();
            rows += next.rowCount();
            bytes += next.bytes();
            queuedRows -= next.rowCount();
            queuedBytes -= next.bytes();
            batch.add(next);
        }
        return batch;
    }

    private void clearQueue() {
        queued.clear();
        queuedRows = 0;
        queuedBytes = 0;
        notifyAll();
    }

    private void throwIfFailed() throws SQLException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof SQLException s) {
            throw s;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        throw new ConnectException("the apply thread failed: " + t, t);
    }

    private void waitUninterruptibly(long ms) {
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while waiting for the apply thread", e);
        }
    }
}
